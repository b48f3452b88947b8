/**
 * Recorder figures. (1) Ingest: samples/s sustained from the sample journal (what the
 * collector writes) through the recorder worker to closed ZSTD Parquet files, 1,000 signals,
 * against the raw DuckDB appender taking the same samples in the same run; RSS sampled over
 * the run (5 minutes with PARX_BENCH_LONG=1). (2) Bytes per million samples for each
 * compression. (3) Listing 1,000 batches from the catalog. (4) The original write path below:
 * 10M samples (100 signals) appended to a batch and closed into a ZSTD
 * batch file (sorted by signal then time, metadata), against a baseline in the same run:
 * DuckDB writing the same row count straight from range() to ZSTD Parquet — the floor for
 * "DuckDB writes a Parquet file", with no appending, sorting or naming.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB } from '../native/duckdb';
import { BatchWriter } from '../app/recorder/batch-writer';
import type { BatchDescriptor } from '../app/recorder/format';
import { tempDir } from '../app/testing/helpers';
import { ColumnAppender } from '../native/duckdb-appender';
import { SampleJournal, type JournalCursor } from '../app/buffer/journal';
import { RecorderHost } from '../app/recorder/recorder-host';
import { APPENDS_IN_FLIGHT, CLOSES_IN_FLIGHT } from '../app/recorder/pump';
import { Catalog } from '../app/recorder/catalog-db';
import { DEFAULT_RECORDER_MEMORY_MB } from '../app/recorder/recorder';
import type { BatchFileInfo } from '../app/recorder/batch-file';
import type { Compression } from '../app/recorder/format';
import type { SampleBatch } from '../app/shared/samples';

type Emit = (row: Record<string, unknown>) => void;

const SAMPLES = Number(process.env.PARX_BENCH_SAMPLES ?? 10_000_000);
const SIGNALS = 100;
const PER_FEED = 10_000; // one collector batch of 100 signals × 100 polls
const T0 = Date.UTC(2026, 0, 1);

function descriptor(): BatchDescriptor {
  return {
    id: 'bench',
    line: 'Bench',
    coil: '1',
    start: T0,
    openedBy: 'bench',
    signals: Array.from({ length: SIGNALS }, (_, id) => ({ id, name: `Signal ${id}`, unit: '', description: '', source: { connection: 'PLC', address: `hr:${id}` }, data_type: 'double' as const, scale: 1, offset: 0, timebase_ms: 10 })),
    lengthIndex: null,
    compression: 'zstd',
  };
}

/** A process-like signal: a slow sine with a little quantised noise, 10 ms polls. */
function feedAt(k: number) {
  const n = PER_FEED;
  const b = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const row = k * n + i;
    const poll = Math.floor(row / SIGNALS);
    const s = row % SIGNALS;
    b.signal[i] = s;
    b.ts[i] = T0 + poll * 10;
    b.value[i] = Math.round((s * 10 + 50 * Math.sin(poll / 500 + s) + ((poll * 7919) % 13) / 10) * 10) / 10;
  }
  return b;
}

/** PARX_BENCH_CASES=ingest,compressions,catalog,write-path picks cases (all by default). */
const CASES = (process.env.PARX_BENCH_CASES ?? 'ingest,compressions,catalog,write-path').split(',');

export default async function run(emit: Emit): Promise<void> {
  if (CASES.includes('ingest')) await ingest(emit);
  if (CASES.includes('compressions')) await compressions(emit);
  if (CASES.includes('catalog')) await catalogListing(emit);
  if (CASES.includes('write-path')) await writePath(emit);
}

const WIDE = 1000;
const WIDE_FEED = 100 * WIDE; // one collector batch: 100 polls of 1,000 signals
/** Seconds of a timed run: 300 with PARX_BENCH_LONG=1, or PARX_BENCH_SECONDS; 0 = a fixed sample count. */
const SECONDS = Number(process.env.PARX_BENCH_SECONDS ?? (process.env.PARX_BENCH_LONG === '1' ? 300 : 0));
const LONG = SECONDS > 0;
const INGEST_SAMPLES = Number(process.env.PARX_BENCH_INGEST ?? 6_000_000);
const ROTATE = LONG ? 20_000_000 : INGEST_SAMPLES / 2;

