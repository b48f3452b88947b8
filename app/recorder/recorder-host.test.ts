import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows } from '../../native/duckdb';
import { tempDir, waitFor } from '../testing/helpers';
import { descriptor, polls } from './testing/samples';
import { RecorderHost } from './recorder-host';
import { readWithHyparquet } from './testing/readers';

describe('RecorderHost (worker thread)', () => {
  let host: RecorderHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('opens, appends transferred arrays, checkpoints and closes a batch; errors come back as Results', async () => {
    const dir = await tempDir('parx-rec-');
    const started = await RecorderHost.start(dir, { memoryRows: 300 });
    host = started.host;
    expect(started.recovery).toMatchObject({ ok: true, value: { recovered: [], problems: [], checkpoint: null } });
    expect((await host.open(descriptor())).ok).toBe(true);
    const b = polls(100);
    expect((await host.append(descriptor().id, b)).ok).toBe(true);
    expect(b.ts.length).toBe(0); // transferred, not copied
    expect(await host.checkpoint('cursor-1')).toMatchObject({ ok: true, value: { resume: 'cursor-1' } });
    await host.append(descriptor().id, polls(100, Date.UTC(2026, 2, 29, 6, 0, 2)));
    const closed = await host.close(descriptor().id, { closedBy: 'manual stop' }, 'cursor-2');
    expect(closed).toMatchObject({ ok: true, value: { rows: 800, status: 'complete' } });
    expect(await host.append('no-such-batch', polls(1))).toMatchObject({ ok: false, error: { message: 'no open batch no-such-batch' } });
    expect(await host.open({ ...descriptor(), id: 'x', compression: 'lz4' as 'zstd' })).toMatchObject({ ok: true });
    expect(await host.close('x', { closedBy: 't' })).toMatchObject({ ok: false, error: { kind: 'io' } });
  });
});

