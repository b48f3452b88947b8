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
import path from 'node:path';
import { openDuckDB } from '../native/duckdb';
import { BatchWriter } from '../app/recorder/batch-writer';
import type { BatchDescriptor } from '../app/recorder/format';
import { tempDir } from '../app/testing/helpers';
import { ColumnAppender } from '../native/duckdb-appender';
import { SampleJournal, type JournalCursor } from '../app/buffer/journal';
import { RecorderHost } from '../app/recorder/recorder-host';
import { APPENDS_IN_FLIGHT } from '../app/recorder/pump';
import { Catalog } from '../app/recorder/catalog-db';
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

export default async function run(emit: Emit): Promise<void> {
  await ingest(emit);
  await compressions(emit);
  await catalogListing(emit);
  await writePath(emit);
}

const WIDE = 1000;
const WIDE_FEED = 100 * WIDE; // one collector batch: 100 polls of 1,000 signals
const LONG = process.env.PARX_BENCH_LONG === '1';
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

function rssSampler(): { stop(): { firstMB: number; lastMB: number; maxMB: number; samples: number } } {
  const mb = (): number => Math.round(process.memoryUsage().rss / 1e6);
  const seen = [mb()];
  const t = setInterval(() => seen.push(mb()), 500);
  return {
    stop() {
      clearInterval(t);
      seen.push(mb());
      return { firstMB: seen[0] ?? 0, lastMB: seen[seen.length - 1] ?? 0, maxMB: Math.max(...seen), samples: seen.length };
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
  const rss = rssSampler();
  let cursor: JournalCursor = await journal.end();
  let written = 0;
  let inBatch = 0;
  let batchNo = 0;
  const files: BatchFileInfo[] = [];
  const check = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  check(await host.open(wideDescriptor(`ingest-${batchNo}`)));
  // As the pump does: up to APPENDS_IN_FLIGHT appends outstanding (the worker keeps their order).
  const inFlight: Promise<{ ok: true; value: null } | { ok: false; error: { message: string } }>[] = [];
  const send = async (p: (typeof inFlight)[number]): Promise<void> => {
    inFlight.push(p);
    while (inFlight.length > APPENDS_IN_FLIGHT) check(await inFlight.shift()!);
  };
  const settle = async (): Promise<void> => {
    while (inFlight.length > 0) check(await inFlight.shift()!);
  };
  const t0 = performance.now();
  const until = LONG ? t0 + 5 * 60_000 : Number.POSITIVE_INFINITY;
  for (let k = 0; LONG ? performance.now() < until : written < INGEST_SAMPLES; k++) {
    journal.append(source.feed(k));
    // The pump reads what the journal gained (replay flushes it first), a few feeds at a time.
    if (k % 4 !== 3) continue;
    for await (const { batch, cursor: next } of journal.replay(cursor)) {
      cursor = next;
      const n = batch.ts.length; // before the append: it transfers (detaches) the arrays
      await send(host.append(`ingest-${batchNo}`, batch, 0, n, JSON.stringify(next)));
      written += n;
      inBatch += n;
    }
    if (inBatch >= ROTATE) {
      files.push(check(await host.close(`ingest-${batchNo}`, { closedBy: 'rotation' }, JSON.stringify(cursor))));
      inBatch = 0;
      check(await host.open(wideDescriptor(`ingest-${++batchNo}`)));
    }
  }
  for await (const { batch, cursor: next } of journal.replay(cursor)) {
    cursor = next;
    const n = batch.ts.length;
    await send(host.append(`ingest-${batchNo}`, batch, 0, n, JSON.stringify(next)));
    written += n;
  }
  await settle();
  files.push(check(await host.close(`ingest-${batchNo}`, { closedBy: 'end of run' }, JSON.stringify(cursor))));
  const t1 = performance.now();
  const memory = rss.stop();
  await host.stop();
  await journal.close();
  const rows = files.reduce((n, f) => n + f.rows, 0);
  if (rows !== written) throw new Error(`files hold ${rows} samples, ${written} were written`);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const ingestRate = Math.round(rows / ((t1 - t0) / 1000));

  // Baseline: the same samples straight into a DuckDB table through the appender, one thread, no journal, no file.
  const db = await openDuckDB();
  await db.connection.run('CREATE TABLE raw (ts DOUBLE, signal UINTEGER, value DOUBLE, quality UTINYINT)');
  const appender = await ColumnAppender.open(db.connection, 'raw', ['double', 'uinteger', 'double', 'utinyint']);
  const feeds = Math.ceil(rows / WIDE_FEED);
  let rawTime = 0;
  for (let k = 0; k < feeds; k++) {
    const f = source.feed(k);
    const a0 = performance.now();
    appender.append([f.ts, f.signal, f.value, f.quality], f.ts.length);
    rawTime += performance.now() - a0;
  }
  const a0 = performance.now();
  appender.close();
  rawTime += performance.now() - a0;
  db.close();
  const rawRate = Math.round((feeds * WIDE_FEED) / (rawTime / 1000));
  emit({
    case: 'ingest-journal-to-parquet-zstd',
    signals: WIDE,
    samples: rows,
    files: files.length,
    seconds: Math.round(t1 - t0) / 1000,
    samplesPerSec: ingestRate,
    baselineRawAppenderSamplesPerSec: rawRate,
    ofBaseline: Math.round((ingestRate / rawRate) * 100) / 100,
    bytesPerMillionSamples: Math.round((bytes / rows) * 1e6),
    rss: memory,
    mode: LONG ? '5-minute run (PARX_BENCH_LONG=1)' : `short run (${INGEST_SAMPLES} samples; PARX_BENCH_LONG=1 for 5 minutes)`,
    aim: '>= 1,000,000 samples/s and >= 50% of the raw appender',
  });
  await fs.rm(dir, { recursive: true, force: true });
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
