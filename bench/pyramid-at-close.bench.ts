/**
 * Pyramids built when the recorder closes a batch file (engine-analysis.ts pyramidAtClose):
 * one batch written by the real recorder's BatchWriter (1,000 signals × 100,000 samples by
 * default: a 100M-sample batch, cached in /tmp), then in the same run:
 * - the cost of starting the analysis worker in a recording engine (RSS before and after);
 * - the build at close (wall time to a saved sidecar) and an interactive query of another
 *   source issued meanwhile (latency during the build vs idle: the worker must not stall);
 * - the first 8-signal trend of the batch in a fresh worker when its sidecar was built at
 *   close, vs none (the old path: raw samples while the build starts at open), vs pyramids off.
 * Quick run: PARX_BENCH_CLOSE_SIGNALS=100 (10M samples). A full-range trend at 2,000 px can come
 * from a pyramid only when a signal holds more than ~64,000 samples (32-sample finest buckets).
 * A 1 GB file: PARX_BENCH_CLOSE_SAMPLES=440000 PARX_BENCH_CLOSE_WRITER=copy PARX_BENCH_CLOSE_QUICK=1
 * (440M samples ≈ 1.1 GB). `copy` writes the same rows, layout and metadata in one DuckDB COPY
 * from range(), already in signal order: the BatchWriter's final sort of 440M rows took over
 * 10 minutes and 20 GB of RSS here. `QUICK` skips the query-during-build case and the wait
 * for the build at open (that worker is stopped instead: AnalysisHost.stop mid-build).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB } from '../native/duckdb';
import { AnalysisHost } from '../app/analysis/analysis-host';
import { writeCoils } from '../app/analysis/testing/coils';
import { BatchWriter } from '../app/recorder/batch-writer';
import { batchMetadata, batchPath, type BatchDescriptor } from '../app/recorder/format';
import { sqlString } from '../app/recorder/copy-sql';

type Emit = (row: Record<string, unknown>) => void;

const SIGNALS = Number(process.env.PARX_BENCH_CLOSE_SIGNALS ?? 1000);
const PER_SIGNAL = Number(process.env.PARX_BENCH_CLOSE_SAMPLES ?? 100_000);
const STEP_MS = 10;
const T0 = Date.UTC(2026, 3, 1);
const PIXELS = 2000;
const WRITER = process.env.PARX_BENCH_CLOSE_WRITER === 'copy' ? 'copy' : 'batch-writer';
const QUICK = process.env.PARX_BENCH_CLOSE_QUICK === '1';
const name = (s: number): string => `Signal ${String(s).padStart(4, '0')}`;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const descriptor: BatchDescriptor = {
  id: 'bench-close',
  line: 'Bench',
  coil: '7001',
  start: T0,
  openedBy: 'bench',
  signals: Array.from({ length: SIGNALS }, (_, id) => ({ id, name: name(id), unit: 'kN', description: `bench signal ${id}`, source: { connection: 'PLC', address: `hr:${id}` }, data_type: 'double' as const, scale: 1, offset: 0, timebase_ms: STEP_MS })),
  lengthIndex: null,
  compression: 'zstd',
};

/** The BatchWriter's file (same path, columns, signal-then-time order and metadata) in one COPY from range(): no sort. */
async function copiedBatch(folder: string): Promise<string> {
  const file = batchPath(folder, descriptor, descriptor.coil);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const meta = Object.entries(batchMetadata(descriptor, { end: T0 + PER_SIGNAL * STEP_MS, closedBy: 'bench', status: 'complete' }))
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ');
  const db = await openDuckDB();
  try {
    await db.connection.run(`SET memory_limit = '4GB'`);
    // Row r of the BatchWriter's input is (s = r % SIGNALS, i = r / SIGNALS); here i = j % PER_SIGNAL, s = j // PER_SIGNAL.
    await db.connection.run(
      `COPY (SELECT make_timestamptz(CAST((${T0} + (j % ${PER_SIGNAL}) * ${STEP_MS}) * 1000 AS BIGINT)) AS ts,
              'Signal ' || lpad(CAST(j // ${PER_SIGNAL} AS VARCHAR), 4, '0') AS signal,
              round(((j // ${PER_SIGNAL}) * 10 + 50 * sin((j % ${PER_SIGNAL}) / 500 + j // ${PER_SIGNAL}) + (((j % ${PER_SIGNAL}) * 7919) % 13) / 10) * 10) / 10 AS value,
              0::UTINYINT AS quality
       FROM range(${SIGNALS * PER_SIGNAL}) r(j)) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${meta}})`,
    );
  } finally {
    db.close();
  }
  return file;
}