describe('crash recovery', () => {
  it('kill -9 mid-batch: on restart the batch is closed as recovered with every acknowledged sample, readable by hyparquet', async () => {
    const dir = await tempDir('parx-rec-crash-');
    const fixture = fileURLToPath(new URL('./fixtures/crash-recorder.ts', import.meta.url));
    // tsx's loader in this very process: the tsx CLI would run the script in a grandchild that SIGKILL does not reach.
    const loader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const child = spawn(process.execPath, ['--import', loader, fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => (out.match(/ACK/g)?.length ?? 0) >= 6, 'six acknowledged checkpoints', 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const acked = Math.max(...[...out.matchAll(/ACK (\d+)/g)].map((m) => Number(m[1])));
    expect(acked).toBeGreaterThan(50_000);

    const started = await RecorderHost.start(dir);
    await started.host.stop();
    if (!started.recovery.ok) throw new Error(started.recovery.error.message);
    const { recovered, problems, checkpoint } = started.recovery.value;
    expect(problems).toEqual([]);
    expect(recovered).toHaveLength(1);
    const file = recovered[0]?.file as string;
    expect(Number(checkpoint?.resume)).toBeGreaterThanOrEqual(acked);
    expect((await fs.readdir(dir)).sort()).toEqual(['.staging', 'line=Line_1']);

    const hy = await readWithHyparquet(file);
    expect(hy.meta['parx.status']).toBe('recovered');
    expect(hy.meta['parx.coil_id']).toBe('9001');
    const values = hy.rows.map((r) => r.value as number).sort((a, b) => a - b);
    // Contiguous from 0 up to at least the last acknowledged sample, and exactly up to the checkpoint's resume point.
    expect(values.length).toBeGreaterThan(acked);
    expect(values.length).toBe(Number(checkpoint?.resume) + 1);
    expect(values.every((v, i) => v === i)).toBe(true);
    const db = await openDuckDB();
    const [n] = await queryRows(db.connection, `SELECT count(*)::INTEGER AS n FROM read_parquet('${file}')`);
    db.close();
    expect(n?.n).toBe(values.length);
  }, 60_000);
});

describe('kill -9 while a close is in flight', () => {
  it('the closing batch is recovered from its staging, the next one up to its checkpoint: every sample once, none lost', async () => {
    const dir = await tempDir('parx-rec-close-crash-');
    const fixture = fileURLToPath(new URL('./fixtures/close-crash-recorder.ts', import.meta.url));
    const loader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const child = spawn(process.execPath, ['--import', loader, fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('CLOSING') || child.exitCode !== null, 'the close of batch A to be asked for', 60_000);
    // Batch B's appends and checkpoints go on while A's file is written: acknowledged before A is closed.
    await waitFor(() => /CLOSING[\s\S]*ACK/.test(out) || out.includes('CLOSED') || child.exitCode !== null, 'a checkpoint of batch B during the close', 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(out).not.toContain('CLOSED'); // the kill hit the close in flight
    const lastOfA = Number(/CLOSING (\d+)/.exec(out)?.[1]);
    const acked = Math.max(...[...out.matchAll(/ACK (\d+)/g)].map((m) => Number(m[1])));
    expect(acked).toBeGreaterThan(lastOfA);

    const started = await RecorderHost.start(dir);
    await started.host.stop();
    if (!started.recovery.ok) throw new Error(started.recovery.error.message);
    const { recovered, problems, checkpoint } = started.recovery.value;
    expect(problems).toEqual([]);
    expect(recovered.map((f) => f.id).sort()).toEqual(['batch-a', 'batch-b']);
    const resume = Number(checkpoint?.resume);
    expect(resume).toBeGreaterThanOrEqual(acked);

    const db = await openDuckDB();
    try {
      const a = recovered.find((f) => f.id === 'batch-a')?.file as string;
      const b = recovered.find((f) => f.id === 'batch-b')?.file as string;
      const [ra] = await queryRows(db.connection, `SELECT count(*)::BIGINT AS n, min(value) AS lo, max(value) AS hi, count(DISTINCT value)::BIGINT AS d FROM read_parquet('${a}')`);
      expect(ra).toEqual({ n: BigInt(lastOfA + 1), lo: 0, hi: lastOfA, d: BigInt(lastOfA + 1) });
      const [rb] = await queryRows(db.connection, `SELECT count(*)::BIGINT AS n, min(value) AS lo, max(value) AS hi, count(DISTINCT value)::BIGINT AS d FROM read_parquet('${b}')`);
      // B holds exactly what follows A, up to the resume point: nothing lost, nothing twice.
      expect(rb).toEqual({ n: BigInt(resume - lastOfA), lo: lastOfA + 1, hi: resume, d: BigInt(resume - lastOfA) });
      const hy = await readWithHyparquet(a);
      expect(hy.meta['parx.status']).toBe('recovered');
    } finally {
      db.close();
    }
    expect(await fs.readdir(`${dir}/.staging`)).toEqual(['resume.json']);
  }, 120_000);
});

describe('RecorderHost buffer pool', () => {
  it("an append's buffers come back from the worker to the host's pool, so the next batch of that size allocates nothing", async () => {
    const host = (await RecorderHost.start(await tempDir('parx-rec-pool-'))).host;
    try {
      expect((await host.open(descriptor())).ok).toBe(true);
      const source = polls(20_000); // 80,000 samples: every column above the smallest buffer the pool keeps
      const b = host.pool.take(source.ts.length);
      for (const k of ['ts', 'value', 'signal', 'quality'] as const) b[k].set(source[k] as never);
      expect((await host.append(descriptor().id, b)).ok).toBe(true);
      expect(host.pool.stats().spareBytes).toBeGreaterThan(0);
      host.pool.take(source.ts.length);
      expect(host.pool.stats().reusedBuffers).toBe(4);
      // A failed append returns its buffers too.
      const c = host.pool.take(source.ts.length);
      expect(await host.append('no-such-batch', c)).toMatchObject({ ok: false });
      expect(host.pool.stats().spareBytes).toBeGreaterThan(0);
    } finally {
      await host.stop();
    }
  });
});
