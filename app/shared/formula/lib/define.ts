/**
 * How a library function is described: parameters with kinds the checker enforces,
 * a unit rule, and a kernel builder. Families (math.ts, window.ts, ...) export arrays
 * of these; registry.ts collects them into one table the editor can list.
 */
import type { BuildContext, Kernel } from '../kernel';
import type { PureExpr, PureOp } from '../pure';
import type { FunctionDoc } from '../types';
import type { Unit } from '../units';
import { DIMENSIONLESS, divUnit, mulUnit, parseUnit, showUnit, unitsEqual } from '../units';

/**
 * series: any expression (evaluated per sample)
 * window: constant whole number of samples, or a duration literal (5s)
 * seconds: a duration literal, or a constant number of seconds
 * number: a constant number
 * list: a bracketed list of numbers [1, 2, 3]
 * smoothing: a duration literal (time constant) or a constant alpha in (0, 1]
 */
export type ParamKind = 'series' | 'window' | 'seconds' | 'number' | 'list' | 'smoothing';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  optional?: boolean;
  /** Repeats: the function takes any number (≥ 1) of these at the end. */
  rest?: boolean;
  /** window/seconds: 0 is accepted (delay by nothing). */
  allowZero?: boolean;
  /** window: a length literal (5m) is accepted too, as a distance along the strip. */
  allowLength?: boolean;
}

export type WindowSpec = { kind: 'samples'; n: number } | { kind: 'time'; ms: number };

export interface SeriesArg {
  kind: 'series';
  make: (ctx: BuildContext) => Kernel;
  unit: Unit;
  /** Plain numbers carry no unit: they adopt the unit they are combined with. */
  unitAgnostic: boolean;
  /** Value when the expression is a compile-time constant. */
  constant?: number;
  /** Set on `x * y` of two non-constants, so `x * y + z` can run as one fused loop. */
  product?: readonly [SeriesArg, SeriesArg];
  /** Set on a left-deep chain `a + b + …` of non-constants (its terms), so it runs as one fused kernel. */
  sum?: readonly SeriesArg[];
  /** Set on elementwise operators and stateless functions: the subtree as data, for fused.ts. */
  pure?: PureExpr;
}

export type ArgValue =
  | SeriesArg
  | { kind: 'window'; window: WindowSpec }
  /** A window given as a length along the strip (5m), where the parameter allows it. */
  | { kind: 'distance'; metres: number }
  | { kind: 'seconds'; seconds: number }
  | { kind: 'number'; value: number }
  | { kind: 'list'; values: number[] }
  | { kind: 'smoothing'; alpha?: number; tauS?: number };

export interface UnitContext {
  /** Records a unit warning against argument `argIndex` (or the whole call). */
  warn(message: string, argIndex?: number): void;
}

export interface FunctionDef extends FunctionDoc {
  readonly params: readonly ParamSpec[];
  readonly unit: (args: readonly ArgValue[], ctx: UnitContext) => Unit;
  readonly make: (args: readonly ArgValue[], ctx: BuildContext) => Kernel;
  /** True when this call (with these args) aggregates over the whole range, which a stream cannot know in advance. */
  readonly global?: (args: readonly ArgValue[]) => boolean;
  /** Elementwise and stateless: the operator a fused loop computes it with (fused.ts), all arguments being series. */
  readonly pure?: PureOp;
  /** Like `pure` for functions with constant arguments or simple state: the operator (and its parameter) for these arguments, or undefined. */
  readonly pureFor?: (args: readonly ArgValue[]) => { op: PureOp; param?: number } | undefined;
  /** Cross-argument checks (e.g. lookup tables); returns [message, argIndex] on failure. */
  readonly validate?: (args: readonly ArgValue[]) => [string, number] | undefined;
}

// ---- argument accessors (the checker guarantees kinds, so a mismatch is a library bug) ----

function bug(i: number, kind: string): never {
  throw new Error(`formula library bug: argument ${i} is not a ${kind}`);
}

export function series(args: readonly ArgValue[], i: number, ctx: BuildContext): Kernel {
  const a = args[i];
  return a?.kind === 'series' ? a.make(ctx) : bug(i, 'series');
}

export function windowArg(args: readonly ArgValue[], i: number): WindowSpec {
  const a = args[i];
  return a?.kind === 'window' ? a.window : bug(i, 'window');
}

export function secondsArg(args: readonly ArgValue[], i: number): number {
  const a = args[i];
  return a?.kind === 'seconds' ? a.seconds : bug(i, 'duration');
}

export function numberArg(args: readonly ArgValue[], i: number, fallback?: number): number {
  const a = args[i];
  if (a === undefined && fallback !== undefined) return fallback;
  return a?.kind === 'number' ? a.value : bug(i, 'number');
}

export function listArg(args: readonly ArgValue[], i: number): number[] {
  const a = args[i];
  return a?.kind === 'list' ? a.values : bug(i, 'list');
}

export const unitOf = (args: readonly ArgValue[], i: number): Unit => {
  const a = args[i];
  return a?.kind === 'series' ? a.unit : DIMENSIONLESS;
};

// ---- unit rules (each paired with the text shown in the reference) ----

export const SAME = 'unit of x';
export const NONE = 'dimensionless';

export const sameUnit = (args: readonly ArgValue[]): Unit => unitOf(args, 0);
export const noUnit = (): Unit => DIMENSIONLESS;
export const S = parseUnit('s');
export const perSecond = (args: readonly ArgValue[]): Unit => divUnit(unitOf(args, 0), S);
export const timesSecond = (args: readonly ArgValue[]): Unit => mulUnit(unitOf(args, 0), S);

/** All series arguments should share one unit (plain numbers excepted); warns otherwise, returns the first dimensional one. */
export function matchingUnits(what: string) {
  return (args: readonly ArgValue[], ctx: UnitContext): Unit => {
    let first: Unit | undefined;
    args.forEach((a, i) => {
      if (a.kind !== 'series' || a.unitAgnostic) return;
      if (first === undefined) first = a.unit;
      else if (!unitsEqual(first, a.unit)) ctx.warn(`${what}: unit ${showUnit(a.unit)} differs from ${showUnit(first)}`, i);
    });
    return first ?? DIMENSIONLESS;
  };
}

/** Like matchingUnits but the result is dimensionless (comparisons, thresholds). */
export function matchingThenNone(what: string) {
  const check = matchingUnits(what);
  return (args: readonly ArgValue[], ctx: UnitContext): Unit => {
    check(args, ctx);
    return DIMENSIONLESS;
  };
}
