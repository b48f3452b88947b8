/**
 * Fused elementwise kernels: a subtree of pure operators (pure.ts) compiled from the AST
 * into one WebAssembly loop, so `clamp(s, -50, 50) + abs(d) + sqrt(abs(b)) + …` makes one
 * pass over the block instead of one per operator, with intermediates in registers.
 *
 * Why WebAssembly: the only other ways to get one loop per formula are generating JS
 * (`new Function`, forbidden: user text must never reach a JS interpreter) or a per-sample
 * interpreter (slower than the per-operator passes it would replace). Here the code is
 * emitted from the checked AST with a fixed opcode set (wasm.ts); numbers and operators are
 * all that cross over. Where WebAssembly is missing or refuses the module, the per-operator
 * JS kernels run instead, with bit-identical results (fused.test.ts holds the two equal).
 *
 * Memory: one instance per kernel, its own memory of (1 + leaves) blocks: block 0 is the
 * result, block k the k-th leaf. Leaves (inputs and non-pure kernels) are computed into
 * their blocks by their own kernels — stateful kernels write there directly through `dest`.
 * After the blocks: the stateful operators' scalar state (f64 each, loaded into locals for
 * the loop and stored back after it), then their windows (moving sums' last N values,
 * rolling extremes' deques).
 */
import type { BuildContext, Kernel } from './kernel';
import { BLOCK } from './kernel';
import type { PureExpr, PureOp } from './pure';
import { INITIAL_STATE, opCount } from './pure';
import type { SeriesArg } from './lib/define';
import { exactSum } from './lib/window';
import { Code, OP, VOID_BLOCK, moduleBytes } from './wasm';

const SLOT_BYTES = BLOCK * 8;
const PAGE = 65536;
/** Local indices fixed by moduleBytes: n, the byte offset of the sample, the end offset. */
const N = 0;
const I = 1;
const END = 2;

type Leaf = { k: 'input'; index: number } | { k: 'leaf'; arg: SeriesArg } | { k: 'time' };

/**
 * A moving sum's exact recompute (window.ts): once `1024 + N` finite values have left the
 * window, the sum is summed afresh at the start of a block, so rounding cannot drift. Done
 * in JS between blocks, exactly where the JS kernel does it, on the state and the window
 * in the module's memory. Indices are into the state array; `win` is a byte offset.
 */
interface Resum {
  readonly sum: number;
  readonly removed: number;
  readonly head: number;
  readonly size: number;
  readonly N: number;
  readonly win: number;
}

interface Plan {
  readonly module: WebAssembly.Module;
  readonly pages: number;
  readonly leaves: readonly Leaf[];
  /** Initial values of the stateful operators' state, stored after the leaf blocks. */
  readonly state: Float64Array;
  readonly resums: readonly Resum[];
  /** Instances given back by finished whole-column evaluations (a memory and an instance cost ~0.2 ms to make). */
  readonly pool: Instance[];
}

interface Instance {
  readonly run: (n: number) => void;
  readonly out: Float64Array;
  readonly views: readonly Float64Array[];
  readonly state: Float64Array;
  readonly buffer: ArrayBuffer;
}


const POOL = 4;

/**
 * Fusing pays once it replaces at least this many operators. Below that the JS kernels are
 * already one pass (`a * b + c`, `a + b + c` have fused JS loops of their own) and the copies
 * of the inputs into the module's memory would cost more than they save.
 */
const MIN_OPS = 3;

let enabled = typeof WebAssembly === 'object';

/** Switches fusion off or on (tests and benchmarks compare the two paths). */
export function setFusion(on: boolean): void {
  enabled = on && typeof WebAssembly === 'object';
}

const CMP: Partial<Record<PureOp, number>> = { '<': OP.f64Lt, '<=': OP.f64Le, '>': OP.f64Gt, '>=': OP.f64Ge, '==': OP.f64Eq, '!=': OP.f64Ne };
const ARITH: Partial<Record<PureOp, number>> = { '+': OP.f64Add, '-': OP.f64Sub, '*': OP.f64Mul, '/': OP.f64Div, min: OP.f64Min, max: OP.f64Max };
const UNARY: Partial<Record<PureOp, number>> = { neg: OP.f64Neg, abs: OP.f64Abs, sqrt: OP.f64Sqrt, floor: OP.f64Floor, ceil: OP.f64Ceil };

