/** Shared by the tests only: small builders for signals and one-call evaluation. */
import { compileFormula } from './compile';
import { evaluateFormula } from './evaluate';
import type { CompiledFormula } from './program';
import type { FormulaLimits, FormulaSignal } from './types';

/** A signal sampled every `stepMs` from t = 0 (or on explicit times). */
export function sig(values: readonly number[], opts: { stepMs?: number; t?: readonly number[]; unit?: string } = {}): FormulaSignal {
  const step = opts.stepMs ?? 1000;
  const t = opts.t ? Float64Array.from(opts.t) : Float64Array.from(values, (_, i) => i * step);
  return { t, v: Float64Array.from(values), ...(opts.unit !== undefined ? { unit: opts.unit } : {}) };
}

/** Environment whose units come from the given signals (unit '' when not set). */
export function envOf(signals: Record<string, FormulaSignal>) {
  return { signalUnits: (name: string): string | undefined => (Object.hasOwn(signals, name) ? (signals[name]!.unit ?? '') : undefined) };
}

export function compileOrThrow(text: string, signals: Record<string, FormulaSignal>, limits?: Partial<FormulaLimits>): CompiledFormula {
  const r = compileFormula(text, envOf(signals), limits);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Evaluates and returns the values as a plain array (NaN kept). */
export function run(text: string, signals: Record<string, FormulaSignal>): number[] {
  const r = evaluateFormula(compileOrThrow(text, signals), signals);
  if (!r.ok) throw new Error(r.error.message);
  return Array.from(r.value.v);
}

/** Evaluates `text` with `x` = values at 1 s steps. */
export const on = (text: string, x: readonly number[], stepMs = 1000): number[] => run(text, { x: sig(x, { stepMs }) });

/** Element-wise comparison with NaN == NaN and a relative tolerance. */
export function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-9): void {
  const bad: string[] = [];
  if (actual.length !== expected.length) bad.push(`length ${actual.length} != ${expected.length}`);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    const same = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    if (!same) bad.push(`[${i}] ${a} != ${e}`);
  });
  if (bad.length > 0) throw new Error(`arrays differ: ${bad.slice(0, 5).join('; ')}\n actual:   ${actual.join(', ')}\n expected: ${expected.join(', ')}`);
}