function wideDescriptor(id: string, compression: Compression = 'zstd'): BatchDescriptor {
  const d = descriptor();
  return {
    ...d,
    id,
    compression,
    signals: Array.from({ length: WIDE }, (_, sid) => ({ id: sid, name: `Signal ${sid}`, unit: '', description: '', source: { connection: 'PLC', address: `hr:${sid}` }, data_type: 'double' as const, scale: 1, offset: 0, timebase_ms: 10 })),
  };
}

/** Polls 10 ms apart starting at poll `p0`: process-like values, every 1,000 signals per poll. */
function wideFeed(p0: number): SampleBatch {
  const n = WIDE_FEED;
  const b = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const poll = p0 + Math.floor(i / WIDE);
    const sid = i % WIDE;
    b.signal[i] = sid;
    b.ts[i] = T0 + poll * 10;
    b.value[i] = Math.round((sid + 50 * Math.sin(poll / 500 + sid) + ((poll * 7919) % 13) / 10) * 10) / 10;
  }
  return b;
}

/** Feeds for poll windows 0, 100, 200…: a pool reused with shifted times, so generating data costs the run little. */
class FeedSource {
  private readonly pool = Array.from({ length: 8 }, (_, k) => wideFeed(k * 100));
  private readonly work: SampleBatch = { signal: new Uint32Array(WIDE_FEED), ts: new Float64Array(WIDE_FEED), value: new Float64Array(WIDE_FEED), quality: new Uint8Array(WIDE_FEED) };
  feed(k: number): SampleBatch {
    const src = this.pool[k % this.pool.length] as SampleBatch;
    const shift = Math.floor(k / this.pool.length) * this.pool.length * 100 * 10;
    this.work.signal.set(src.signal);
    this.work.value.set(src.value);
    for (let i = 0; i < WIDE_FEED; i++) this.work.ts[i] = (src.ts[i] as number) + shift;
    return this.work;
  }
}

interface MemorySample {
  readonly t: number;
  readonly rssMB: number;
  readonly heapMB: number;
  readonly arrayBuffersMB: number;
  duckdbMB?: number;
  duckdbTempMB?: number;
  workerHeapMB?: number;
  workerArrayBuffersMB?: number;
  duckdbByTagMB?: Record<string, number>;
}

/** RSS min and max in consecutive windows of `ms`. */
function windows(seen: readonly MemorySample[], ms: number): { index: number; min: number; max: number }[] {
  const out: { index: number; min: number; max: number }[] = [];
  for (const s of seen) {
    const index = Math.floor(s.t / ms);
    const w = out[out.length - 1];
    if (w && w.index === index) {
      w.min = Math.min(w.min, s.rssMB);
      w.max = Math.max(w.max, s.rssMB);
    } else out.push({ index, min: s.rssMB, max: s.rssMB });
  }
  return out;
}

/** Least-squares slope of y over x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Process memory every 500 ms, and where it sits (the recorder worker's DuckDB buffers and
 * heap) every 2 s. "Flat" is judged by the slope fitted after `warmupMs` (the first batch
 * closes and DuckDB reaches its working set): MB per minute, with first/last/max after it.
 * PARX_BENCH_MEMORY_LOG=FILE writes every sample as a JSON line.
 */