/**
 * Emits one sample's expression as stack code. Every operator mirrors its JS kernel exactly
 * (ops.ts, lib/math.ts, lib/logic.ts): NaN in → NaN out for comparisons, Kleene and/or,
 * `v < lo ? lo : v > hi ? hi : v` for clamp, NaN condition → NaN for if.
 */
class Emitter {
  readonly code = new Code();
  readonly leaves: Leaf[] = [];
  f64Locals = 0;
  i32Locals = 0;
  private readonly inputSlots = new Map<number, number>();
  private timeSlot = 0;
  /** Stateful operators' state: its initial value and the local (f64, or i32 for indices) that holds it during the loop. */
  readonly state: { initial: number; local: number; i32: boolean }[] = [];
  readonly resums: Resum[] = [];
  /** Bytes of windows allocated so far, from `layout.windowBase`. */
  windowBytes = 0;

  /**
   * Where i32 locals and windows start depends on how many f64 locals, leaves and states the
   * whole expression needs, so compile() emits twice: once to count, once with the layout.
   */
  constructor(private readonly layout: { i32Base: number; windowBase: number }) {}

  private stateLocal(initial: number): number {
    const local = this.temp();
    this.state.push({ initial, local, i32: false });
    return local;
  }

  private stateI32(initial: number): number {
    const local = this.tempI32();
    this.state.push({ initial, local, i32: true });
    return local;
  }

  private tempI32(): number {
    return this.layout.i32Base + this.i32Locals++;
  }

  /** Reserves `bytes` of window memory (8-byte aligned); returns its byte offset. */
  private window(bytes: number): number {
    const at = this.layout.windowBase + this.windowBytes;
    this.windowBytes += Math.ceil(bytes / 8) * 8;
    return at;
  }

  private set(l: number): this {
    this.code.local(OP.localSet, l);
    return this;
  }

  /** local l += delta (an f64 local). */
  private bump(l: number, delta: number): this {
    this.get(l).code.f64(delta).op(OP.f64Add);
    return this.set(l);
  }

  /** Pushes the block's timestamp of this sample. */
  private time(): void {
    if (this.timeSlot === 0) {
      this.leaves.push({ k: 'time' });
      this.timeSlot = this.leaves.length;
    }
    this.code.local(OP.localGet, I).mem(OP.f64Load, this.timeSlot * SLOT_BYTES);
  }

  private slot(e: Extract<PureExpr, { k: 'input' | 'leaf' }>): number {
    if (e.k === 'input') {
      const known = this.inputSlots.get(e.index);
      if (known !== undefined) return known;
      this.leaves.push(e);
      this.inputSlots.set(e.index, this.leaves.length);
      return this.leaves.length;
    }
    this.leaves.push(e);
    return this.leaves.length;
  }

  private temp(): number {
    return 3 + this.f64Locals++;
  }

  private toLocal(e: PureExpr): number {
    this.emit(e);
    const l = this.temp();
    this.code.local(OP.localSet, l);
    return l;
  }

  private get(l: number): this {
    this.code.local(OP.localGet, l);
    return this;
  }

  /** Pushes i32 1 when local l is NaN. */
  private isNaN(l: number): this {
    this.get(l).get(l).code.op(OP.f64Ne);
    return this;
  }

