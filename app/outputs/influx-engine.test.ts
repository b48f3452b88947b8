/**
 * The InfluxDB output in the engine, on the simulated line: configured through config.save,
 * reported by health.get, and the line's signals queryable in a real influxd.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { startInfluxd, type Influxd } from '../testing/influxd';
import { tempDir, waitFor } from '../testing/helpers';

type Health = { ok: true; value: { influx: { state: string; points: number; lastError: string | null } | null } };

describe('InfluxDB output in the engine', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  let server: Influxd | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    await server?.stop();
  });

  it('publishes the demo line once configured, shows it in health, and stops when switched off', async () => {
    server = await startInfluxd();
    await server.query('CREATE DATABASE plant');
    line = await startDemoLine({ seed: 3 });
    engine = await Engine.start({ workspace: await tempDir('parx-influx-engine-'), mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const health = async () => ((await session.call('health.get', {})) as Health).value.influx;
    expect(await health()).toBeNull();
    const base = demoConfig('127.0.0.1', line.modbus.port);
    const saved = await session.call('config.save', { config: { ...base, recording: { line: 'Galv 3' }, outputs: { influx: { url: server.url, database: 'plant', signals: ['Line Speed', 'Coil ID'] } } } });
    expect(saved.ok).toBe(true);
    let points = 0;
    await waitFor(() => {
      void health().then((h) => (points = h?.points ?? 0));
      return points > 20;
    }, 'points in health', 20_000);
    const series = await server.query('SELECT count(value) FROM parx GROUP BY line, signal', 'plant');
    expect(series.map((s) => [s.tags?.['line'], s.tags?.['signal']]).sort()).toEqual([
      ['Galv 3', 'Coil ID'],
      ['Galv 3', 'Line Speed'],
    ]);
    const speed = await server.query(`SELECT last(value) FROM parx WHERE signal = 'Line Speed'`, 'plant');
    expect(speed[0]?.values[0]?.[1]).toEqual(expect.any(Number));
    // Switched off: the output stops and health says so.
    expect((await session.call('config.save', { config: { ...base, outputs: { influx: { url: server.url, database: 'plant', enabled: false } } } })).ok).toBe(true);
    expect(await health()).toBeNull();
    expect(engine.influx).toBeUndefined();
  });
});
