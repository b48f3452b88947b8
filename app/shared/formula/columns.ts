/**
 * Offline evaluation of a formula over recorded columns — what a trend, a cursor or an
 * export asks for a derived signal: given each input's (ts, value) columns, the result
 * columns on the formula's timebase (alignment rule in docs/formulas.md), cut to a range
 * and thinned to a resolution. Results are cached per (formula, range, resolution), since a
 * trend asks for the same view again on every redraw, cursor move or second pane.
 */
import { err, ok, parxError } from '../result';
import type { ParxError, Result } from '../result';
import { compileFormula } from './compile';
import { evaluateFormula } from './evaluate';
import type { CompiledFormula } from './program';

export interface InputColumns {
  readonly ts: Float64Array;
  readonly value: Float64Array;
  readonly unit?: string;
}

export interface DerivedColumns {
  readonly ts: Float64Array<ArrayBuffer>;
  readonly value: Float64Array<ArrayBuffer>;
  readonly unit: string;
  /** Samples the formula produced in the range, before thinning. */
  readonly samples: number;
}

export interface DerivedColumnsOptions {
  /** Keep only results with from ≤ ts ≤ to. Give inputs from a little earlier so windows (sma 5s) are filled at `from`. */
  readonly from?: number;
  readonly to?: number;
  /** At most this many points: each bucket keeps its min and max (so spikes survive). */
  readonly resolution?: number;
  /**
   * Names what the columns came from (a recording folder, a batch): with it the cache trusts
   * the key; without it a cached result is used only for the very same input arrays.
   */
  readonly source?: string;
  readonly cache?: DerivedColumnsCache;
  /** Units of the inputs when not given with the columns. */
  readonly units?: (name: string) => string | undefined;
}

interface Entry {
  readonly inputs: readonly Float64Array[];
  readonly result: DerivedColumns;
}

/** A small LRU of evaluated ranges. */
export class DerivedColumnsCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = 32) {}

  get(key: string, inputs: readonly Float64Array[] | undefined): DerivedColumns | undefined {
    const e = this.entries.get(key);
    if (!e || (inputs && (e.inputs.length !== inputs.length || e.inputs.some((a, i) => a !== inputs[i])))) {
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e); // most recently used last
    this.hits++;
    return e.result;
  }

  set(key: string, inputs: readonly Float64Array[], result: DerivedColumns): void {
    this.entries.delete(key);
    this.entries.set(key, { inputs, result });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Evaluates `formula` over the given input columns. Errors: a formula error (with its position) or a missing input. */
export function evaluateDerivedColumns(formula: string | CompiledFormula, inputs: Readonly<Record<string, InputColumns>>, opts: DerivedColumnsOptions = {}): Result<DerivedColumns, ParxError> {
  let f: CompiledFormula;
  if (typeof formula === 'string') {
    const unitOf = (name: string): string | undefined => (Object.hasOwn(inputs, name) ? (inputs[name]!.unit ?? opts.units?.(name) ?? '') : opts.units?.(name));
    const compiled = compileFormula(formula, { signalUnits: unitOf });
    if (!compiled.ok) return err(parxError('formula', compiled.error.message, { position: compiled.error.position, path: 'formula' }));
    f = compiled.value;
  } else f = formula;
  for (const name of f.inputs) if (!Object.hasOwn(inputs, name)) return err(parxError('not-found', `no data for input signal '${name}'`, { path: 'formula' }));
  const arrays = f.inputs.flatMap((n) => [inputs[n]!.ts, inputs[n]!.value]);
  const key = JSON.stringify([f.text, opts.from ?? null, opts.to ?? null, opts.resolution ?? null, opts.source ?? null]);
  const cached = opts.cache?.get(key, opts.source === undefined ? arrays : undefined);
  if (cached) return ok(cached);
  const r = evaluateFormula(f, Object.fromEntries(f.inputs.map((n) => [n, { t: inputs[n]!.ts, v: inputs[n]!.value }])));
  if (!r.ok) return r;
  const [a, b] = rangeOf(r.value.t, opts.from ?? -Infinity, opts.to ?? Infinity);
  const ts = r.value.t.subarray(a, b);
  const value = r.value.v.subarray(a, b);
  const thinned = opts.resolution !== undefined ? thinMinMax(ts, value, opts.resolution) : { t: ts.slice(), v: value.slice() };
  const result: DerivedColumns = { ts: thinned.t, value: thinned.v, unit: f.unit, samples: b - a };
  opts.cache?.set(key, arrays, result);
  return ok(result);
}

/** Index range [a, b) of t with from ≤ t ≤ to (t ascending). */
export function rangeOf(t: Float64Array, from: number, to: number): [number, number] {
  const lower = (x: number, strict: boolean): number => {
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? t[mid]! <= x : t[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const a = lower(from, false);
  return [a, Math.max(a, lower(to, true))];
}

/**
 * At most `points` samples: `points / 2` buckets of equal sample count, each giving its
 * minimum and maximum in time order (a bucket of NaN gives one NaN, so gaps stay gaps).
 */
export function thinMinMax(t: Float64Array, v: Float64Array, points: number): { t: Float64Array<ArrayBuffer>; v: Float64Array<ArrayBuffer> } {
  const n = t.length;
  if (n <= points) return { t: t.slice(), v: v.slice() };
  const buckets = Math.max(1, Math.floor(points / 2));
  const ot = new Float64Array(buckets * 2);
  const ov = new Float64Array(buckets * 2);
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const s = Math.floor((b * n) / buckets);
    const e = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = s; i < e; i++) {
      const x = v[i]!;
      if (x !== x) continue;
      if (lo < 0 || x < v[lo]!) lo = i;
      if (hi < 0 || x > v[hi]!) hi = i;
    }
    if (lo < 0) {
      ot[k] = t[s]!;
      ov[k++] = NaN;
      continue;
    }
    const first = Math.min(lo, hi);
    const second = Math.max(lo, hi);
    ot[k] = t[first]!;
    ov[k++] = v[first]!;
    if (second !== first) {
      ot[k] = t[second]!;
      ov[k++] = v[second]!;
    }
  }
  return { t: ot.slice(0, k), v: ov.slice(0, k) };
}
