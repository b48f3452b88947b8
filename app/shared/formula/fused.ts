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
 */
import type { BuildContext, Kernel } from './kernel';
import { BLOCK } from './kernel';
import type { PureExpr, PureOp } from './pure';
import { INITIAL_STATE, opCount } from './pure';
import type { SeriesArg } from './lib/define';
import { Code, OP, VOID_BLOCK, moduleBytes } from './wasm';

const SLOT_BYTES = BLOCK * 8;
const PAGE = 65536;
/** Local indices fixed by moduleBytes: n, the byte offset of the sample, the end offset. */
const N = 0;
const I = 1;
const END = 2;

type Leaf = { k: 'input'; index: number } | { k: 'leaf'; arg: SeriesArg } | { k: 'time' };

interface Plan {
  readonly module: WebAssembly.Module;
  readonly pages: number;
  readonly leaves: readonly Leaf[];
  /** Initial values of the stateful operators' state, stored after the leaf blocks. */
  readonly state: Float64Array;
  /** Instances given back by finished whole-column evaluations (a memory and an instance cost ~0.2 ms to make). */
  readonly pool: Instance[];
}

interface Instance {
  readonly run: (n: number) => void;
  readonly out: Float64Array;
  readonly views: readonly Float64Array[];
  readonly state: Float64Array;
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
  private readonly inputSlots = new Map<number, number>();
  private timeSlot = 0;
  /** Stateful operators' state: its initial value and the local that holds it during the loop. */
  readonly state: { initial: number; local: number }[] = [];

  private stateLocal(initial: number): number {
    const local = this.temp();
    this.state.push({ initial, local });
    return local;
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
      default:
        throw new Error(`fused.ts: no code for operator ${e.op}`);
    }
  }
}

function compile(e: PureExpr): Plan | null {
  const em = new Emitter();
  // The sample's expression first: the leaves and the state it needs are known after it.
  em.code.local(OP.localGet, I);
  em.emit(e);
  em.code.mem(OP.f64Store, 0);
  const stateBase = (em.leaves.length + 1) * SLOT_BYTES;
  const c = new Code();
  // State into its locals before the loop, back to memory after: a stream carries it across blocks.
  em.state.forEach((st, k) => c.i32(0).mem(OP.f64Load, stateBase + k * 8).local(OP.localSet, st.local));
  c.local(OP.localGet, N).i32(3).op(OP.i32Shl).local(OP.localSet, END);
  c.op(OP.block, VOID_BLOCK).local(OP.localGet, END).op(OP.i32Eqz, OP.brIf, 0);
  c.op(OP.loop, VOID_BLOCK);
  for (const byte of em.code.bytes) c.bytes.push(byte); // not a spread: a long formula's body exceeds the argument limit
  c.local(OP.localGet, I).i32(8).op(OP.i32Add).local(OP.localTee, I).local(OP.localGet, END).op(OP.i32LtU, OP.brIf, 0);
  c.op(OP.end, OP.end);
  em.state.forEach((st, k) => c.i32(0).local(OP.localGet, st.local).mem(OP.f64Store, stateBase + k * 8));
  const pages = Math.ceil((stateBase + em.state.length * 8) / PAGE);
  const bytes = moduleBytes(pages, em.f64Locals, c);
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
  return { ...compiled, pages, leaves: em.leaves, state: Float64Array.from(em.state, (st) => st.initial) };
}

function instantiate(plan: Plan): Instance {
  const memory = new WebAssembly.Memory({ initial: plan.pages, maximum: plan.pages });
  const instance = new WebAssembly.Instance(plan.module, { e: { m: memory } });
  return {
    run: instance.exports['run'] as (n: number) => void,
    out: new Float64Array(memory.buffer, 0, BLOCK),
    views: plan.leaves.map((_, k) => new Float64Array(memory.buffer, (k + 1) * SLOT_BYTES, BLOCK)),
    state: new Float64Array(memory.buffer, (plan.leaves.length + 1) * SLOT_BYTES, plan.state.length),
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
  const { run, out, views } = inst;
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
      run(n);
      if (!dest) return out;
      dest.set(n === BLOCK ? out : out.subarray(0, n));
      return dest;
    },
  };
}
