import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import { main } from '../cli/main';
import { queryRecordings, RecordingsQueryError } from './recordings-sql';

describe('SQL across recordings', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
  });

  it('views samples and batches over the Parquet files; clear errors for bad SQL and an empty folder', async () => {
    const workspace = await tempDir('parx-sql-');
    const recordings = path.join(workspace, 'recordings');
    await expect(queryRecordings(recordings, 'SELECT 1')).rejects.toThrow(/no batch files/);

    line = await startDemoLine({ seed: 21 });
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording: { enabled: true, line: 'Galv 3', rule: { mode: 'manual' }, compression: 'zstd' } } });
    for (const coil of ['A', 'B']) {
      await session.call('recording.command', { action: 'start', reason: coil });
      await new Promise((r) => setTimeout(r, 700));
      await session.call('recording.command', { action: 'stop', reason: coil });
    }

    const batches = await queryRecordings(recordings, 'SELECT line, status, opened_by FROM batches ORDER BY start');
    expect(batches.rows).toHaveLength(2);
    expect(batches.rows.map((r) => r.line)).toEqual(['Galv 3', 'Galv 3']);
    expect(batches.rows.map((r) => r.status)).toEqual(['complete', 'complete']);
    const perSignal = await queryRecordings(recordings, "SELECT signal, count(*)::INTEGER AS n, avg(value) AS mean FROM samples WHERE signal = 'Line Speed' GROUP BY signal");
    expect(perSignal.rows[0]?.n).toBeGreaterThan(20);
    const partitions = await queryRecordings(recordings, 'SELECT DISTINCT line FROM samples');
    expect(partitions.rows.map((r) => r.line)).toEqual(['Galv_3']);
    await expect(queryRecordings(recordings, 'SELECT nope FROM samples')).rejects.toBeInstanceOf(RecordingsQueryError);

    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      expect(await main(['query', 'SELECT count(*)::INTEGER AS files FROM batches', '--workspace', workspace, '--json'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(JSON.parse(out.trim())).toEqual({ files: 2 });
  }, 60_000);
});
