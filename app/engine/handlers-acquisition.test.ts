/** The acquisition area's methods through the engine: the planner beside measured cycles, register maps. */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { CONFIG_VERSION, type WorkspaceConfig } from '../shared/contract';
import type { PlannedGroup } from '../shared/contract/acquisition';
import { tempDir, waitFor } from '../testing/helpers';
import { recordingClient } from '../testing/engine-client';

describe('acquisition.plan', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    engine = undefined;
    line = undefined;
  });

  it('lists the packed requests and predicted cycle per group, then the measured cycle once it runs; computed once per configuration', async () => {
    line = await startDemoLine({ seed: 2 });
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node', buffer: false });
    const session = engine.connect(recordingClient().client);
    const signal = (name: string, address: string, timebaseMs: number) => ({ name, unit: '', description: '', connection: 'PLC', address, scale: 1, offset: 0, timebaseMs });
    const config: WorkspaceConfig = {
      version: CONFIG_VERSION,
      connections: [{ name: 'PLC', protocol: 'modbus', host: '127.0.0.1', port: line.modbus.port, unitId: 1, timeoutMs: 1000, enabled: true }],
      signals: [signal('A', 'hr:0', 50), signal('B', 'hr:10:float32:abcd', 50), signal('C', 'hr:40:float32:cdab', 50), signal('D', 'co:0', 200)],
    };
    expect((await session.call('config.save', { config })).ok).toBe(true);
    const first = engine.plan();
    const r = await session.call('acquisition.plan', {});
    expect(r.ok).toBe(true);
    const plan = (r.ok ? r.value : []) as PlannedGroup[];
    expect(plan.map((g) => [g.connection, g.timebaseMs, g.signals, g.requestList])).toEqual([
      ['PLC', 50, 3, ['hr 0..11', 'hr 40..41']],
      ['PLC', 200, 1, ['co 0..0']],
    ]);
    expect(plan[0]).toMatchObject({ requests: 2, verdict: 'ok' });
    expect(plan[0]?.predictedCycleMs).toBeGreaterThan(6);

    // waitFor polls synchronously: keep the latest reply in hand and poll for it.
    let latest: PlannedGroup[] = [];
    const poll = setInterval(() => void session.call('acquisition.plan', {}).then((x) => x.ok && (latest = x.value as PlannedGroup[])), 100);
    try {
      await waitFor(() => latest.length === 2 && latest.every((g) => g.measured !== null && g.measured.cycles > 0), 'measured cycles', 15_000);
    } finally {
      clearInterval(poll);
    }
    expect(latest[0]?.measured?.lastCycleMs).toBeGreaterThan(0);
    // health.get reuses the cached plan; a new configuration plans anew.
    await session.call('health.get', {});
    expect(engine.plan()).toBe(first);
    expect((await session.call('config.save', { config: { ...config, signals: config.signals.slice(0, 1) } })).ok).toBe(true);
    expect(engine.plan()).not.toBe(first);
    expect(engine.plan()).toHaveLength(1);
  }, 40_000);
});

describe('acquisition.registerMap', () => {
  it('parses through the contract and refuses a map that is too large', async () => {
    const engine = await Engine.start({ workspace: await tempDir(), mode: 'node', buffer: false });
    try {
      const session = engine.connect(recordingClient().client);
      const r = await session.call('acquisition.registerMap', { csv: 'name,address\nSpeed,hr:10:float32:cdab\nBad,hr:x' });
      expect(r).toMatchObject({ ok: true, value: { registers: [{ name: 'Speed', address: 'hr:10:float32:cdab', line: 2 }], problems: [{ line: 3 }] } });
      const big = await session.call('acquisition.registerMap', { csv: 'x'.repeat(5_000_001) });
      expect(big).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: expect.stringMatching(/at most 5 MB/) } });
    } finally {
      await engine.stop();
    }
  }, 30_000);
});
