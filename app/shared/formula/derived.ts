/**
 * Derived signals as the workspace stores them: a formula over other signals. Checked
 * leniently on purpose: a formula whose input was deleted or renamed still loads, so the
 * configuration is never refused for it; the derived signal is flagged instead
 * ("missing input: X") and produces nothing until the input is back.
 */
import type { Result } from '../result';
import { compileFormula } from './compile';
import type { CompiledFormula } from './program';
import type { FormulaCompileError } from './types';

export interface DerivedCheck {
  /** The compiled formula (inputs that do not exist are compiled as dimensionless). */
  readonly compiled: Result<CompiledFormula, FormulaCompileError>;
  /** Inputs the formula names that are not signals (deleted or renamed). */
  readonly missing: readonly string[];
}

/** Compiles a derived signal's formula against the signals that exist; `unitOf` is undefined for an unknown name. */
export function checkDerived(formula: string, unitOf: (name: string) => string | undefined): DerivedCheck {
  const compiled = compileFormula(formula, { signalUnits: (name) => unitOf(name) ?? '' });
  const missing = compiled.ok ? compiled.value.inputs.filter((name) => unitOf(name) === undefined) : [];
  return { compiled, missing };
}

/** The status a flagged derived signal shows in signal lists; undefined when it is fine. */
export function derivedStatus(missing: readonly string[]): string | undefined {
  return missing.length === 0 ? undefined : `missing input: ${missing.join(', ')}`;
}