  emit(e: PureExpr): void {
    const c = this.code;
    if (e.k === 'const') {
      c.f64(e.value);
      return;
    }
    if (e.k === 'input' || e.k === 'leaf') {
      c.local(OP.localGet, I).mem(OP.f64Load, this.slot(e) * SLOT_BYTES);
      return;
    }
    const [a, b, d] = e.args as [PureExpr, PureExpr, PureExpr];
    const arith = ARITH[e.op];
    if (arith !== undefined) {
      // Left to right, as the JS kernels fold (min/max take two or more).
      this.emit(a);
      for (let k = 1; k < e.args.length; k++) {
        this.emit(e.args[k]!);
        c.op(arith);
      }
      return;
    }
    const unary = UNARY[e.op];
    if (unary !== undefined) {
      this.emit(a);
      c.op(unary);
      return;
    }
    const cmp = CMP[e.op];
    if (cmp !== undefined) {
      const x = this.toLocal(a);
      const y = this.toLocal(b);
      c.f64(NaN);
      this.get(x).get(y).code.op(cmp, OP.f64ConvertI32U);
      this.isNaN(x).isNaN(y).code.op(OP.i32Or, OP.select);
      return;
    }
    switch (e.op) {
      case 'sign': {
        // Math.sign: 1, -1, or x itself for 0, -0 and NaN.
        const x = this.toLocal(a);
        c.f64(1).f64(-1);
        this.get(x).get(x).code.f64(0).op(OP.f64Lt, OP.select);
        this.get(x).code.f64(0).op(OP.f64Gt, OP.select);
        return;
      }
      case 'not': {
        const x = this.toLocal(a);
        c.f64(NaN);
        this.get(x).code.f64(0).op(OP.f64Eq, OP.f64ConvertI32U);
        this.isNaN(x).code.op(OP.select);
        return;
      }
      case 'and': {
        const x = this.toLocal(a);
        const y = this.toLocal(b);
        c.f64(0).f64(NaN).f64(1);
        this.isNaN(x).isNaN(y).code.op(OP.i32Or, OP.select);
        this.get(x).code.f64(0).op(OP.f64Eq);
        this.get(y).code.f64(0).op(OP.f64Eq, OP.i32Or, OP.select);
        return;
      }
      case 'or': {
        const x = this.toLocal(a);
        const y = this.toLocal(b);
        c.f64(1).f64(NaN).f64(0);
        this.isNaN(x).isNaN(y).code.op(OP.i32Or, OP.select);
        this.get(x).code.f64(0).op(OP.f64Ne);
        this.get(x).get(x).code.op(OP.f64Eq, OP.i32And);
        this.get(y).code.f64(0).op(OP.f64Ne);
        this.get(y).get(y).code.op(OP.f64Eq, OP.i32And, OP.i32Or, OP.select);
        return;
      }
      case 'clamp': {
        const v = this.toLocal(a);
        const lo = this.toLocal(b);
        const hi = this.toLocal(d);
        this.get(lo).get(hi).get(v).get(v).get(hi).code.op(OP.f64Gt, OP.select);
        this.get(v).get(lo).code.op(OP.f64Lt, OP.select);
        return;
      }
      case 'if': {
        const cond = this.toLocal(a);
        c.f64(NaN);
        this.emit(b);
        this.emit(d);
        this.get(cond).code.f64(0).op(OP.f64Ne, OP.select);
        this.isNaN(cond).code.op(OP.select);
        return;
      }
      case 'diff': {
        // out = v - previous v (the previous sample's value, NaN or not).
        const v = this.toLocal(a);
        const p = this.stateLocal(INITIAL_STATE.diff![0]!);
        this.get(v).get(p).code.op(OP.f64Sub);
        this.get(v).code.local(OP.localSet, p);
        return;
      }
      case 'derivative': {
        // (v - pv) / ((t - pt) / 1000), per second.
        const v = this.toLocal(a);
        this.time();
        const t = this.temp();
        c.local(OP.localSet, t);
        const pv = this.stateLocal(NaN);
        const pt = this.stateLocal(NaN);
        this.get(v).get(pv).code.op(OP.f64Sub);
        this.get(t).get(pt).code.op(OP.f64Sub).f64(1000).op(OP.f64Div, OP.f64Div);
        this.get(v).code.local(OP.localSet, pv);
        this.get(t).code.local(OP.localSet, pt);
        return;
      }
      case 'ema': {
        // A valid v moves y by alpha (y starts at the first valid v); NaN leaves y as it is.
        const alpha = e.param ?? NaN;
        const v = this.toLocal(a);
        const y = this.stateLocal(NaN);
        this.get(v).get(y).code.f64(alpha);
        this.get(v).get(y).code.op(OP.f64Sub, OP.f64Mul, OP.f64Add);
        this.isNaN(y).code.op(OP.select);
        this.get(y).get(v).get(v).code.op(OP.f64Eq, OP.select).local(OP.localTee, y);
        return;
      }
      case 'hysteresis': {
        // v >= hi → 1, else v <= lo → 0, else the state holds.
        const v = this.toLocal(a);
        const lo = this.toLocal(b);
        const hi = this.toLocal(d);
        const st = this.stateLocal(INITIAL_STATE.hysteresis![0]!);
        c.f64(1).f64(0);
        this.get(st).get(v).get(lo).code.op(OP.f64Le, OP.select);
        this.get(v).get(hi).code.op(OP.f64Ge, OP.select).local(OP.localTee, st);
        return;
      }
      case 'sma':
      case 'msum':
        this.movingSum(a, e.param ?? 1, e.op === 'sma');
        return;
      case 'rmax':
      case 'rmin':
        this.rollingExtreme(a, e.param ?? 1, e.op === 'rmin' ? -1 : 1);
        return;
      default:
        throw new Error(`fused.ts: no code for operator ${e.op}`);
    }
  }
  /**
   * window.ts's sampleSumLoop, sample for sample: the last N values in a ring (filling first,
   * then the oldest slot takes the new value), a sum of the finite ones, infinities counted
   * apart, and the result chosen as there: no values → NaN, any infinity → ±Inf or NaN.
   */
  private movingSum(a: PureExpr, N: number, average: boolean): void {
    const c = this.code;
    const v = this.toLocal(a);
    const first = this.state.length;
    const s = this.stateLocal(0);
    const cnt = this.stateLocal(0);
    const pinf = this.stateLocal(0);
    const ninf = this.stateLocal(0);
    const removed = this.stateLocal(0);
    const h = this.stateI32(0);
    const size = this.stateI32(0);
    const win = this.window(N * 8);
    this.resums.push({ sum: first, removed: first + 4, head: first + 5, size: first + 6, N, win });
    const old = this.temp();
    /** Counts v (a local) in or out: finite into the sum, infinities apart, NaN not at all. */
    const count = (x: number, sign: 1 | -1, finite: () => void): void => {
      this.get(x).get(x).code.op(OP.f64Sub).f64(0).op(OP.f64Eq, OP.if, VOID_BLOCK);
      finite();
      this.bump(cnt, sign);
      c.op(OP.else);
      this.get(x).code.f64(Infinity).op(OP.f64Eq, OP.if, VOID_BLOCK);
      this.bump(pinf, sign).bump(cnt, sign);
      c.op(OP.else);
      this.get(x).code.f64(-Infinity).op(OP.f64Eq, OP.if, VOID_BLOCK);
      this.bump(ninf, sign).bump(cnt, sign);
      c.op(OP.end, OP.end, OP.end);
    };
    // Full: the oldest value leaves, the new one takes its slot, the head moves on.
    this.get(size).code.i32(N).op(OP.i32Eq, OP.if, VOID_BLOCK);
    this.get(h).code.i32(3).op(OP.i32Shl).mem(OP.f64Load, win).local(OP.localSet, old);
    count(old, -1, () => {
      this.get(s).get(old).code.op(OP.f64Sub);
      this.set(s).bump(removed, 1);
    });
    this.get(h).code.i32(3).op(OP.i32Shl);
    this.get(v).code.mem(OP.f64Store, win);
    this.get(h).code.i32(1).op(OP.i32Add).local(OP.localTee, h).i32(0);
    this.get(h).code.i32(N).op(OP.i32Ne, OP.select).local(OP.localSet, h);
    c.op(OP.else);
    // Filling: the head stays at 0 and the window is slots 0..size-1.
    this.get(size).code.i32(3).op(OP.i32Shl);
    this.get(v).code.mem(OP.f64Store, win);
    this.get(size).code.i32(1).op(OP.i32Add).local(OP.localSet, size);
    c.op(OP.end);
    count(v, 1, () => {
      this.get(s).get(v).code.op(OP.f64Add);
      this.set(s);
    });
    // no values → NaN; no infinity → the mean (or sum); else +Inf, -Inf, or NaN for both.
    c.f64(NaN);
    this.get(s);
    if (average) this.get(cnt).code.op(OP.f64Div);
    c.f64(Infinity).f64(-Infinity).f64(NaN);
    this.get(pinf).code.f64(0).op(OP.f64Eq, OP.select);
    this.get(ninf).code.f64(0).op(OP.f64Eq, OP.select);
    this.get(pinf).get(ninf).code.op(OP.f64Add).f64(0).op(OP.f64Eq, OP.select);
    this.get(cnt).code.f64(0).op(OP.f64Eq, OP.select);
  }

