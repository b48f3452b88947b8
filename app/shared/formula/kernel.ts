/**
 * Runtime core: a compiled formula is a tree of column kernels. Evaluation walks the
 * data in blocks of at most BLOCK samples and, per block, runs each kernel once over
 * the whole block (node by node, tight typed-array loops). Blocks keep intermediates
 * cache-resident, and because every kernel keeps its state across blocks, the same
 * kernels serve whole columns and live streams.
 */

/** Samples per block. Small enough that a dozen intermediate buffers stay in L2. */
export const BLOCK = 4096;

export interface Block {
  /** Samples in this block (1..BLOCK). */
  n: number;
  /** Timestamps of the block, ms epoch; length n. */
  t: Float64Array;
  /** Inputs aligned onto the block's timestamps, in CompiledFormula.inputs order; length n each. */
  cols: readonly Float64Array[];
  /** Timestamp of the first sample of the whole evaluation (origin of time() and resample grids). */
  t0: number;
}

export interface Kernel {
  /**
   * Computes the block. With `dest` (a column view of length ≥ n, used for the root so the
   * result lands in the output without a copy) the kernel may write there and return it;
   * otherwise it writes its own buffer. Either way the result is valid in [0, n) and is
   * read-only to the caller (input kernels return the input column itself).
   */
  run(b: Block, dest?: Float64Array): Float64Array;
}

/** A whole-range aggregate: by default it reports the running value (stream mode); whole-column evaluation fixes it first. */
export interface GlobalKernel {
  /** Runs the argument over one block of the pre-pass and accumulates. */
  collect(b: Block): void;
  /** Ends the pre-pass: from now on the kernel outputs the whole-range value. */
  fix(): void;
}

export interface BuildContext {
  readonly maxWindow: number;
  /** Whole-range aggregates in post-order (inner first), filled while building. */
  readonly globals: GlobalKernel[];
  /** Run when a whole-column evaluation is done with the tree: kernels give pooled resources back. */
  readonly releases: (() => void)[];
}

export type KernelFactory = (ctx: BuildContext) => Kernel;

/** Thrown by kernels when a runtime limit is hit; evaluators turn it into an error Result. */
export class FormulaRuntimeError extends Error {
  override readonly name = 'FormulaRuntimeError';
}

/**
 * The gap value for hot loops: write `out[i] = GAP[0]!`, not `out[i] = NaN`. V8 treats the
 * literal as a boxed constant; where it meets computed doubles (a phi) the loop boxed a heap
 * number per sample (measured: 150 MB of garbage per 2M samples). A load from a typed array
 * is a plain double.
 */
export const GAP = new Float64Array([NaN]);

export const newBuffer = (): Float64Array => new Float64Array(BLOCK);

export function constKernel(value: number): Kernel {
  const buf = newBuffer().fill(value);
  return { run: () => buf };
}

export function inputKernel(index: number): Kernel {
  return { run: (b) => b.cols[index]! };
}

/** Elementwise kernel over one argument; `loop` is a dedicated typed-array loop (no per-sample callback). */
export function map1(a: Kernel, loop: (x: Float64Array, out: Float64Array, n: number) => void): Kernel {
  const out = newBuffer();
  return {
    run(b, dest) {
      const o = dest ?? out;
      loop(a.run(b), o, b.n);
      return o;
    },
  };
}

export function map2(a: Kernel, c: Kernel, loop: (x: Float64Array, y: Float64Array, out: Float64Array, n: number) => void): Kernel {
  const out = newBuffer();
  return {
    run(b, dest) {
      const o = dest ?? out;
      loop(a.run(b), c.run(b), o, b.n);
      return o;
    },
  };
}

export function map3(
  a: Kernel,
  c: Kernel,
  d: Kernel,
  loop: (x: Float64Array, y: Float64Array, z: Float64Array, out: Float64Array, n: number) => void,
): Kernel {
  const out = newBuffer();
  return {
    run(b, dest) {
      const o = dest ?? out;
      loop(a.run(b), c.run(b), d.run(b), o, b.n);
      return o;
    },
  };
}

/** Truthiness used by logic: non-zero is true; NaN is "unknown". */
export const truthy = (x: number): boolean => x !== 0 && x === x;
