/**
 * The query worker's state: the open sources, their catalogs and the column cache, all over
 * one DuckDB instance the worker owns. Answers trend queries (M4), cursor statistics and
 * golden-coil envelopes from raw samples held in memory.
 */
import path from 'node:path';
import type { DuckDBConnection } from '../../native/duckdb';
import type { AnalysisSeries, AnalysisSource, Axis, CursorStats } from '../shared/contract/analysis';
import { parxError } from '../shared/result';
import { Catalog, findBatchFiles, type BatchFile } from './catalog';
import { ColumnCache } from './column-cache';
import { DERIVED_LEAD_MS, DerivedSignalsOffline, type DerivedDefinition } from './derived-query';
import { rangeStats, valueAt } from './cursor-stats';
import { lengthFromLength, lengthFromSpeed } from './length';
import { m4, type Decimated, type Trace } from './m4';
import { PyramidStore, pyramidDirFromEnv, type PyramidOutcome } from './pyramid-store';

export interface OpenSource {
  readonly info: AnalysisSource;
  readonly batches: BatchFile[];
}

export interface QueryParams {
  source: string;
  signals: string[];
  from?: number;
  to?: number;
  pixels: number;
  batch?: string;
  axis: Axis;
  lengthFrom?: { from: 'length' | 'speed'; signal: string };
  /** Who asks (a trend pane): a newer query with the same view drops this one if it has not started (analysis.worker.ts). */
  view?: string;
}

export interface EnvelopeParams {
  source: string;
  signal: string;
  batches: string[];
  axis: Axis;
  lengthFrom?: { from: 'length' | 'speed'; signal: string };
  k: number;
  points: number;
}

const fail = (kind: 'not-found' | 'invalid-request', message: string, p?: string): never => {
  throw parxError(kind, message, p ? { path: p } : {});
};

function concat(traces: Trace[]): Trace {
  if (traces.length === 1) return traces[0]!;
  const n = traces.reduce((s, t) => s + t.x.length, 0);
  const out = { x: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  let at = 0;
  for (const t of traces) {
    out.x.set(t.x, at);
    out.value.set(t.value, at);
    out.quality.set(t.quality, at);
    at += t.x.length;
  }
  for (let i = 1; i < n; i++) {
    if (out.x[i]! >= out.x[i - 1]!) continue;
    // Batches that overlap in time (two lines in one folder): one time order, stable.
    const order = Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) => out.x[a]! - out.x[b]! || a - b);
    return { x: Float64Array.from(order, (k) => out.x[k]!), value: Float64Array.from(order, (k) => out.value[k]!), quality: Uint8Array.from(order, (k) => out.quality[k]!) };
  }
  return out;
}

export class AnalysisService {
  readonly sources = new Map<string, OpenSource>();
  private readonly catalog: Catalog;
  readonly columns: ColumnCache;
  /** Per-batch min/max pyramids: wide pixel columns without raw samples (pyramid-store.ts). */
  readonly pyramids = new PyramidStore(pyramidDirFromEnv());
  /** The workspace's derived signals, computed on query (derived-query.ts). */
  readonly derived = new DerivedSignalsOffline();

  constructor(db: DuckDBConnection) {
    this.catalog = new Catalog(db);
    this.columns = new ColumnCache(db);
  }

  async open(p: string): Promise<AnalysisSource> {
    const root = path.resolve(p);
    let files: string[];
    try {
      files = await findBatchFiles(root);
    } catch (e) {
      return fail('not-found', `${root} cannot be opened: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`, 'path');
    }
    const base = files.length === 1 && files[0] === root ? path.dirname(root) : root;
    const scanned = await this.catalog.scan(base, files);
    const batches = scanned.flatMap((s) => (s.ok ? [s.batch] : [])).sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
    const problems = scanned.flatMap((s) => (s.ok ? [] : [{ file: s.file, message: s.message }]));
    if (files.length === 0) problems.push({ file: path.basename(root), message: 'no .parquet batch files in this folder (yet)' });
    const signals = new Map<string, AnalysisSource['signals'][number]>();
    for (const b of batches) for (const s of b.signals) if (!signals.has(s.name)) signals.set(s.name, s);
    const info: AnalysisSource = {
      id: root,
      name: path.basename(root),
      batches: batches.map(({ path: _p, signals: _s, hasLength: _h, ...b }) => b),
      signals: this.derived.signalsFor([...signals.values()].sort((a, b) => a.name.localeCompare(b.name))),
      problems,
      start: batches.length ? Math.min(...batches.map((b) => b.start)) : null,
      end: batches.length ? Math.max(...batches.map((b) => b.end)) : null,
    };
    this.sources.set(root, { info, batches });
    this.pyramids.warm(batches);
    this.pyramids.sweepSoon();
    return info;
  }

