/**
 * Offline analysis over ≥ 100 million samples (1,000 signals × 100,000 samples in 10 batch
 * files, written by DuckDB COPY in the ParX format and cached in /tmp between runs):
 * opening the folder, the first trend, and 8-signal trend queries at 2,000 px over the full
 * range and a 1 % range — through the analysis worker (columns cached in memory, M4 in JS),
 * against plain DuckDB M4 SQL over the same Parquet files in the same run.
 * Then again with the min/max pyramids (pyramid-store.ts): their one-scan build, the first
 * trend from them, the same queries, and a fresh worker reading the saved sidecars.
 * Quick run: PARX_BENCH_ANALYSIS_SIGNALS=100 (10 M samples).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB, queryRows, type DuckDBConnection } from '../native/duckdb';
import { AnalysisHost } from '../app/analysis/analysis-host';

type Emit = (row: Record<string, unknown>) => void;

const SIGNALS = Number(process.env.PARX_BENCH_ANALYSIS_SIGNALS ?? 1000);
const PER_SIGNAL = 100_000;
const FILES = 10;
const PER_FILE = PER_SIGNAL / FILES;
const STEP_MS = 10;
const T0 = Date.UTC(2026, 0, 1);
const PIXELS = 2000;
const RUNS = Number(process.env.PARX_BENCH_ANALYSIS_RUNS ?? 20);
/** Parquet row-group size of the dataset (DuckDB's default, 122,880, when unset): smaller groups let a one-signal read skip more. */
const ROW_GROUP = process.env.PARX_BENCH_ANALYSIS_ROW_GROUP ? Number(process.env.PARX_BENCH_ANALYSIS_ROW_GROUP) : null;

