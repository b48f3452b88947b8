/**
 * The acquisition planner: before anything connects, what each (connection, timebase) group
 * will cost per cycle after request packing, and whether it can keep up with its timebase.
 * Pure: the same numbers for `parx plan`, the planner view, and beside measured cycle times.
 */
import type { ConnectionConfig, WorkspaceConfig } from '../shared/contract';
import { findDriver } from '../drivers';

export interface PlanAssumptions {
  /** Round trip of one request on the network and in the PLC, ms (a LAN and a busy CPU: 2–5 ms). */
  readonly requestRttMs: number;
  /** Link speed for the bytes on the wire, bit/s. */
  readonly linkBitsPerSecond: number;
}

export const DEFAULT_ASSUMPTIONS: PlanAssumptions = { requestRttMs: 3, linkBitsPerSecond: 100e6 };

export interface GroupPlan {
  readonly connection: string;
  readonly protocol: string;
  readonly timebaseMs: number;
  readonly signals: number;
  /** Requests per cycle after packing; 0 for pushed protocols (the device sends). */
  readonly requests: number;
  readonly requestList: readonly string[];
  readonly bytesPerCycle: number;
  readonly predictedCycleMs: number;
  /** predicted cycle / timebase: above 1 the group cannot keep up. */
  readonly load: number;
  readonly verdict: 'ok' | 'tight' | 'overrun' | 'push' | 'invalid';
  readonly note?: string;
}

export interface CostedRequests {
  readonly requests: readonly string[];
  readonly bytes: number;
}

function verdict(load: number): GroupPlan['verdict'] {
  return load > 1 ? 'overrun' : load > 0.6 ? 'tight' : 'ok';
}

export function planAcquisition(config: WorkspaceConfig, assume: PlanAssumptions = DEFAULT_ASSUMPTIONS): GroupPlan[] {
  const plans: GroupPlan[] = [];
  for (const connection of config.connections) {
    const signals = config.signals.filter((s) => s.connection === connection.name);
    const timebases = [...new Set(signals.map((s) => s.timebaseMs))].sort((a, b) => a - b);
    const groups = timebases.map((timebaseMs) => planGroup(connection, timebaseMs, signals.filter((s) => s.timebaseMs === timebaseMs).map((s) => s.address), assume));
    plans.push(...(connection.protocol === 'modbus-rtu' ? sharedLine(groups) : groups));
  }
  return plans;
}

/**
 * A serial line carries one request at a time, so the groups of one RTU connection share its
 * time: each may fit its own timebase while together they need more than the line has.
 */
function sharedLine(groups: GroupPlan[]): GroupPlan[] {
  const polled = groups.filter((g) => g.verdict !== 'invalid' && g.verdict !== 'push');
  if (polled.length < 2) return groups;
  const lineLoad = polled.reduce((n, g) => n + g.load, 0);
  const note = `${polled.length} timebases share this serial line: together they need ${(lineLoad * 100).toFixed(0)} % of it`;
  return groups.map((g) => {
    if (!polled.includes(g)) return g;
    const worse = verdict(lineLoad);
    const combined = worse === 'overrun' || (worse === 'tight' && g.verdict === 'ok') ? worse : g.verdict;
    return { ...g, verdict: combined, note: g.note ? `${g.note}; ${note}` : note };
  });
}

function planGroup(connection: ConnectionConfig, timebaseMs: number, addresses: string[], assume: PlanAssumptions): GroupPlan {
  const base = { connection: connection.name, protocol: connection.protocol, timebaseMs, signals: addresses.length };
  const driver = findDriver(connection.protocol);
  if (!driver) return { ...base, requests: 0, requestList: [], bytesPerCycle: 0, predictedCycleMs: 0, load: 0, verdict: 'invalid', note: `no ${connection.protocol} driver in this build` };
  const parsed = addresses.map((a) => driver.parseAddress(a));
  const bad = parsed.findIndex((p) => !p.ok);
  if (bad >= 0) {
    const p = parsed[bad];
    return { ...base, requests: 0, requestList: [], bytesPerCycle: 0, predictedCycleMs: 0, load: 0, verdict: 'invalid', note: p && !p.ok ? p.error.message : 'bad address' };
  }
  if (driver.mode === 'push' || !driver.costRequests) {
    return { ...base, requests: 0, requestList: [], bytesPerCycle: 0, predictedCycleMs: 0, load: 0, verdict: 'push', note: driver.mode === 'push' ? 'the device pushes; no polling cost' : 'no cost model for this protocol' };
  }
  const cost = driver.costRequests(parsed.map((p) => (p.ok ? p.value : undefined)), connection);
  const wireMs = cost.wireMs ?? ((cost.bytes * 8) / assume.linkBitsPerSecond) * 1000;
  const predictedCycleMs = cost.requests.length * assume.requestRttMs + wireMs;
  const load = predictedCycleMs / timebaseMs;
  return { ...base, requests: cost.requests.length, requestList: cost.requests, bytesPerCycle: cost.bytes, predictedCycleMs, load, verdict: verdict(load) };
}