function memorySampler(host: RecorderHost, warmupMs: number) {
  const mb = (b: number): number => Math.round(b / 1e5) / 10;
  const t0 = performance.now();
  const seen: MemorySample[] = [];
  const sample = (): MemorySample => {
    const m = process.memoryUsage();
    const s: MemorySample = { t: Math.round(performance.now() - t0), rssMB: mb(m.rss), heapMB: mb(m.heapUsed), arrayBuffersMB: mb(m.arrayBuffers) };
    seen.push(s);
    return s;
  };
  sample();
  let ticks = 0;
  const timer = setInterval(() => {
    const s = sample();
    if (ticks++ % 4 !== 0) return;
    void host.memory().then((r) => {
      if (!r.ok) return;
      s.duckdbMB = mb(r.value.duckdbBytes);
      s.duckdbTempMB = mb(r.value.duckdbTempBytes);
      s.workerHeapMB = mb(r.value.heapUsedBytes);
      s.workerArrayBuffersMB = mb(r.value.arrayBuffersBytes);
      s.duckdbByTagMB = Object.fromEntries(Object.entries(r.value.duckdbByTag).map(([k, v]) => [k, mb(v)]));
    });
  }, 500);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      if (process.env.PARX_BENCH_MEMORY_LOG) await fs.writeFile(process.env.PARX_BENCH_MEMORY_LOG, seen.map((s) => JSON.stringify(s)).join('\n') + '\n');
      const warm = seen.filter((s) => s.t >= warmupMs);
      const after = warm.length >= 2 ? warm : seen;
      const rss = after.map((s) => s.rssMB);
      const duck = after.filter((s) => s.duckdbMB !== undefined);
      const perMin = (xs: readonly MemorySample[], y: (s: MemorySample) => number): number => Math.round(slope(xs.map((s) => s.t / 60_000), xs.map(y)) * 10) / 10;
      const mean = rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length);
      const minutes = after.length >= 2 ? ((after[after.length - 1] as MemorySample).t - (after[0] as MemorySample).t) / 60_000 : 0;
      const driftMB = Math.round(perMin(after, (s) => s.rssMB) * minutes);
      const swingMB = Math.round((Math.max(...rss) - Math.min(...rss)) * 10) / 10;
      return {
        firstMB: seen[0]?.rssMB ?? 0,
        maxMB: Math.max(...seen.map((s) => s.rssMB)),
        warmupS: Math.round(warmupMs / 1000),
        afterWarmup: {
          firstMB: rss[0] ?? 0,
          lastMB: rss[rss.length - 1] ?? 0,
          maxMB: Math.max(...rss),
          minMB: Math.min(...rss),
          slopeMBPerMin: perMin(after, (s) => s.rssMB),
          meanMB: Math.round(mean),
          swingMB,
          driftMB,
          // Flat (no growth): the fitted drift over the run after warm-up within 5% of the mean RSS.
          flat: Math.abs(driftMB) <= 0.05 * mean,
          // Stricter, reported beside it: also max − min within 20% of the mean (closes make a band).
          flatWithin20PctBand: Math.abs(driftMB) <= 0.05 * mean && swingMB <= 0.2 * mean,
          duckdbMaxMB: Math.max(0, ...duck.map((s) => s.duckdbMB ?? 0)),
          duckdbSlopeMBPerMin: perMin(duck, (s) => s.duckdbMB ?? 0),
          workerHeapMaxMB: Math.max(0, ...duck.map((s) => s.workerHeapMB ?? 0)),
          mainHeapMaxMB: Math.max(...after.map((s) => s.heapMB)),
          samples: after.length,
        },
        // A leak shows as rising peaks and troughs; each batch's close is one tooth of the saw.
        perMinute: windows(seen, 60_000).map((w) => ({ minute: w.index + 1, minMB: w.min, maxMB: w.max })),
      };
    },
  };
}

/**
 * The recording path as the engine runs it, minus the batching rule: feeds appended to the
 * journal (encoded, checksummed, fsync'ed), read back from the cursor, transferred to the
 * recorder worker, appended, spilled, and every ROTATE samples closed into a sorted ZSTD file.
 */
