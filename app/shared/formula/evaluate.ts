/**
 * Whole-column evaluation: align the inputs, run the whole-range pre-passes, then run
 * the kernel tree block by block into one preallocated output column.
 */
import { err, ok, parxError } from '../result';
import type { Result } from '../result';
import { alignTo, chooseMaster, signalProblem } from './align';
import type { Block } from './kernel';
import { BLOCK, FormulaRuntimeError } from './kernel';
import type { CompiledFormula } from './program';
import { buildTree, programOf } from './program';
import type { FormulaSignal } from './types';

export interface EvaluateOptions {
  /** Overrides the compiled formula's limits.timeoutMs. */
  timeoutMs?: number;
  /**
   * Column to write the result into (length ≥ number of samples); saves allocating and
   * page-faulting a fresh output when the same range is re-evaluated, e.g. while editing.
   */
  out?: Float64Array;
}

class Timeout extends Error {}

/**
 * Timebases already checked for ascending order. Checking is a full pass over t, as costly
 * as evaluating `a * b`; recordings re-evaluate many formulas over the same columns, so each
 * t array is checked once. (Mutating a t array after evaluation is not supported.)
 */
const checkedTimebases = new WeakSet<Float64Array>();

export function evaluateFormula(f: CompiledFormula, inputs: Record<string, FormulaSignal>, opts?: EvaluateOptions): Result<FormulaSignal> {
  const program = programOf(f);
  if (!program) return err(parxError('formula', 'not a compiled formula: use compileFormula()'));
  const signals: FormulaSignal[] = [];
  for (const name of f.inputs) {
    const s = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
    if (!s) return err(parxError('formula', `missing input signal '${name}'`));
    if (!checkedTimebases.has(s.t) || s.t.length !== s.v.length) {
      const problem = signalProblem(name, s);
      if (problem) return err(parxError('formula', problem));
      checkedTimebases.add(s.t);
    }
    signals.push(s);
  }
  const master = signals[chooseMaster(f.inputs, (name) => inputs[name]!.t.length)]!;
  const T = master.t;
  const n = T.length;
  const cols = signals.map((s) => (s === master ? s.v : alignTo(T, s)));
  const timeoutMs = opts?.timeoutMs ?? f.limits.timeoutMs;
  const deadline = now() + timeoutMs;
  const block: Block & { cols: Float64Array[] } = { n: 0, t: T, cols: cols.slice(), t0: n > 0 ? T[0]! : 0 };
  const at = (off: number): Block => {
    const end = Math.min(n, off + BLOCK);
    block.n = end - off;
    block.t = T.subarray(off, end);
    for (let k = 0; k < cols.length; k++) block.cols[k] = cols[k]!.subarray(off, end);
    if (now() > deadline) throw new Timeout();
    return block;
  };
  let tree: ReturnType<typeof buildTree> | undefined;
  try {
    tree = buildTree(program);
    for (const g of tree.globals) {
      for (let off = 0; off < n; off += BLOCK) g.collect(at(off));
      g.fix();
    }
    const given = opts?.out;
    if (given && given.length < n) return err(parxError('formula', `the output column holds ${given.length} samples but ${n} are needed`));
    const out = given ? (given.length === n ? given : given.subarray(0, n)) : new Float64Array(n);
    for (let off = 0; off < n; off += BLOCK) {
      const b = at(off);
      const dest = out.subarray(off, off + b.n);
      const r = tree.root.run(b, dest);
      if (r !== dest) dest.set(r.length === b.n ? r : r.subarray(0, b.n));
    }
    return ok({ t: T, v: out, unit: f.unit });
  } catch (e) {
    if (e instanceof Timeout) return err(parxError('timeout', `formula evaluation took longer than ${timeoutMs} ms (timeoutMs)`));
    if (e instanceof FormulaRuntimeError) return err(parxError('formula', e.message));
    throw e;
  } finally {
    tree?.release();
  }
}

// performance.now exists in browsers and Node alike; Date.now is the fallback for odd hosts.
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