  /**
   * rolling.ts's sampleExtremeLoop: a monotonic deque of (running index, value) in
   * power-of-two rings; min is max over values times -1, as there.
   */
  private rollingExtreme(a: PureExpr, N: number, sgn: 1 | -1): void {
    const c = this.code;
    let cap = 1;
    while (cap < N + 1) cap *= 2;
    const mask = cap - 1;
    this.emit(a);
    c.f64(sgn).op(OP.f64Mul);
    const v = this.temp();
    this.set(v);
    const vals = this.window(cap * 8);
    const keys = this.window(cap * 4);
    const h = this.stateI32(0);
    const size = this.stateI32(0);
    const k = this.stateI32(0);
    const at = this.tempI32();
    // Entries N or more samples old leave from the front.
    c.op(OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK);
    this.get(size).code.op(OP.i32Eqz, OP.brIf, 1);
    this.get(k).get(h).code.i32(2).op(OP.i32Shl).mem(OP.i32Load, keys).op(OP.i32Sub).i32(N).op(OP.i32LtS, OP.brIf, 1);
    this.get(h).code.i32(1).op(OP.i32Add).i32(mask).op(OP.i32And).local(OP.localSet, h);
    this.get(size).code.i32(1).op(OP.i32Sub).local(OP.localSet, size).op(OP.br, 0);
    c.op(OP.end, OP.end);
    // A value (not NaN) drops every smaller-or-equal one from the back, then joins.
    this.get(v).get(v).code.op(OP.f64Eq, OP.if, VOID_BLOCK);
    c.op(OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK);
    this.get(size).code.op(OP.i32Eqz, OP.brIf, 1);
    this.get(h).get(size).code.op(OP.i32Add).i32(1).op(OP.i32Sub).i32(mask).op(OP.i32And).i32(3).op(OP.i32Shl).mem(OP.f64Load, vals);
    this.get(v).code.op(OP.f64Le, OP.i32Eqz, OP.brIf, 1);
    this.get(size).code.i32(1).op(OP.i32Sub).local(OP.localSet, size).op(OP.br, 0);
    c.op(OP.end, OP.end);
    this.get(h).get(size).code.op(OP.i32Add).i32(mask).op(OP.i32And).local(OP.localSet, at);
    this.get(at).code.i32(2).op(OP.i32Shl);
    this.get(k).code.mem(OP.i32Store, keys);
    this.get(at).code.i32(3).op(OP.i32Shl);
    this.get(v).code.mem(OP.f64Store, vals);
    this.get(size).code.i32(1).op(OP.i32Add).local(OP.localSet, size);
    c.op(OP.end);
    this.get(k).code.i32(1).op(OP.i32Add).local(OP.localSet, k);
    // The front is the extreme; an empty deque (only NaN in the window) gives NaN.
    this.get(h).code.i32(3).op(OP.i32Shl).mem(OP.f64Load, vals).f64(sgn).op(OP.f64Mul).f64(NaN);
    this.get(size).code.op(OP.select);
  }
}

