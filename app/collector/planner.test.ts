import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, type WorkspaceConfig } from '../shared/contract';
import { demoConfig } from '../sim/demo-config';
import { planAcquisition } from './planner';

const conn = { name: 'PLC', protocol: 'modbus' as const, host: '127.0.0.1', port: 502, unitId: 1, timeoutMs: 1000, enabled: true };
const signal = (i: number, address: string, timebaseMs: number) => ({ name: `S${i}`, unit: '', description: '', connection: 'PLC', address, scale: 1, offset: 0, timebaseMs });

describe('acquisition planner', () => {
  it('packs 100 contiguous registers into one request and predicts its cost', () => {
    const config: WorkspaceConfig = { version: CONFIG_VERSION, connections: [conn], signals: Array.from({ length: 100 }, (_, i) => signal(i, `hr:${i}:uint16`, 100)) };
    const [g] = planAcquisition(config, { requestRttMs: 3, linkBitsPerSecond: 100e6 });
    expect(g).toMatchObject({ connection: 'PLC', timebaseMs: 100, signals: 100, requests: 1, requestList: ['hr 0..99'], verdict: 'ok' });
    expect(g?.predictedCycleMs).toBeGreaterThan(3);
    expect(g?.predictedCycleMs).toBeLessThan(3.1);
  });

  it('flags a group that cannot keep up with its timebase', () => {
    // 40 scattered registers, far apart: 40 requests of 3 ms each against a 10 ms timebase.
    const config: WorkspaceConfig = { version: CONFIG_VERSION, connections: [conn], signals: Array.from({ length: 40 }, (_, i) => signal(i, `hr:${i * 1000}:uint16`, 10)) };
    const [g] = planAcquisition(config);
    expect(g?.requests).toBe(40);
    expect(g?.verdict).toBe('overrun');
    expect(g?.load).toBeGreaterThan(10);
  });

  it('one plan row per (connection, timebase), e.g. the demo line', () => {
    const plans = planAcquisition(demoConfig('127.0.0.1', 5020));
    expect(plans.map((p) => p.timebaseMs)).toEqual([20, 200]);
    expect(plans.every((p) => p.verdict === 'ok')).toBe(true);
    expect(plans.reduce((n, p) => n + p.signals, 0)).toBe(12);
  });
});