/** One recorded batch (BatchWriter: staging, spills, the final COPY; or `copy`, see above), cached between runs. */
async function recordedBatch(): Promise<{ folder: string; file: string; fresh: boolean }> {
  const folder = path.join(os.tmpdir(), `parx-bench-close-${SIGNALS}x${PER_SIGNAL}${WRITER === 'copy' ? '-copy' : ''}`);
  const done = path.join(folder, 'complete');
  const known = await fs.readFile(done, 'utf8').catch(() => null);
  if (known) return { folder, file: known, fresh: false };
  await fs.rm(folder, { recursive: true, force: true });
  if (WRITER === 'copy') {
    const file = await copiedBatch(folder);
    await fs.writeFile(done, file);
    return { folder, file, fresh: true };
  }
  const db = await openDuckDB();
  try {
    const d = descriptor;
    let seq = 0;
    const w = await BatchWriter.open(db.connection, folder, d, () => ++seq);
    // As the pump appends: every signal's sample of a tick together, tick after tick.
    const TICKS = 1000;
    for (let i0 = 0; i0 < PER_SIGNAL; i0 += TICKS) {
      const n = Math.min(TICKS, PER_SIGNAL - i0) * SIGNALS;
      const b = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
      for (let r = 0; r < n; r++) {
        const s = r % SIGNALS;
        const i = i0 + Math.floor(r / SIGNALS);
        b.signal[r] = s;
        b.ts[r] = T0 + i * STEP_MS;
        b.value[r] = Math.round((s * 10 + 50 * Math.sin(i / 500 + s) + ((i * 7919) % 13) / 10) * 10) / 10;
      }
      await w.append(b);
    }
    const info = await w.close({ end: T0 + PER_SIGNAL * STEP_MS, closedBy: 'bench' });
    await fs.writeFile(done, info.file);
    return { folder, file: info.file, fresh: true };
  } finally {
    db.close();
  }
}

/** Starts a fresh worker, opens the folder and draws 8 signals over the full range: the three times, ms. */
async function firstTrend(host: AnalysisHost, folder: string): Promise<{ workerStartMs: number; openMs: number; trendMs: number; rawColumnsMB: number }> {
  // Apart: from TypeScript sources (tsx) a worker thread takes 1–2 s to start here; the app's is bundled.
  const w0 = performance.now();
  must(await host.request({ type: 'memory' }));
  const workerStartMs = Math.round(performance.now() - w0);
  const t0 = performance.now();
  const src = must(await host.request({ type: 'open', path: folder }));
  const t1 = performance.now();
  const r = must(await host.request({ type: 'query', params: { source: src.id, signals: Array.from({ length: 8 }, (_, j) => name((j * 37) % SIGNALS)), pixels: PIXELS, axis: 'time' } }));
  const trendMs = Math.round(performance.now() - t1);
  if (r.series.some((s) => s.x.length === 0)) throw new Error('an empty series');
  // Raw samples read for it (0: every series came from the pyramid).
  const rawColumnsMB = Math.round(must(await host.request({ type: 'memory' })).cacheBytes / 2 ** 20);
  return { workerStartMs, openMs: Math.round(t1 - t0), trendMs, rawColumnsMB };
}