function emitLoop(e: PureExpr, layout: { i32Base: number; windowBase: number }): Emitter {
  const em = new Emitter(layout);
  em.code.local(OP.localGet, I);
  em.emit(e);
  em.code.mem(OP.f64Store, 0);
  return em;
}

function compile(e: PureExpr): Plan | null {
  // First pass: how many leaves, f64 locals and states the expression needs; they place the rest.
  const first = emitLoop(e, { i32Base: 3, windowBase: 0 });
  const stateBase = (first.leaves.length + 1) * SLOT_BYTES;
  const layout = { i32Base: 3 + first.f64Locals, windowBase: stateBase + first.state.length * 8 };
  const em = emitLoop(e, layout);
  const c = new Code();
  // State into its locals before the loop, back to memory after: a stream carries it across blocks.
  em.state.forEach((st, k) => {
    c.i32(0).mem(OP.f64Load, stateBase + k * 8);
    if (st.i32) c.op(OP.i32TruncF64S);
    c.local(OP.localSet, st.local);
  });
  c.local(OP.localGet, N).i32(3).op(OP.i32Shl).local(OP.localSet, END);
  c.op(OP.block, VOID_BLOCK).local(OP.localGet, END).op(OP.i32Eqz, OP.brIf, 0);
  c.op(OP.loop, VOID_BLOCK);
  for (const byte of em.code.bytes) c.bytes.push(byte); // not a spread: a long formula's body exceeds the argument limit
  c.local(OP.localGet, I).i32(8).op(OP.i32Add).local(OP.localTee, I).local(OP.localGet, END).op(OP.i32LtU, OP.brIf, 0);
  c.op(OP.end, OP.end);
  em.state.forEach((st, k) => {
    c.i32(0).local(OP.localGet, st.local);
    if (st.i32) c.op(OP.f64ConvertI32S);
    c.mem(OP.f64Store, stateBase + k * 8);
  });
  const pages = Math.max(1, Math.ceil((layout.windowBase + em.windowBytes) / PAGE));
  const bytes = moduleBytes(pages, em.f64Locals, em.i32Locals, c);
  const key = bytes.join(',');
  let compiled = modules.get(key);
  try {
    compiled ??= { module: new WebAssembly.Module(bytes), pool: [] };
  } catch {
    return null;
  }
  modules.delete(key);
  modules.set(key, compiled);
  if (modules.size > MODULE_CACHE) modules.delete(modules.keys().next().value!);
  return { ...compiled, pages, leaves: em.leaves, state: Float64Array.from(em.state, (st) => st.initial), resums: em.resums };
}

