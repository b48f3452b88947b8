/**
 * The workspace configuration that points ParX at the demo line: one Modbus connection and
 * every demo signal at its primary address (the scaled integers, so scaling is exercised).
 */
import { CONFIG_VERSION, type SignalConfig, type WorkspaceConfig } from '../shared/contract';
import { DEMO_SIGNALS } from './demo-signals';
import { DEMO_MODBUS_MAP } from './modbus-map';

export const DEMO_CONNECTION = 'Demo Line';

/** Fast process values at 20 ms, slow ones (temperatures, ids, width) at 200 ms. */
const FAST = new Set(['Line Speed', 'Entry Tension', 'Exit Tension', 'Thickness Deviation', 'Main Drive Current', 'Weld Seam', 'Tension High', 'Coil Length']);

export function demoSignals(connection = DEMO_CONNECTION): SignalConfig[] {
  return DEMO_SIGNALS.map((s) => {
    const point = DEMO_MODBUS_MAP.find((p) => p.signal === s.name);
    if (!point) throw new Error(`demo signal ${s.name} has no Modbus address`);
    return {
      name: s.name,
      unit: s.unit,
      description: s.description,
      connection,
      address: point.address,
      scale: point.scale,
      offset: point.offset,
      timebaseMs: FAST.has(s.name) ? 20 : 200,
    };
  });
}

export function demoConfig(host: string, port: number): WorkspaceConfig {
  return {
    version: CONFIG_VERSION,
    connections: [{ name: DEMO_CONNECTION, protocol: 'modbus', host, port, unitId: 1, timeoutMs: 1000, enabled: true }],
    signals: demoSignals(),
  };
}