export default async function run(out: Emit): Promise<void> {
  const emit: Emit = (row) => out({ ...row, load1: Math.round(os.loadavg()[0]! * 10) / 10 });
  const g0 = performance.now();
  const { file, fresh } = await recordedBatch();
  const bytes = (await fs.stat(file)).size;
  emit({ case: 'recorded-batch', samples: SIGNALS * PER_SIGNAL, signals: SIGNALS, bytes, writer: WRITER, ms: Math.round(performance.now() - g0), note: fresh ? `written now (${WRITER})` : 'cached in /tmp' });

  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'parx-bench-close-run-'));
  const hosts: AnalysisHost[] = [];
  const host = (pyramids: string): AnalysisHost => {
    const h = new AnalysisHost(undefined, { PARX_ANALYSIS_PYRAMIDS: pyramids });
    hosts.push(h);
    return h;
  };
  try {
    // What a recording engine pays for the worker it starts at the first closed file.
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const atClose = host(path.join(scratch, 'at-close'));
    const idle = must(await atClose.request({ type: 'memory' }));
    emit({ case: 'worker-start', rssBeforeMB: Math.round(rss0 / 2 ** 20), rssAfterMB: Math.round(idle.rss / 2 ** 20), deltaMB: Math.round((idle.rss - rss0) / 2 ** 20), note: 'one process: the delta is the analysis worker thread with its idle DuckDB' });

    if (QUICK) {
      const b0 = performance.now();
      const outcome = must(await atClose.request({ type: 'pyramid', file }));
      emit({ case: 'build-at-close', status: outcome.status, wallMs: Math.round(performance.now() - b0), batchBytes: bytes, note: 'request to saved sidecar (quick: no queries meanwhile)' });
    } else await buildWithQueries(atClose, file, bytes, scratch, emit);

    // A fresh worker each, several times: on a loaded 2-core machine one figure is noise.
    const tries = QUICK ? 3 : 1;
    const withSidecar = [];
    for (let k = 0; k < tries; k++) withSidecar.push(await firstTrend(host(path.join(scratch, 'at-close')), path.dirname(file)));
    const without = [];
    let builtAtOpenMs: number | null = null;
    for (let k = 0; k < tries; k++) {
      const atOpen = host(path.join(scratch, `at-open-${k}`));
      const w0 = performance.now();
      without.push(await firstTrend(atOpen, path.dirname(file)));
      // The old path: the build started at open; its trends come from raw samples until then.
      if (QUICK) await atOpen.stop();
      else {
        must(await atOpen.request({ type: 'pyramids' }));
        builtAtOpenMs = Math.round(performance.now() - w0);
      }
    }
    const off = [];
    for (let k = 0; k < tries; k++) off.push(await firstTrend(host('off'), path.dirname(file)));
    const best = <T extends { trendMs: number }>(xs: T[]): T & { trendMsEach: number[] } => ({ ...xs.reduce((a, b) => (b.trendMs < a.trendMs ? b : a)), trendMsEach: xs.map((x) => x.trendMs) });
    emit({
      case: 'first-trend-8-signals-full-range',
      batchBytes: bytes,
      samples: SIGNALS * PER_SIGNAL,
      sidecarBuiltAtClose: best(withSidecar),
      noSidecar: { ...best(without), pyramidReadyAfterOpenMs: builtAtOpenMs },
      pyramidsOff: best(off),
      note: `fresh worker each: open the folder, then one query at 2,000 px${tries > 1 ? `; best of ${tries} (trendMsEach: all)` : ''}`,
    });
  } finally {
    for (const h of hosts) await h.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** The build at close, with interactive queries of another source issued meanwhile (idle first, as the baseline). */
async function buildWithQueries(atClose: AnalysisHost, file: string, bytes: number, scratch: string, emit: Emit): Promise<void> {
  {
    // Interactive queries of another source, idle, then while the big batch's pyramid builds.
    const coils = await writeCoils(path.join(scratch, 'coils'), { coils: 2, samples: 20_000 });
    const small = must(await atClose.request({ type: 'open', path: path.dirname(coils[0]!) }));
    // Its own pyramids (built at open) out of the way first: the baseline is an idle worker.
    must(await atClose.request({ type: 'pyramids' }));
    const zoom = async (k: number): Promise<number> => {
      const span = small.end! - small.start!;
      const from = small.start! + ((k * 0.137) % 0.8) * span;
      const t = performance.now();
      must(await atClose.request({ type: 'query', params: { source: small.id, signals: ['Entry Tension', 'Line Speed'], from, to: from + span * 0.1, pixels: PIXELS, axis: 'time' } }));
      return performance.now() - t;
    };
    await zoom(0);
    const idleTimes: number[] = [];
    for (let k = 1; k <= 20; k++) idleTimes.push(await zoom(k));
    const b0 = performance.now();
    let buildMs = 0;
    const built = atClose.request({ type: 'pyramid', file }).then((r) => {
      buildMs = performance.now() - b0;
      return must(r);
    });
    let finished = false;
    void built.finally(() => (finished = true));
    const during: number[] = [];
    for (let k = 100; !finished; k++) {
      during.push(await zoom(k));
      await new Promise((r) => setTimeout(r, 20));
    }
    const outcome = await built;
    const sizes = await Promise.all((await fs.readdir(path.join(scratch, 'at-close'))).map(async (n) => (await fs.stat(path.join(scratch, 'at-close', n))).size));
    emit({ case: 'build-at-close', status: outcome.status, wallMs: Math.round(buildMs), sidecarBytes: Math.max(...sizes), batchBytes: bytes, note: 'request to saved sidecar; the build’s DuckDB gets one thread less than the machine' });
    emit({
      case: 'zoom-query-during-build',
      runs: during.length,
      p50Ms: pct(during, 50),
      p95Ms: pct(during, 95),
      maxMs: Math.round(Math.max(...during)),
      baselineIdleP50Ms: pct(idleTimes, 50),
      baselineIdleP95Ms: pct(idleTimes, 95),
      note: '2 signals, 10 % of a 200 s coil, columns cached; the build runs on the pyramid store’s own DuckDB',
    });
  }
}
