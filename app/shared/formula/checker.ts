/**
 * Checker: AST → kernel factories. Resolves signals and functions, checks arity and
 * argument kinds (windows must be constants, lists only where a function takes one),
 * folds constants, infers units and collects diagnostics with positions. It keeps going
 * after an error so the editor can show every problem at once.
 */
import type { Node } from './ast';
import { constKernel, inputKernel } from './kernel';
import type { ArgValue, FunctionDef, ParamSpec, SeriesArg } from './lib/define';
import { tokenize } from './lexer';
import { pureKernel } from './fused';
import type { BuildContext, Kernel } from './kernel';
import { binaryKernel, mulAddKernel, scalarBinary, scalarUnary, sumKernel, unaryKernel } from './ops';
import type { PureExpr, PureOp } from './pure';
import { pureOf } from './pure';
import { FUNCTIONS, suggestFunction } from './registry';
import type { EnvLike, FormulaDiagnostic, FormulaLimits } from './types';
import type { Unit } from './units';
import { DIMENSIONLESS, divUnit, isDimensionless, mulUnit, parseUnit, powUnit, showUnit, unitsEqual } from './units';

export interface CheckResult {
  root: SeriesArg | undefined;
  inputs: string[];
  diagnostics: FormulaDiagnostic[];
  /** False when whole-range aggregates are used: a stream can only approximate them by their running value. */
  causal: boolean;
}

const SECOND = parseUnit('s');
const METRE = parseUnit('m');

type Span = { start: number; end: number };

export function check(ast: Node, env: EnvLike, limits: FormulaLimits): CheckResult {
  const c = new Checker(env, limits);
  const root = c.walk(ast);
  return { root, inputs: c.inputs, diagnostics: c.diagnostics, causal: c.causal };
}

/** An elementwise series: runs fused with the pure operators around it, or through `unfused` when fusing does not pay. */
function pureSeries(arg: Omit<SeriesArg, 'kind' | 'make' | 'pure'>, expr: PureExpr, unfused: (ctx: BuildContext) => Kernel): SeriesArg {
  return { kind: 'series', ...arg, pure: expr, make: (ctx) => pureKernel(expr, ctx, () => unfused(ctx)) };
}