  /**
   * Starts preparing one batch file's pyramid (the recorder just closed it), so the first
   * trend of it, whenever it is opened, comes from the pyramid. Only reading its footer
   * happens now; `done` settles once the sidecar is found or built and saved (in the
   * store's own DuckDB, one file at a time). A file no open source holds is not kept in memory.
   */
  async pyramidOf(file: string): Promise<{ done: Promise<PyramidOutcome & { file: string }> }> {
    const abs = path.resolve(file);
    const settled = (o: PyramidOutcome) => ({ done: Promise.resolve({ ...o, file: abs }) });
    if (!this.pyramids.enabled) return settled({ status: 'failed', message: 'pyramids are off (PARX_ANALYSIS_PYRAMIDS=off)' });
    // CSV and DuckDB batch files are not opened by analysis: nothing to prepare.
    if (!abs.endsWith('.parquet')) return settled({ status: 'up-to-date', message: 'not a Parquet batch file: no pyramid' });
    const held = (): boolean => [...this.sources.values()].some((s) => s.batches.some((b) => b.path === abs));
    const [scanned] = await this.catalog.scan(path.dirname(abs), [abs]);
    if (!held()) this.catalog.forget(abs);
    if (!scanned?.ok) return settled({ status: 'failed', message: scanned?.message ?? 'not found' });
    this.pyramids.sweepSoon();
    const done = this.pyramids.prepare(scanned.batch).then((o) => {
      if (!held()) this.pyramids.drop(abs);
      return { ...o, file: abs };
    });
    return { done };
  }

  close(id: string): boolean {
    const s = this.sources.get(id);
    if (!s) return false;
    for (const b of s.batches) {
      this.columns.dropFile(b.path);
      this.pyramids.drop(b.path);
    }
    this.sources.delete(id);
    return true;
  }

  /** New derived definitions (the workspace configuration changed): every open source offers them. */
  setDerived(defs: readonly DerivedDefinition[]): number {
    this.derived.set(defs);
    for (const [id, s] of this.sources) this.sources.set(id, { ...s, info: { ...s.info, signals: this.derived.signalsFor(s.info.signals) } });
    return defs.length;
  }

  private source(id: string): OpenSource {
    return this.sources.get(id) ?? fail('not-found', `no open source "${id}": open it first (analysis.open)`, 'source');
  }

  private batch(src: OpenSource, key: string): BatchFile {
    return src.batches.find((b) => b.key === key) ?? fail('not-found', `no batch "${key}" in ${src.info.name}`, 'batch');
  }

  /** One signal over the time range: the batches that overlap it, in time order. */
  private async timeTrace(src: OpenSource, signal: string, from: number, to: number, batch?: string): Promise<Trace> {
    const d = src.info.signals.find((s) => s.name === signal && s.formula !== undefined);
    if (d) return this.derived.trace(d, JSON.stringify([src.info.id, src.info.end, src.batches.length, batch ?? null]), from, to, (input, f, t) => this.timeTrace(src, input, f, t, batch));
    const batches = batch ? [this.batch(src, batch)] : src.batches.filter((b) => b.end >= from && b.start <= to && b.signals.some((s) => s.name === signal));
    return concat(await this.columns.getMany(batches.map((b) => ({ file: b.path, signal, hasLength: false }))));
  }

