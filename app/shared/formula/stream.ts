/**
 * Incremental evaluation for live data. Same kernels as whole-column evaluation, kept
 * alive between pushes, so pushing data in any chunks gives the same output as one
 * whole-column evaluation (for causal formulas, with the same master timebase).
 *
 * Alignment needs care: the value of a secondary input at master time t is only final
 * once that input has a sample at or after t. Master samples wait until then (or until
 * flush(), or until they are older than maxLatencyMs).
 */
import { chooseMaster, zohInto } from './align';
import type { Block } from './kernel';
import { BLOCK, FormulaRuntimeError } from './kernel';
import type { BuiltTree, CompiledFormula } from './program';
import { buildTree, programOf } from './program';
import type { FormulaSignal } from './types';

export interface StreamOptions {
  /** Input whose timebase the output follows. Default: the input with the most samples in the first push that has data. */
  master?: string;
  /** Emit master samples older than (newest master time - maxLatencyMs) even if a slower input has not caught up. */
  maxLatencyMs?: number;
}

export interface StreamEvaluator {
  /** Adds new samples (any subset of inputs) and returns the output samples that became final. */
  push(inputs: Record<string, FormulaSignal>): FormulaSignal;
  /** Treats all data so far as complete and returns the held-back output samples. */
  flush(): FormulaSignal;
  /** Forgets all state and data, as if newly created. */
  reset(): void;
}

/** Growable pending-sample buffer of one input. */
class Pending {
  t = new Float64Array(256);
  v = new Float64Array(256);
  len = 0;
  /** Newest timestamp ever pushed. */
  last = -Infinity;
  /** Secondary inputs: value at the last emitted master time. */
  held = NaN;

  append(name: string, s: FormulaSignal): void {
    const m = s.t.length;
    if (s.v.length !== m) throw new FormulaRuntimeError(`signal '${name}' has ${m} timestamps but ${s.v.length} values`);
    if (this.len + m > this.t.length) {
      const cap = Math.max(this.len + m, this.t.length * 2);
      const t = new Float64Array(cap);
      const v = new Float64Array(cap);
      t.set(this.t.subarray(0, this.len));
      v.set(this.v.subarray(0, this.len));
      this.t = t;
      this.v = v;
    }
    for (let i = 0; i < m; i++) {
      const x = s.t[i]!;
      if (!(x >= this.last)) throw new FormulaRuntimeError(`signal '${name}' timestamps are not ascending (push ${x} after ${this.last})`);
      this.last = x;
    }
    this.t.set(s.t, this.len);
    this.v.set(s.v, this.len);
    this.len += m;
  }

  /** Drops the first k entries. */
  consume(k: number): void {
    this.t.copyWithin(0, k, this.len);
    this.v.copyWithin(0, k, this.len);
    this.len -= k;
  }
}

export function createStreamEvaluator(f: CompiledFormula, opts: StreamOptions = {}): StreamEvaluator {
  const program = programOf(f);
  if (!program) throw new FormulaRuntimeError('not a compiled formula: use compileFormula()');
  const names = f.inputs;
  const fixedMaster = opts.master === undefined ? -1 : names.indexOf(opts.master);
  if (opts.master !== undefined && fixedMaster < 0) throw new FormulaRuntimeError(`master '${opts.master}' is not an input of the formula`);
  let tree: BuiltTree;
  let pending: Pending[];
  let master: number;
  let t0: number;
  const empty = (): FormulaSignal => ({ t: new Float64Array(0), v: new Float64Array(0), unit: f.unit });

  const reset = (): void => {
    tree = buildTree(program);
    pending = names.map(() => new Pending());
    master = fixedMaster;
    t0 = NaN;
  };
  reset();

  const emit = (final: boolean): FormulaSignal => {
    if (master < 0) return empty();
    const M = pending[master]!;
    let horizon = Infinity;
    if (!final) {
      pending.forEach((p, k) => {
        if (k !== master) horizon = Math.min(horizon, p.last);
      });
      if (opts.maxLatencyMs !== undefined) horizon = Math.max(horizon, M.last - opts.maxLatencyMs);
    }
    let k = 0;
    while (k < M.len && M.t[k]! <= horizon) k++;
    if (k === 0) return empty();
    const T = M.t.slice(0, k);
    const cols = pending.map((p, idx) => {
      if (idx === master) return M.v.slice(0, k);
      const col = new Float64Array(k);
      const r = zohInto(T, 0, k, p.t, p.v, p.len, col, 0, p.held);
      p.held = r.held;
      p.consume(r.j);
      return col;
    });
    M.consume(k);
    if (t0 !== t0) t0 = T[0]!;
    const out = new Float64Array(k);
    const block: Block & { cols: Float64Array[] } = { n: 0, t: T, cols: cols.slice(), t0 };
    for (let off = 0; off < k; off += BLOCK) {
      const end = Math.min(k, off + BLOCK);
      block.n = end - off;
      block.t = T.subarray(off, end);
      for (let c = 0; c < cols.length; c++) block.cols[c] = cols[c]!.subarray(off, end);
      const dest = out.subarray(off, end);
      const r = tree.root.run(block, dest);
      if (r !== dest) dest.set(r.subarray(0, block.n));
    }
    return { t: T, v: out, unit: f.unit };
  };

  return {
    push(inputs) {
      names.forEach((name, k) => {
        const s = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
        if (s) pending[k]!.append(name, s);
      });
      if (master < 0) {
        if (!pending.some((p) => p.len > 0)) return empty();
        master = chooseMaster(names, (name) => pending[names.indexOf(name)]!.len);
      }
      return emit(false);
    },
    flush: () => emit(true),
    reset,
  };
}