export const name = (s: number): string => `Signal ${String(s).padStart(4, '0')}`;
const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export async function dataset(): Promise<string> {
  const dir = path.join(os.tmpdir(), `parx-bench-analysis-${SIGNALS}x${PER_SIGNAL}${ROW_GROUP ? `-rg${ROW_GROUP}` : ''}`);
  const done = path.join(dir, 'complete');
  if (await fs.stat(done).then(() => true, () => false)) return dir;
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(path.join(dir, 'line=Bench'), { recursive: true });
  const db = await openDuckDB();
  const signals = JSON.stringify(Array.from({ length: SIGNALS }, (_, s) => ({ name: name(s), unit: s % 3 === 0 ? 'kN' : 'm/min', description: `bench signal ${s}`, source: { connection: 'PLC', address: `hr:${s}` }, data_type: 'double', scale: 1, offset: 0, timebase_ms: STEP_MS })));
  for (let f = 0; f < FILES; f++) {
    const start = T0 + f * PER_FILE * STEP_MS;
    const meta: Record<string, string> = {
      'parx.format_version': '1',
      'parx.batch_id': `b${f}`,
      'parx.coil_id': String(5000 + f),
      'parx.line': 'Bench',
      'parx.start': new Date(start).toISOString(),
      'parx.end': new Date(start + (PER_FILE - 1) * STEP_MS).toISOString(),
      'parx.opened_by': 'bench',
      'parx.closed_by': 'bench',
      'parx.status': 'complete',
      'parx.signals': signals,
      'parx.length_index': '',
      'parx.quality_codes': '{"0":"good","1":"uncertain","2":"stale","3":"bad"}',
    };
    const kv = Object.entries(meta).map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ');
    // range() yields signal-major order: rows come sorted by signal then time, as the format says.
    await db.connection.run(
      `COPY (SELECT make_timestamptz(CAST((${start} + (i % ${PER_FILE}) * ${STEP_MS}) * 1000 AS BIGINT)) AS ts,
              'Signal ' || lpad(CAST(i // ${PER_FILE} AS VARCHAR), 4, '0') AS signal,
              round(((i // ${PER_FILE}) * 10 + 50 * sin(((i % ${PER_FILE}) + ${f * PER_FILE}) / 500 + i // ${PER_FILE}) + (((i % ${PER_FILE}) * 7919) % 13) / 10) * 10) / 10 AS value,
              0::UTINYINT AS quality
       FROM range(${SIGNALS * PER_FILE}) r(i)) TO ${q(path.join(dir, 'line=Bench', `b${f}.parquet`))} (FORMAT parquet, COMPRESSION zstd${ROW_GROUP ? `, ROW_GROUP_SIZE ${ROW_GROUP}` : ''}, KV_METADATA {${kv}})`,
    );
  }
  db.close();
  await fs.writeFile(done, '');
  return dir;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

/** The baseline: per-pixel first/min/max/last computed by DuckDB straight from the Parquet files. */
async function duckdbM4(db: DuckDBConnection, files: string[], signals: string[], from: number, to: number): Promise<number> {
  const w = (to - from) / PIXELS;
  const rows = await queryRows(
    db,
    // One branch per signal: `signal = …` prunes row groups by statistics, `signal IN (…)` does not.
    `WITH s AS (${signals
      .map(
        (sig) => `SELECT signal, epoch_us(ts) / 1000.0 AS t, value FROM read_parquet([${files.map(q).join(', ')}])
               WHERE signal = ${q(sig)} AND ts BETWEEN make_timestamptz(${Math.floor(from * 1000)}) AND make_timestamptz(${Math.ceil(to * 1000)})`,
      )
      .join(' UNION ALL ')})
     SELECT signal, least(${PIXELS - 1}, floor((t - ${from}) / ${w}))::INTEGER AS px, min(value) AS lo, max(value) AS hi,
            arg_min(value, t) AS first, arg_max(value, t) AS last, arg_min(t, value) AS tlo, arg_max(t, value) AS thi, min(t) AS t0, max(t) AS t1
     FROM s GROUP BY ALL`,
  );
  return rows.length;
}

export default async function run(out: Emit): Promise<void> {
  // This machine is shared: the load average says how far figures are from an idle one.
  let pyramid = false;
  const emit: Emit = (row) => out({ ...row, pyramid, rowGroup: ROW_GROUP ?? 'default', load1: Math.round(os.loadavg()[0]! * 10) / 10 });
  const g0 = performance.now();
  const dir = await dataset();
  const genMs = Math.round(performance.now() - g0);
  const files = (await fs.readdir(path.join(dir, 'line=Bench'))).filter((f) => f.endsWith('.parquet')).map((f) => path.join(dir, 'line=Bench', f));
  let bytes = 0;
  for (const f of files) bytes += (await fs.stat(f)).size;
  emit({ case: 'dataset', samples: SIGNALS * PER_SIGNAL, signals: SIGNALS, files: files.length, bytes, buildMs: genMs, note: genMs > 1000 ? 'built now' : 'cached in /tmp' });

  // Without pyramids first (the worker reads its environment when it starts).
  const pyramidEnv = process.env.PARX_ANALYSIS_PYRAMIDS;
  process.env.PARX_ANALYSIS_PYRAMIDS = 'off';
  let host = new AnalysisHost();
  const o0 = performance.now();
  const opened = await host.request({ type: 'open', path: dir });
  const openMs = performance.now() - o0;
  if (!opened.ok) throw new Error(opened.error.message);
  const o1 = performance.now();
  await host.request({ type: 'open', path: dir });
  const reopenMs = performance.now() - o1;
  emit({ case: 'open-folder', batches: opened.value.batches.length, signals: opened.value.signals.length, coldMs: Math.round(openMs), cachedMs: Math.round(reopenMs), note: 'cold includes starting the worker and its DuckDB' });

  const src = opened.value.id;
  const sets = Array.from({ length: RUNS }, (_, k) => Array.from({ length: 8 }, (_, j) => name((k * 8 + j * 37) % SIGNALS)));
  const full = { from: opened.value.start!, to: opened.value.end! };
  const span = full.to - full.from;

  // First trend: 8 signals never touched before (loaded from Parquet, then decimated).
  const coldTimes: number[] = [];
  for (const signals of sets) {
    const t = performance.now();
    const r = await host.request({ type: 'query', params: { source: src, signals, pixels: PIXELS, axis: 'time' } });
    if (!r.ok) throw new Error(r.error.message);
    coldTimes.push(performance.now() - t);
  }
  emit({ case: 'first-trend-8-signals-full-range', p50Ms: pct(coldTimes, 50), p95Ms: pct(coldTimes, 95), firstMs: Math.round(coldTimes[0]!), runs: RUNS });

  const measure = async (label: string, range: { from: number; to: number }, baseline = true): Promise<void> => {
    const times: number[] = [];
    let points = 0;
    for (let k = 0; k < RUNS; k++) {
      const signals = sets[k % sets.length]!;
      const from = range.from + ((k * 7919) % 10) * (span / 1000) * (range.to - range.from < span ? 1 : 0);
      const t = performance.now();
      const r = await host.request({ type: 'query', params: { source: src, signals, from, to: from + (range.to - range.from), pixels: PIXELS, axis: 'time' } });
      times.push(performance.now() - t);
      if (r.ok) points = r.value.series.reduce((s, x) => s + x.x.length, 0);
    }
    const db = await openDuckDB();
    const base: number[] = [];
    for (let k = 0; k < (baseline ? Math.min(RUNS, 10) : 0); k++) {
      const signals = sets[k % sets.length]!;
      const from = range.from + ((k * 7919) % 10) * (span / 1000) * (range.to - range.from < span ? 1 : 0);
      const t = performance.now();
      await duckdbM4(db.connection, files, signals, from, from + (range.to - range.from));
      base.push(performance.now() - t);
    }
    db.close();
    const baseRow = base.length ? { baselineDuckdbP50Ms: pct(base, 50), baselineDuckdbP95Ms: pct(base, 95), baselineRuns: base.length } : { note: 'DuckDB baseline: the row with pyramid false' };
    emit({ case: `query-8-signals-${label}`, pixels: PIXELS, points, p50Ms: pct(times, 50), p95Ms: pct(times, 95), runs: RUNS, ...baseRow });
  };
  await measure('full-range', full);
  await measure('1pct-range', { from: full.from + span * 0.5, to: full.from + span * 0.51 });

  const mem = await host.request({ type: 'memory' });
  if (mem.ok) emit({ case: 'engine-memory', rssMB: Math.round(mem.value.rss / 2 ** 20), columnCacheMB: Math.round(mem.value.cacheBytes / 2 ** 20), note: 'RSS of the bench process (engine + analysis worker thread)' });
  await host.stop();

  // With pyramids: sidecars in a fresh folder, so the build is measured, not found.
  pyramid = true;
  const sidecars = await fs.mkdtemp(path.join(os.tmpdir(), 'parx-bench-pyramids-'));
  process.env.PARX_ANALYSIS_PYRAMIDS = sidecars;
  host = new AnalysisHost();
  const b0 = performance.now();
  if (!(await host.request({ type: 'open', path: dir })).ok) throw new Error('open failed');
  const built = await host.request({ type: 'pyramids' });
  if (!built.ok) throw new Error(built.error.message);
  emit({ case: 'pyramid-build', files: built.value.built, failed: built.value.failed, wallMs: Math.round(performance.now() - b0), buildMs: Math.round(built.value.buildMs), sidecarBytes: built.value.bytes, sidecarToDataRatio: Math.round((built.value.bytes / bytes) * 100) / 100, note: 'one DuckDB scan per file for all signals, in the background after open' });
  const firstTrend = async (h: AnalysisHost, label: string): Promise<void> => {
    const times: number[] = [];
    for (const signals of sets) {
      const t = performance.now();
      const r = await h.request({ type: 'query', params: { source: src, signals, pixels: PIXELS, axis: 'time' } });
      if (!r.ok) throw new Error(r.error.message);
      times.push(performance.now() - t);
    }
    emit({ case: label, p50Ms: pct(times, 50), p95Ms: pct(times, 95), firstMs: Math.round(times[0]!), runs: RUNS, baseline: 'first-trend-8-signals-full-range with pyramid false' });
  };
  await firstTrend(host, 'first-trend-8-signals-full-range');
  await measure('full-range', full, false);
  await measure('1pct-range', { from: full.from + span * 0.5, to: full.from + span * 0.51 }, false);
  const pmem = await host.request({ type: 'memory' });
  if (pmem.ok) emit({ case: 'engine-memory', rssMB: Math.round(pmem.value.rss / 2 ** 20), columnCacheMB: Math.round(pmem.value.cacheBytes / 2 ** 20) });
  await host.stop();

  // A fresh worker (a restart, another day): the sidecars are read, nothing is built.
  host = new AnalysisHost();
  const r0 = performance.now();
  if (!(await host.request({ type: 'open', path: dir })).ok) throw new Error('open failed');
  const t1 = performance.now();
  const r = await host.request({ type: 'query', params: { source: src, signals: sets[0]!, pixels: PIXELS, axis: 'time' } });
  if (!r.ok) throw new Error(r.error.message);
  emit({ case: 'first-trend-from-saved-sidecars', openMs: Math.round(t1 - r0), firstTrendMs: Math.round(performance.now() - t1), note: 'new worker: open the folder, then 8 signals full range' });
  await host.stop();
  await fs.rm(sidecars, { recursive: true, force: true });
  if (pyramidEnv === undefined) delete process.env.PARX_ANALYSIS_PYRAMIDS;
  else process.env.PARX_ANALYSIS_PYRAMIDS = pyramidEnv;
}