const BINARY_PURE: Partial<Record<string, PureOp>> = { '+': '+', '-': '-', '*': '*', '/': '/', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==', '!=': '!=', and: 'and', or: 'or' };

function constant(value: number, unit: Unit, unitAgnostic: boolean): SeriesArg {
  return { kind: 'series', constant: value, unit, unitAgnostic, make: () => constKernel(value) };
}

class Checker {
  readonly inputs: string[] = [];
  readonly diagnostics: FormulaDiagnostic[] = [];
  causal = true;

  constructor(
    private readonly env: EnvLike,
    private readonly limits: FormulaLimits,
  ) {}

  private error(message: string, at: Span): undefined {
    this.diagnostics.push({ severity: 'error', message, start: at.start, end: at.end });
    return undefined;
  }

  private warn(message: string, at: Span): void {
    this.diagnostics.push({ severity: 'warning', message, start: at.start, end: at.end });
  }

  walk(node: Node): SeriesArg | undefined {
    switch (node.type) {
      case 'number':
        return constant(node.value, DIMENSIONLESS, true);
      case 'bool':
        return constant(node.value ? 1 : 0, DIMENSIONLESS, true);
      // Outside window arguments a duration is a value in seconds, a length a value in metres.
      case 'duration':
        return constant(node.ms / 1000, SECOND, false);
      case 'length':
        return constant(node.metres, METRE, false);
      case 'signal':
        return this.signal(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'call':
        return this.call(node);
    }
  }

  private signal(node: Extract<Node, { type: 'signal' }>): SeriesArg | undefined {
    if (node.name.trim() === '') return this.error('empty signal name []', node);
    let unitText: unknown;
    try {
      unitText = this.env.signalUnits(node.name);
    } catch {
      unitText = undefined;
    }
    // Anything but a string (a throwing or sloppy lookup, `__proto__` in a plain object) means unknown.
    if (typeof unitText !== 'string') {
      const listy = node.bracketed && /^[\s\d.,+\-eE]*$/.test(node.name);
      return this.error(`unknown signal '${node.name}'${listy ? ' (number lists are only allowed as lookup() tables)' : ''}`, node);
    }
    let index = this.inputs.indexOf(node.name);
    if (index < 0) index = this.inputs.push(node.name) - 1;
    const k = index;
    return { kind: 'series', unit: parseUnit(unitText), unitAgnostic: false, pure: { k: 'input', index: k }, make: () => inputKernel(k) };
  }

  private unary(node: Extract<Node, { type: 'unary' }>): SeriesArg | undefined {
    const a = this.walk(node.operand);
    if (!a) return undefined;
    const isNot = node.op === 'not';
    const unit = isNot ? DIMENSIONLESS : a.unit;
    const agnostic = isNot ? false : a.unitAgnostic;
    if (a.constant !== undefined) return constant(scalarUnary(node.op, a.constant), unit, agnostic);
    if (node.op === '+') return { ...a, unit, unitAgnostic: agnostic };
    const expr: PureExpr = { k: 'op', op: node.op === '-' ? 'neg' : 'not', args: [pureOf(a)] };
    return pureSeries({ unit, unitAgnostic: agnostic }, expr, (ctx) => unaryKernel(node.op, a.make(ctx)));
  }

  private binary(node: Extract<Node, { type: 'binary' }>): SeriesArg | undefined {
    const l = this.walk(node.left);
    const r = this.walk(node.right);
    if (!l || !r) return undefined;
    const { unit, agnostic } = this.binaryUnit(node, l, r);
    if (l.constant !== undefined && r.constant !== undefined) return constant(scalarBinary(node.op, l.constant, r.constant), unit, agnostic);
    const op = node.op;
    const unfused = this.binaryKernel(op, l, r);
    const pure = BINARY_PURE[op];
    const arg = { unit, unitAgnostic: agnostic, ...(op === '*' && l.constant === undefined && r.constant === undefined ? { product: [l, r] as const } : {}), ...(unfused.sum ? { sum: unfused.sum } : {}) };
    // `%` and `^` have no fused form: they stay leaves of the operators around them.
    if (!pure) return { kind: 'series', ...arg, make: unfused.make };
    return pureSeries(arg, { k: 'op', op: pure, args: [pureOf(l), pureOf(r)] }, unfused.make);
  }

  /** The per-operator JS kernel of `l op r` (both not constant), with the chains it fuses by itself. */
  private binaryKernel(op: Extract<Node, { type: 'binary' }>['op'], l: SeriesArg, r: SeriesArg): { make: (ctx: BuildContext) => Kernel; sum?: readonly SeriesArg[] } {
    // Fuse `x * y + z` and `z + x * y` into one pass (the commonest elementwise chain: scale and offset).
    if (op === '+' && r.constant === undefined && l.constant === undefined) {
      const [p, z] = l.product ? [l.product, r] : r.product ? [r.product, l] : [undefined, undefined];
      if (p && z) return { make: (ctx) => mulAddKernel(p[0].make(ctx), p[1].make(ctx), z.make(ctx)) };
    }
    if (op === '+' && l.constant === undefined && r.constant === undefined) {
      // Only the left side flattens: `(a + b) + c` is one chain, `a + (b + c)` keeps its grouping (and rounding).
      const terms = [...(l.sum ?? [l]), r];
      return { sum: terms, make: (ctx) => sumKernel(terms.map((t) => t.make(ctx))) };
    }
    // `2 * x` and `1 + x` run as `x * 2` / `x + 1` so the constant-operand loops apply.
    const swap = l.constant !== undefined && (op === '+' || op === '*');
    const [a, b] = swap ? [r, l] : [l, r];
    return { make: (ctx) => binaryKernel(op, a.make(ctx), b.make(ctx), b.constant) };
  }

  private binaryUnit(node: Extract<Node, { type: 'binary' }>, l: SeriesArg, r: SeriesArg): { unit: Unit; agnostic: boolean } {
    const both = l.unitAgnostic && r.unitAgnostic;
    const mismatch = !l.unitAgnostic && !r.unitAgnostic && !unitsEqual(l.unit, r.unit);
    const verb: Record<string, string> = { '+': 'adding', '-': 'subtracting' };
    switch (node.op) {
      case '+':
      case '-':
        if (mismatch) this.warn(`${verb[node.op]} ${showUnit(l.unit)} and ${showUnit(r.unit)}: units differ (result keeps ${showUnit(l.unit)})`, node);
        return { unit: l.unitAgnostic ? r.unit : l.unit, agnostic: both };
      case '*':
        return { unit: mulUnit(l.unit, r.unit), agnostic: both };
      case '/':
        return { unit: divUnit(l.unit, r.unit), agnostic: both };
      case '%':
        return { unit: l.unit, agnostic: l.unitAgnostic };
      case '^':
        if (r.constant !== undefined) return { unit: powUnit(l.unit, r.constant), agnostic: l.unitAgnostic };
        if (!isDimensionless(l.unit)) this.warn(`a variable power of ${showUnit(l.unit)} has no unit; the result is dimensionless`, node);
        return { unit: DIMENSIONLESS, agnostic: false };
      case 'and':
      case 'or':
        return { unit: DIMENSIONLESS, agnostic: false };
      default:
        if (mismatch) this.warn(`comparing ${showUnit(l.unit)} with ${showUnit(r.unit)}: units differ`, node);
        return { unit: DIMENSIONLESS, agnostic: false };
    }
  }

  private call(node: Extract<Node, { type: 'call' }>): SeriesArg | undefined {
    const def = FUNCTIONS.get(node.name);
    const nameSpan = { start: node.start, end: node.nameEnd };
    if (!def) {
      const hint = suggestFunction(node.name);
      return this.error(`unknown function '${node.name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, nameSpan);
    }
    const params = def.params;
    const hasRest = params.some((p) => p.rest);
    const required = params.filter((p) => !p.optional).length;
    const max = hasRest ? Infinity : params.length;
    const n = node.args.length;
    if (n < required || n > max) {
      const expected = hasRest ? `at least ${required}` : required === max ? `${required}` : `${required} to ${max}`;
      return this.error(`${def.name}() takes ${expected} argument${required === 1 && max === 1 ? '' : 's'} — ${def.signature} — but got ${n}`, node);
    }
    const args: ArgValue[] = [];
    let failed = false;
    node.args.forEach((argNode, i) => {
      const spec = params[Math.min(i, params.length - 1)]!;
      const v = this.argument(def, spec, argNode);
      if (v) args.push(v);
      else failed = true;
    });
    if (failed) return undefined;
    const problem = def.validate?.(args);
    if (problem) return this.error(problem[0], node.args[problem[1]] ?? node);
    const unit = def.unit(args, { warn: (m, i) => this.warn(m, (i !== undefined ? node.args[i] : undefined) ?? node) });
    if (def.global?.(args)) this.causal = false;
    const series = args.filter((a): a is SeriesArg => a.kind === 'series');
    const arg = { unit, unitAgnostic: series.length > 0 && series.every((a) => a.unitAgnostic) };
    const make = (ctx: BuildContext): Kernel => def.make(args, ctx);
    const fused = def.pure ? (series.length === args.length ? { op: def.pure } : undefined) : def.pureFor?.(args);
    if (fused) return pureSeries(arg, { k: 'op', ...fused, args: series.map(pureOf) }, make);
    return { kind: 'series', ...arg, make };
  }

  private argument(def: FunctionDef, spec: ParamSpec, node: Node): ArgValue | undefined {
    const where = `${def.name}(): ${spec.name}`;
    if (spec.kind === 'series') return this.walk(node);
    if (spec.kind === 'list') return this.list(where, node);
    const c = this.walk(node);
    if (!c) return undefined;
    if (c.constant === undefined) return this.error(`${where} must be a constant${spec.kind === 'window' ? ': a number of samples or a duration like 5s' : ''}`, node);
    const v = c.constant;
    const isTime = unitsEqual(c.unit, SECOND);
    if (!Number.isFinite(v)) return this.error(`${where} must be finite`, node);
    if (spec.kind === 'window' && unitsEqual(c.unit, METRE)) {
      if (!spec.allowLength) return this.error(`${where}: windows in metres need a length signal, which only delay() takes so far; use samples or a duration`, node);
      return v >= 0 ? { kind: 'distance', metres: v } : this.error(`${where} must be ≥ 0 m`, node);
    }
    if (!isTime && !isDimensionless(c.unit)) return this.error(`${where} must be a number or a duration, not a value in ${showUnit(c.unit)}`, node);
    const min = spec.allowZero ? 0 : Number.MIN_VALUE;
    const positive = (what: string): undefined => this.error(`${where} must be ${spec.allowZero ? '≥ 0' : '> 0'}${what}`, node);
    switch (spec.kind) {
      case 'window':
        if (isTime) return v >= min ? { kind: 'window', window: { kind: 'time', ms: v * 1000 } } : positive('');
        if (!Number.isInteger(v) || v < (spec.allowZero ? 0 : 1)) return this.error(`${where} must be a whole number of samples ${spec.allowZero ? '≥ 0' : '≥ 1'}, or a duration like 5s`, node);
        if (v > this.limits.maxWindow) return this.error(`${where}: ${v} samples exceeds the window limit of ${this.limits.maxWindow}`, node);
        return { kind: 'window', window: { kind: 'samples', n: v } };
      case 'seconds':
        return v >= min ? { kind: 'seconds', seconds: v } : positive(' (seconds or a duration)');
      case 'number':
        if (isTime) return this.error(`${where} must be a plain number`, node);
        return { kind: 'number', value: v };
      case 'smoothing':
        if (isTime) return v > 0 ? { kind: 'smoothing', tauS: v } : positive('');
        if (!(v > 0 && v <= 1)) return this.error(`${where}: a plain number is the weight alpha and must be in (0, 1]; use a duration like 2s for a time constant`, node);
        return { kind: 'smoothing', alpha: v };
      default:
        return undefined;
    }
  }

  /** Reads `[1, -2.5, 3e2]` from a bracket (the lexer cannot tell lists from quoted names; the parameter kind can). */
  private list(where: string, node: Node): ArgValue | undefined {
    if (node.type !== 'signal' || !node.bracketed) return this.error(`${where} must be a list of numbers like [0, 10, 20]`, node);
    const base = node.start + 1;
    const tokens = tokenize(node.name, false);
    const values: number[] = [];
    let k = 0;
    const at = (i: number): Span => {
      const t = tokens[Math.min(i, tokens.length - 1)]!;
      return { start: Math.min(base + t.start, node.end), end: Math.min(base + Math.max(t.end, t.start + 1), node.end) };
    };
    for (;;) {
      let sign = 1;
      const t0 = tokens[k]!;
      if (t0.kind === 'operator' && (t0.text === '-' || t0.text === '+')) {
        sign = t0.text === '-' ? -1 : 1;
        k++;
      }
      const num = tokens[k]!;
      if (num.kind !== 'number' || !Number.isFinite(num.value)) return this.error(`${where}: expected a number in the list`, at(k));
      values.push(sign * num.value!);
      k++;
      const sep = tokens[k]!;
      if (sep.kind === 'eof') break;
      if (sep.kind !== 'comma') return this.error(`${where}: expected ',' between list entries`, at(k));
      k++;
    }
    return { kind: 'list', values };
  }
}
