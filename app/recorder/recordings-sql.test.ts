import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import { main } from '../cli/main';
import { queryRecordings, RecordingsQueryError } from './recordings-sql';
import { inspectBatchFile } from './inspect';

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

    // parx inspect: what one file says about itself, read back through the same CLI.
    const files = await queryRecordings(recordings, 'SELECT file FROM batches ORDER BY start');
    const info = await inspectBatchFile(String(files.rows[0]?.file));
    expect(info.ok && info.value).toMatchObject({ isParx: true, meta: { 'parx.line': 'Galv 3', 'parx.status': 'complete' } });
    expect(info.ok && info.value.rows).toBeGreaterThan(20);
    expect(info.ok && info.value.signals.map((x) => x.name)).toContain('Line Speed');
    const notParquet = path.join(workspace, 'config.json');
    expect(await inspectBatchFile(notParquet)).toMatchObject({ ok: false, error: { kind: 'io', message: expect.stringMatching(/not a readable Parquet file/) } });
    expect(await inspectBatchFile(path.join(workspace, 'nope.parquet'))).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  }, 60_000);

  it('parx record refuses a workspace that does not enable recording, saying how', async () => {
    const workspace = await tempDir('parx-rec-cli-');
    let err = '';
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['record', '--workspace', workspace])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(err).toMatch(/recording is not enabled/);
  });
});
