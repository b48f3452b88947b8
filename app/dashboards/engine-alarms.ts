/** The alarm service and dashboard store of each engine, without adding fields to Engine. */
import type { Engine } from '../engine/engine';
import { AlarmService } from './alarm-service';
import { DashboardStore } from './dashboard-store';

const alarms = new WeakMap<Engine, AlarmService>();
const stores = new WeakMap<Engine, DashboardStore>();

export async function startAlarms(engine: Engine): Promise<AlarmService> {
  const existing = alarms.get(engine);
  if (existing) return existing;
  const service = await AlarmService.start({
    workspace: engine.options.workspace,
    signalByName: (name) => engine.registry.byName(name),
    subscribe: (ids, rate, sink) => engine.bus.subscribe(ids, rate, sink),
    broadcast: (event, payload) => engine.broadcast(event, payload),
    log: (level, message) => engine.log(level, message),
  });
  alarms.set(engine, service);
  return service;
}

/** The engine's alarm service; started on first use when the engine did not start it. */
export async function alarmsOf(engine: Engine): Promise<AlarmService> {
  return alarms.get(engine) ?? startAlarms(engine);
}

export async function stopAlarms(engine: Engine): Promise<void> {
  const s = alarms.get(engine);
  alarms.delete(engine);
  await s?.stop();
}

export function dashboardStoreOf(engine: Engine): DashboardStore {
  let s = stores.get(engine);
  if (!s) stores.set(engine, (s = new DashboardStore(engine.options.workspace)));
  return s;
}
