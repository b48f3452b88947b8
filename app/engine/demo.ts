/**
 * `--demo`: the demo line runs inside this process and the workspace gets (or keeps) a
 * connection to it. Only the demo connection's address is ever changed; the rest of the
 * user's configuration is left as it is.
 */
import type { Engine } from './engine';
import { DEMO_CONNECTION, demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';

export async function startDemo(host = '127.0.0.1', preferredPort = 5020): Promise<DemoLine> {
  // Prefer the documented port so Modbus tools find the demo where the docs say; any free port when it is taken.
  try {
    return await startDemoLine({ host, modbusPort: preferredPort });
  } catch {
    return startDemoLine({ host });
  }
}

export async function pointWorkspaceAtDemo(engine: Engine, host: string, port: number): Promise<void> {
  const current = engine.config;
  const demo = demoConfig(host, port);
  const existing = current.connections.find((c) => c.name === DEMO_CONNECTION);
  let next;
  // A fresh workspace also records the demo line, one Parquet file per coil.
  if (current.connections.length === 0 && current.signals.length === 0) next = { ...demo, recording: { enabled: true, line: 'Demo Line', rule: { mode: 'coil' as const, coilSignal: 'Coil ID' }, lengthSignal: 'Coil Length', compression: 'zstd' as const } };
  else if (!existing) next = { ...current, connections: [...current.connections, ...demo.connections], signals: [...current.signals, ...demo.signals.filter((s) => !current.signals.some((c) => c.name === s.name))] };
  else if (existing.protocol === 'modbus' && (existing.host !== host || existing.port !== port)) {
    next = { ...current, connections: current.connections.map((c) => (c.name === DEMO_CONNECTION ? { ...c, host, port } : c)) };
  } else return;
  const session = engine.connect({ emit: () => undefined, busy: () => false });
  const saved = await session.call('config.save', { config: next });
  session.dispose();
  if (!saved.ok) throw new Error(`cannot add the demo line to the workspace: ${saved.error.message}`);
}