  /** One signal of one batch with strip length on x: the file's length_m, or integrated from the chosen signal. */
  private async lengthTrace(src: OpenSource, signal: string, batchKey: string | undefined, lengthFrom: QueryParams['lengthFrom']): Promise<{ trace: Trace; sorted: boolean }> {
    if (!batchKey) return fail('invalid-request', 'the length axis needs a batch (a coil): choose one in the batch list', 'batch');
    const b = this.batch(src, batchKey);
    let x: Float64Array;
    let col: Trace;
    if (src.info.signals.some((s) => s.name === signal && s.formula !== undefined)) {
      // A derived signal: evaluated over the coil on time, then placed on the strip by the length at each of its samples.
      col = await this.timeTrace(src, signal, b.start, b.end, batchKey);
      x = await this.lengthAt(b, col.x, lengthFrom);
    } else {
      const c = await this.columns.get(b.path, signal, b.hasLength && !lengthFrom);
      col = c;
      x = c.length && !lengthFrom ? c.length : await this.lengthAt(b, c.x, lengthFrom);
    }
    // Before the first length reading a sample has no place on the strip.
    const keep: number[] = [];
    let sorted = true;
    let prev = -Infinity;
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]!)) continue;
      if (x[i]! < prev) sorted = false;
      prev = x[i]!;
      keep.push(i);
    }
    const trace = { x: Float64Array.from(keep, (i) => x[i]!), value: Float64Array.from(keep, (i) => col.value[i]!), quality: Uint8Array.from(keep, (i) => col.quality[i]!) };
    return { trace, sorted };
  }

  /** Strip length at the times `at` of batch b: integrated from the chosen signal, else the file's own length_m (held). */
  private async lengthAt(b: BatchFile, at: Float64Array, lengthFrom: QueryParams['lengthFrom']): Promise<Float64Array> {
    if (!lengthFrom && b.hasLength) {
      // Every row of the file carries length_m: any recorded signal's rows give (time, length) pairs.
      const carrier = b.signals.find((s) => s.formula === undefined);
      if (carrier) {
        const c = await this.columns.get(b.path, carrier.name, true);
        if (c.length) return lengthFromLength({ x: c.x, value: c.length, quality: new Uint8Array(c.x.length) }, at);
      }
    }
    const ref = lengthFrom ?? b.lengthIndex;
    if (!ref) return fail('invalid-request', `batch ${b.id} has no length index: choose a speed or length signal to integrate`, 'lengthFrom');
    const refCol = await this.columns.get(b.path, ref.signal, false);
    return ref.from === 'speed' ? lengthFromSpeed(refCol, at) : lengthFromLength(refCol, at);
  }

  private extent(src: OpenSource, p: { batch?: string; axis: Axis }): { from: number; to: number } {
    if (p.batch) {
      const b = this.batch(src, p.batch);
      return p.axis === 'length' ? { from: 0, to: b.lengthM ?? 0 } : { from: b.start, to: b.end };
    }
    return { from: src.info.start ?? 0, to: src.info.end ?? 0 };
  }

  async query(p: QueryParams): Promise<{ from: number; to: number; series: AnalysisSeries[] }> {
    const src = this.source(p.source);
    for (const s of p.signals) if (!src.info.signals.some((x) => x.name === s)) fail('not-found', `no signal "${s}" in ${src.info.name}`, 'signals');
    const ext = this.extent(src, p);
    const fromPyramid = new Map<string, Decimated>();
    if (p.axis === 'time') {
      const batches = p.batch ? [this.batch(src, p.batch)] : src.batches;
      const answers = await Promise.all(p.signals.map((s) => this.pyramids.answer(batches, s, p.from ?? ext.from, p.to ?? ext.to, p.pixels)));
      answers.forEach((d, i) => d && fromPyramid.set(p.signals[i]!, d));
    }
    await this.prefetch(src, p.signals.filter((s) => !fromPyramid.has(s)), p.batch, p.axis === 'time' ? (p.from ?? ext.from) : -Infinity, p.axis === 'time' ? (p.to ?? ext.to) : Infinity);
    const series = await Promise.all(
      p.signals.map(async (signal) => {
        if (p.axis === 'length') {
          const { trace, sorted } = await this.lengthTrace(src, signal, p.batch, p.lengthFrom);
          const from = p.from ?? 0;
          const to = p.to ?? (ext.to || (trace.x.length ? trace.x[trace.x.length - 1]! : 0));
          return { signal, ...m4(trace, from, to, p.pixels, sorted) };
        }
        const from = p.from ?? ext.from;
        const to = p.to ?? ext.to;
        const hit = fromPyramid.get(signal);
        if (hit) return { signal, ...hit };
        const trace = await this.timeTrace(src, signal, from, to, p.batch);
        return { signal, ...m4(trace, from, to, p.pixels) };
      }),
    );
    let from = p.from ?? ext.from;
    let to = p.to ?? ext.to;
    if (p.axis === 'length' && p.to === undefined) to = Math.max(to, ...series.map((s) => (s.x.length ? s.x[s.x.length - 1]! : 0)));
    if (to <= from) to = from + 1;
    from = Math.min(from, to);
    return { from, to, series };
  }

  /** Loads every column a request will touch in one DuckDB query. */
  private async prefetch(src: OpenSource, signals: string[], batch: string | undefined, from: number, to: number): Promise<void> {
    const batches = batch ? [this.batch(src, batch)] : src.batches.filter((b) => b.end >= from && b.start <= to);
    const wanted = batches.flatMap((b) => signals.filter((s) => b.signals.some((x) => x.name === s)).map((signal) => ({ file: b.path, signal, hasLength: false })));
    if (wanted.length) await this.columns.getMany(wanted);
  }

  async stats(p: { source: string; signals: string[]; a: number; b: number; batch?: string; axis: Axis; lengthFrom?: QueryParams['lengthFrom'] }): Promise<CursorStats[]> {
    const src = this.source(p.source);
    const lo = Math.min(p.a, p.b);
    const hi = Math.max(p.a, p.b);
    await this.prefetch(src, p.signals, p.batch, -Infinity, hi);
    return Promise.all(
      p.signals.map(async (signal) => {
        if (!src.info.signals.some((x) => x.name === signal)) fail('not-found', `no signal "${signal}" in ${src.info.name}`, 'signals');
        let trace: Trace;
        if (p.axis === 'length') {
          const lt = await this.lengthTrace(src, signal, p.batch, p.lengthFrom);
          trace = lt.trace;
        } else {
          // The cursor values hold the last sample before A, which may sit in an earlier batch.
          // A derived signal is evaluated from a little before A (not from the start of the source).
          trace = await this.timeTrace(src, signal, p.batch ? lo : src.info.signals.some((s) => s.name === signal && s.formula !== undefined) ? lo - DERIVED_LEAD_MS : -Infinity, hi, p.batch);
        }
        return { signal, ...rangeStats(trace, lo, hi), a: valueAt(trace, p.a), b: valueAt(trace, p.b) };
      }),
    );
  }

  async envelope(p: EnvelopeParams): Promise<{ x: Float64Array<ArrayBuffer>; mean: Float64Array<ArrayBuffer>; lower: Float64Array<ArrayBuffer>; upper: Float64Array<ArrayBuffer>; count: Uint8Array<ArrayBuffer> }> {
    const src = this.source(p.source);
    for (const key of p.batches) this.batch(src, key);
    const derived = src.info.signals.some((s) => s.name === p.signal && s.formula !== undefined);
    if (!derived) await this.columns.getMany(p.batches.map((key) => ({ file: this.batch(src, key).path, signal: p.signal, hasLength: false })));
    const traces = await Promise.all(
      p.batches.map(async (key) => {
        const b = this.batch(src, key);
        if (p.axis === 'length') return (await this.lengthTrace(src, p.signal, key, p.lengthFrom)).trace;
        const t = derived ? await this.timeTrace(src, p.signal, b.start, b.end, key) : await this.columns.get(b.path, p.signal, false);
        // Aligned at the head: t = 0 at the batch start.
        return { x: t.x.map((x) => x - b.start), value: t.value, quality: t.quality };
      }),
    );
    const span = Math.max(0, ...traces.map((t) => (t.x.length ? t.x[t.x.length - 1]! : 0)));
    const n = p.points;
    const x = Float64Array.from({ length: n }, (_, i) => (span * i) / (n - 1));
    const sum = new Float64Array(n);
    const sum2 = new Float64Array(n);
    const count = new Uint8Array(n);
    for (const t of traces) {
      const end = t.x.length ? t.x[t.x.length - 1]! : -1;
      for (let i = 0; i < n; i++) {
        if (x[i]! > end) break;
        const v = valueAt(t, x[i]!);
        if (!v) continue;
        sum[i] = sum[i]! + v.value;
        sum2[i] = sum2[i]! + v.value * v.value;
        count[i] = Math.min(255, count[i]! + 1);
      }
    }
    const mean = new Float64Array(n);
    const lower = new Float64Array(n);
    const upper = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = count[i]!;
      if (c === 0) {
        mean[i] = lower[i] = upper[i] = NaN;
        continue;
      }
      const m = sum[i]! / c;
      const sd = Math.sqrt(Math.max(0, sum2[i]! / c - m * m));
      mean[i] = m;
      lower[i] = m - p.k * sd;
      upper[i] = m + p.k * sd;
    }
    return { x, mean, lower, upper, count };
  }
}
