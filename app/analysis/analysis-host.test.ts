/**
 * The analysis worker's lifecycle and queue, through the real AnalysisHost and worker:
 * stop() during a pyramid build (it used to abort the whole process: the worker was
 * terminated while DuckDB still ran the build's query), a process ending on its own during a
 * background build (`parx record` stopping: exit 134 before), and trend queries of one view
 * superseded by a newer one before their turn (a fast zoom must not queue stale work).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { AnalysisHost } from './analysis-host';
import { bigSignal, writeBigBatch } from './testing/big-batch';

const SIGNALS = 6;
const SAMPLES = 1_000_000;
let dir: string;
let file: string;
/** A smaller batch for the queue: only the first query (reading every raw column) must take a while. */
let small: string;
const hosts: AnalysisHost[] = [];
/** Temporary folders to remove afterwards (the batches are tens of MB). */
const scratch: string[] = [];
const temp = async (prefix: string): Promise<string> => {
  const d = await tempDir(prefix);
  scratch.push(d);
  return d;
};

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const host = async (pyramids?: 'off'): Promise<AnalysisHost> => {
  const h = new AnalysisHost(undefined, { PARX_ANALYSIS_PYRAMIDS: pyramids ?? (await temp('parx-host-pyr-')) });
  hosts.push(h);
  return h;
};

beforeAll(async () => {
  dir = await temp('parx-host-');
  file = await writeBigBatch(path.join(dir, 'big', 'b.parquet'), { signals: SIGNALS, samples: SAMPLES });
  small = await writeBigBatch(path.join(dir, 'small', 's.parquet'), { signals: SIGNALS, samples: SAMPLES / 5 });
}, 120_000);

afterAll(async () => {
  for (const h of hosts) await h.stop();
  for (const d of scratch) await fs.rm(d, { recursive: true, force: true });
});

describe('AnalysisHost.stop', () => {
  it('stops a worker in the middle of a pyramid build: the process lives on, stop() resolves, a new request gets a new worker', async () => {
    const h = await host();
    const built = h.request({ type: 'pyramid', file });
    // The queue holds the pyramid request only for the footer read: once `memory` is answered the build runs.
    ok(await h.request({ type: 'memory' }));
    await new Promise((r) => setTimeout(r, 300));
    const t = performance.now();
    await h.stop();
    const stopMs = performance.now() - t;
    expect(h.running).toBe(false);
    // Stopped mid-build, not after it (else this proves nothing).
    const outcome = await built;
    expect(outcome.ok && outcome.value.status === 'built').toBe(false);
    expect(stopMs).toBeLessThan(10_000);
    // The host is usable again: a fresh worker answers.
    const src = ok(await h.request({ type: 'open', path: path.dirname(file) }));
    expect(src.signals.map((s) => s.name)).toContain(bigSignal(0));
  }, 120_000);

  it('a process that ends on its own during a background pyramid build exits with code 0', async () => {
    const script = fileURLToPath(new URL('./testing/exit-during-build.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, await temp('parx-host-exit-')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | string | null>((r) => child.on('exit', (c, signal) => r(c ?? signal)));
    expect(out).toContain('building');
    expect({ code, out }).toEqual({ code: 0, out: 'building\n' });
  }, 120_000);

  it('stop() with nothing running resolves at once, and twice is harmless', async () => {
    const h = await host();
    ok(await h.request({ type: 'memory' }));
    await h.stop();
    await h.stop();
    expect(h.running).toBe(false);
  }, 60_000);
});

describe('superseded trend queries', () => {
  it('of several queued queries of one view only the newest runs; others are answered superseded; other views and view-less queries run', async () => {
    // Pyramids off: no build at open competing with the queries (every query reads raw samples).
    const h = await host('off');
    const src = ok(await h.request({ type: 'open', path: path.dirname(small) }));
    const span = src.end! - src.start!;
    const q = (k: number, view?: string) =>
      h.request({ type: 'query', params: { source: src.id, signals: [bigSignal(k % SIGNALS)], from: src.start! + (k / 100) * span, to: src.start! + (k / 100 + 0.2) * span, pixels: 500, axis: 'time', ...(view ? { view } : {}) } });
    // In front: a query reading every raw column (uncached), so the ones below queue behind it.
    const blocker = h.request({ type: 'query', params: { source: src.id, signals: Array.from({ length: SIGNALS }, (_, k) => bigSignal(k)), pixels: 20_000, axis: 'time' } });
    const pane1 = [1, 2, 3, 4, 5].map((k) => q(k, 'pane-1'));
    const pane2 = q(6, 'pane-2');
    const loose = [q(7), q(8)];
    const pane1Last = q(9, 'pane-1');
    ok(await blocker);
    const first = await Promise.all(pane1.map(async (p) => ok(await p)));
    for (const r of first) {
      expect(r.superseded).toBe(true);
      expect(r.series).toEqual([]);
    }
    const last = ok(await pane1Last);
    expect(last.superseded).toBeUndefined();
    expect(last.series[0]!.x.length).toBeGreaterThan(0);
    const other = ok(await pane2);
    expect(other.superseded).toBeUndefined();
    expect(other.series[0]!.x.length).toBeGreaterThan(0);
    for (const p of loose) expect(ok(await p).series[0]!.x.length).toBeGreaterThan(0);
    // The view's newest has run: the next query of it is not dropped by a stale entry.
    expect(ok(await q(10, 'pane-1')).series[0]!.x.length).toBeGreaterThan(0);
  }, 120_000);
});