async function ingest(emit: Emit): Promise<void> {
  const dir = await tempDir('parx-bench-ingest-');
  const source = new FeedSource();
  const journal = await SampleJournal.open(path.join(dir, 'buffer'), { maxBytes: 512 * 1024 * 1024 });
  const { host, recovery } = await RecorderHost.start(path.join(dir, 'recordings'));
  if (!recovery.ok) throw new Error(recovery.error.message);
  let cursor: JournalCursor = await journal.end();
  let written = 0;
  let inBatch = 0;
  let batchNo = 0;
  // Only what the figures need: keeping every file's per-signal stats (1,000 each) grew this thread's heap over a long run.
  const files: Pick<BatchFileInfo, 'rows' | 'bytes'>[] = [];
  const check = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  check(await host.open(wideDescriptor(`ingest-${batchNo}`)));
  // As the pump does: up to APPENDS_IN_FLIGHT appends outstanding (the worker keeps their order).
  const inFlight: Promise<{ ok: true; value: null } | { ok: false; error: { message: string } }>[] = [];
  // Where this thread's time goes: making and journalling feeds, reading them back, waiting for the worker.
  const spent = { journalMs: 0, replayMs: 0, waitAppendsMs: 0, waitClosesMs: 0 };
  // As the pump does: a close is answered when its file is written, beside the next batch's
  // appends; at most CLOSES_IN_FLIGHT are outstanding. closesBusyMs sums each close's request → file time.
  const closes: Promise<void>[] = [];
  let closesBusyMs = 0;
  let closeError: Error | undefined;
  const close = async (id: string, closedBy: string): Promise<void> => {
    const c0 = performance.now();
    closes.push(
      host.close(id, { closedBy }, JSON.stringify(cursor)).then((r) => {
        closesBusyMs += performance.now() - c0;
        if (r.ok) files.push({ rows: r.value.rows, bytes: r.value.bytes });
        else closeError = new Error(r.error.message);
      }),
    );
    const w0 = performance.now();
    while (closes.length > CLOSES_IN_FLIGHT) await closes.shift();
    spent.waitClosesMs += performance.now() - w0;
  };
  const send = async (p: (typeof inFlight)[number]): Promise<void> => {
    inFlight.push(p);
    const w0 = performance.now();
    while (inFlight.length > APPENDS_IN_FLIGHT) check(await inFlight.shift()!);
    spent.waitAppendsMs += performance.now() - w0;
  };
  const settle = async (): Promise<void> => {
    while (inFlight.length > 0) check(await inFlight.shift()!);
  };
  const rawBefore = await rawAppender(source, Math.min(200, Math.ceil((LONG ? 20_000_000 : INGEST_SAMPLES) / WIDE_FEED)));
  const memory = memorySampler(host, LONG ? Math.min(60, SECONDS / 5) * 1000 : 0);
  const load0 = os.loadavg()[0] as number;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = LONG ? t0 + SECONDS * 1000 : Number.POSITIVE_INFINITY;
  // The collector and the pump run side by side on this thread, as in the engine: the collector
  // appends a feed at a time and never waits for the recorder, except that it is held to at most
  // BACKLOG samples ahead of the pump (a collector at exactly the rate the path sustains, so
  // the journal never drops anything and every sample is counted).
  const BACKLOG = 16 * WIDE_FEED;
  let produced = 0;
  let producing = true;
  /** Set when the pump fails: the collector stops too, so the process can end with the error. */
  let failed = false;
  const collector = (async () => {
    for (let k = 0; !failed && (LONG ? performance.now() < until : produced < INGEST_SAMPLES); k++) {
      while (produced - written > BACKLOG && !failed) await new Promise((r) => setTimeout(r, 2));
      const j0 = performance.now();
      journal.append(source.feed(k));
      spent.journalMs += performance.now() - j0;
      produced += WIDE_FEED;
      await new Promise((r) => setImmediate(r));
    }
    producing = false;
  })();
  // The pump: reads what the journal gained (written, not waiting for its fsync), rotates batches.
  try {
    while (producing || written < produced) {
      let r0 = performance.now();
      let read = 0;
      // As the pump does: batches decode into the host's pool, whose buffers the worker sends back.
      for await (const { batch, cursor: next } of journal.replay(cursor, (n) => host.pool.take(n))) {
        cursor = next;
        const n = batch.ts.length; // before the append: it transfers (detaches) the arrays
        spent.replayMs += performance.now() - r0;
        await send(host.append(`ingest-${batchNo}`, batch, 0, n, JSON.stringify(next)));
        r0 = performance.now();
        written += n;
        inBatch += n;
        read += n;
      }
      spent.replayMs += performance.now() - r0;
      if (inBatch >= ROTATE) {
        await close(`ingest-${batchNo}`, 'rotation');
        inBatch = 0;
        check(await host.open(wideDescriptor(`ingest-${++batchNo}`)));
      }
      if (read === 0) await new Promise((r) => setTimeout(r, 5));
    }
  } catch (e) {
    failed = true;
    await collector;
    await memory.stop();
    await host.stop();
    await journal.close();
    throw e;
  }
  await collector;
  await settle();
  await close(`ingest-${batchNo}`, 'end of run');
  const w0 = performance.now();
  while (closes.length > 0) await closes.shift();
  spent.waitClosesMs += performance.now() - w0;
  if (closeError) throw closeError;
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const load1 = os.loadavg()[0] as number;
  const rss = await memory.stop();
  const pool = host.pool.stats();
  await host.stop();
  await journal.close();
  const rows = files.reduce((n, f) => n + f.rows, 0);
  if (rows !== written) throw new Error(`files hold ${rows} samples, ${written} were written`);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const ingestRate = Math.round(rows / ((t1 - t0) / 1000));

  // Baseline: the same samples straight into a DuckDB table through the appender, one thread, no journal, no file.
  // PARX_BENCH_BASELINE_FEEDS caps it (a quicker look at memory; the share is then against fewer samples).
  const raw = await rawAppender(source, Math.min(Number(process.env.PARX_BENCH_BASELINE_FEEDS ?? Infinity), Math.ceil(rows / WIDE_FEED)));
  // The machine is shared: the raw rate measured before the run too (on its first feeds), and the share taken against the faster.
  const rawRate = Math.max(raw, rawBefore);
  emit({
    case: 'ingest-journal-to-parquet-zstd',
    signals: WIDE,
    samples: rows,
    files: files.length,
    seconds: Math.round(t1 - t0) / 1000,
    samplesPerSec: ingestRate,
    baselineRawAppenderSamplesPerSec: rawRate,
    baselineRuns: { beforeFirst20MSamplesPerSec: rawBefore, afterAllSamplesPerSec: raw },
    ofBaseline: Math.round((ingestRate / rawRate) * 100) / 100,
    bytesPerMillionSamples: Math.round((bytes / rows) * 1e6),
    mainThreadMs: Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v)])),
    closeSeconds: Math.round(closesBusyMs / 100) / 10,
    // The whole process (every thread: collector, pump, recorder worker, DuckDB), user + system.
    cpuCoreSecondsPerMillionSamples: Math.round(((cpu.user + cpu.system) / 1e6 / (rows / 1e6)) * 1000) / 1000,
    cpuSystemShare: Math.round((cpu.system / Math.max(1, cpu.user + cpu.system)) * 100) / 100,
    load1m: { start: Math.round(load0 * 100) / 100, end: Math.round(load1 * 100) / 100 },
    recorderMemoryLimitMB: Number(process.env.PARX_RECORDER_MEMORY_MB ?? DEFAULT_RECORDER_MEMORY_MB),
    rss,
    // Journal batches decoded into buffers the worker sent back: reusedBuffers / (4 × taken) near 1 means no allocation per batch.
    batchPool: pool,
    mode: LONG ? `${SECONDS} s run (PARX_BENCH_LONG=1: 300 s)` : `short run (${INGEST_SAMPLES} samples; PARX_BENCH_LONG=1 for 5 minutes)`,
    aim: '>= 1,000,000 samples/s and >= 50% of the raw appender',
  });
  await fs.rm(dir, { recursive: true, force: true });
}