function instantiate(plan: Plan): Instance {
  const memory = new WebAssembly.Memory({ initial: plan.pages, maximum: plan.pages });
  const instance = new WebAssembly.Instance(plan.module, { e: { m: memory } });
  return {
    run: instance.exports['run'] as (n: number) => void,
    out: new Float64Array(memory.buffer, 0, BLOCK),
    views: plan.leaves.map((_, k) => new Float64Array(memory.buffer, (k + 1) * SLOT_BYTES, BLOCK)),
    state: new Float64Array(memory.buffer, (plan.leaves.length + 1) * SLOT_BYTES, plan.state.length),
    buffer: memory.buffer,
  };
}

/**
 * Compiled modules by their bytes, with their pool of instances: the same formula compiled
 * again (a trend's derived signal on every zoom, the editor's preview) reuses both — making a
 * module, a memory and an instance costs far more than emitting the bytes. The same bytes
 * mean the same leaf layout, so a pooled instance fits any plan of that module. Least
 * recently used first out.
 */
const modules = new Map<string, { module: WebAssembly.Module; pool: Instance[] }>();
const MODULE_CACHE = 256;

/** Compiled once per expression (a CompiledFormula's tree is reused for every evaluation). */
const plans = new WeakMap<PureExpr, Plan | null>();

function planOf(e: PureExpr): Plan | null {
  let p = plans.get(e);
  if (p === undefined) {
    p = compile(e);
    plans.set(e, p);
  }
  return p;
}

/** The kernel of a pure subtree: fused when it pays and WebAssembly is there, else `unfused()`. */
export function pureKernel(e: PureExpr, ctx: BuildContext, unfused: () => Kernel): Kernel {
  if (!enabled || opCount(e) < MIN_OPS) return unfused();
  const plan = planOf(e);
  if (!plan) return unfused();
  const inst = plan.pool.pop() ?? instantiate(plan);
  ctx.releases.push(() => {
    if (plan.pool.length < POOL) plan.pool.push(inst);
  });
  // A fresh or pooled instance starts from the operators' initial state.
  inst.state.set(plan.state);
  const { run, out, views, state, buffer } = inst;
  const resums = plan.resums.map((r) => ({ ...r, win: new Float64Array(buffer, r.win, r.N) }));
  const kernels = plan.leaves.map((l) => (l.k === 'leaf' ? l.arg.make(ctx) : undefined));
  const inputs = plan.leaves.map((l) => (l.k === 'input' ? l.index : -1));
  return {
    run(b, dest) {
      const n = b.n;
      for (let k = 0; k < views.length; k++) {
        const view = views[k]!;
        const kernel = kernels[k];
        const r = kernel ? kernel.run(b, view) : inputs[k]! >= 0 ? b.cols[inputs[k]!]! : b.t;
        if (r !== view) view.set(r.length === n ? r : r.subarray(0, n));
      }
      for (const r of resums) {
        if (state[r.removed]! < 1024 + r.N) continue;
        state[r.sum] = exactSum(r.win, state[r.head]!, state[r.size]!);
        state[r.removed] = 0;
      }
      run(n);
      if (!dest) return out;
      dest.set(n === BLOCK ? out : out.subarray(0, n));
      return dest;
    },
  };
}