/**
 * Samples/s of the raw DuckDB appender taking feeds 0 … feeds−1 of `source` into an in-memory
 * table (time in the appender only). The table starts afresh every 200 feeds (20M samples), so
 * a long run's baseline does not hold all of its samples in memory (a 5-minute run is ~30 GB).
 */
async function rawAppender(source: FeedSource, feeds: number): Promise<number> {
  const TABLE_FEEDS = 200;
  const db = await openDuckDB();
  let rawTime = 0;
  for (let k0 = 0; k0 < feeds; k0 += TABLE_FEEDS) {
    await db.connection.run('CREATE OR REPLACE TABLE raw (ts DOUBLE, signal UINTEGER, value DOUBLE, quality UTINYINT)');
    const appender = await ColumnAppender.open(db.connection, 'raw', ['double', 'uinteger', 'double', 'utinyint']);
    for (let k = k0; k < Math.min(feeds, k0 + TABLE_FEEDS); k++) {
      const f = source.feed(k);
      const a0 = performance.now();
      appender.append([f.ts, f.signal, f.value, f.quality], f.ts.length);
      rawTime += performance.now() - a0;
    }
    const a0 = performance.now();
    appender.close();
    rawTime += performance.now() - a0;
  }
  db.close();
  return Math.round((feeds * WIDE_FEED) / (rawTime / 1000));
}

/** The same 2M samples of 1,000 signals closed with each compression. */
async function compressions(emit: Emit): Promise<void> {
  const dir = await tempDir('parx-bench-comp-');
  const db = await openDuckDB();
  const source = new FeedSource();
  const n = 20; // feeds: 2M samples
  let seq = 0;
  const sizes: Record<string, number> = {};
  for (const c of ['zstd', 'snappy', 'none'] as const) {
    const w = await BatchWriter.open(db.connection, dir, wideDescriptor(`comp-${c}`, c), () => ++seq);
    for (let k = 0; k < n; k++) await w.append(source.feed(k));
    const info = await w.close({ closedBy: 'bench' });
    sizes[c] = Math.round((info.bytes / info.rows) * 1e6);
  }
  db.close();
  emit({ case: 'bytes-per-million-samples', signals: WIDE, samples: n * WIDE_FEED, zstd: sizes.zstd, snappy: sizes.snappy, none: sizes.none, baseline: 'none (uncompressed Parquet) is the baseline', zstdOfNone: Math.round(((sizes.zstd ?? 0) / (sizes.none ?? 1)) * 100) / 100 });
  await fs.rm(dir, { recursive: true, force: true });
}

/** Listing 1,000 batches (newest first, one page) from the catalog file, against a full scan of the same table. */
async function catalogListing(emit: Emit): Promise<void> {
  const dir = await tempDir('parx-bench-cat-');
  const catalog = await Catalog.open(path.join(dir, 'catalog.duckdb'));
  const infos: BatchFileInfo[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `b${i}`,
    file: path.join(dir, `b${i}.parquet`),
    coil: String(250001 + i),
    rows: 1_000_000,
    start: T0 + i * 600_000,
    end: T0 + i * 600_000 + 550_000,
    status: 'complete',
    bytes: 2_500_000,
    line: 'Line 1',
    openedBy: 'coil id changed',
    closedBy: 'coil id changed',
    signals: Array.from({ length: 100 }, (_, s) => ({ signal: `Signal ${s}`, count: 10_000, min: 0, max: s, mean: s / 2 })),
  }));
  const i0 = performance.now();
  await catalog.add(infos);
  const i1 = performance.now();
  await catalog.list({ limit: 1000 }); // warm
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const l0 = performance.now();
    const page = await catalog.list({ limit: 1000 });
    times.push(performance.now() - l0);
    if (page.batches.length !== 1000) throw new Error('catalog listed fewer than 1000 batches');
  }
  const f0 = performance.now();
  const one = await catalog.list({ coil: '250999', limit: 1000 });
  const f1 = performance.now();
  catalog.close();
  emit({
    case: 'catalog-list-1000-batches',
    batches: 1000,
    listMs: Math.round(Math.min(...times) * 10) / 10,
    medianListMs: Math.round([...times].sort((a, b) => a - b)[2] as number * 10) / 10,
    coilFilterMs: Math.round((f1 - f0) * 10) / 10,
    coilFilterHits: one.total,
    indexMsFor1000Batches100SignalsEach: Math.round(i1 - i0),
  });
  await fs.rm(dir, { recursive: true, force: true });
}

async function writePath(emit: Emit): Promise<void> {
  const dir = await tempDir('parx-bench-rec-');
  const feeds = Array.from({ length: Math.ceil(SAMPLES / PER_FEED) }, (_, k) => feedAt(k));

  const db = await openDuckDB();
  let seq = 0;
  const t0 = performance.now();
  const w = await BatchWriter.open(db.connection, dir, descriptor(), () => ++seq);
  for (const b of feeds) await w.append(b);
  const t1 = performance.now();
  const info = await w.close({ closedBy: 'bench' });
  const t2 = performance.now();
  emit({
    case: 'batch-file-zstd',
    samples: info.rows,
    signals: SIGNALS,
    rowsPerSec: Math.round(info.rows / ((t2 - t0) / 1000)),
    appendMs: Math.round(t1 - t0),
    closeMs: Math.round(t2 - t1),
    totalMs: Math.round(t2 - t0),
    bytes: info.bytes,
    bytesPerSample: Math.round((info.bytes / info.rows) * 100) / 100,
    spilledParts: Math.max(0, seq),
  });

  // Baseline: same row count, same columns, DuckDB generating and writing in one statement.
  const base = path.join(dir, 'baseline.parquet');
  const b0 = performance.now();
  await db.connection.run(
    `COPY (SELECT make_timestamptz(CAST((${T0} + (range // ${SIGNALS}) * 10) * 1000 AS BIGINT)) AS ts, 'Signal ' || (range % ${SIGNALS}) AS signal,
            round(((range % ${SIGNALS}) * 10 + 50 * sin((range // ${SIGNALS}) / 500 + range % ${SIGNALS}) + (((range // ${SIGNALS}) * 7919) % 13) / 10) * 10) / 10 AS value,
            0::UTINYINT AS quality FROM range(${SAMPLES})) TO '${base}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  const b1 = performance.now();
  const { size } = await fs.stat(base);
  emit({
    case: 'baseline-duckdb-copy-range-zstd',
    samples: SAMPLES,
    rowsPerSec: Math.round(SAMPLES / ((b1 - b0) / 1000)),
    totalMs: Math.round(b1 - b0),
    bytes: size,
    bytesPerSample: Math.round((size / SAMPLES) * 100) / 100,
    note: 'unsorted (time-major) rows generated inside DuckDB: no appender, no sort by signal',
  });
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
}
