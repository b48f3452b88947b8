/**
 * Public types of the formula engine. Kept apart from the implementation so the
 * editor (renderer) can import them without pulling in the evaluator.
 */
import type { ParxError } from '../result';

/** One signal column: timestamps in ms since epoch (strictly ascending) and values; NaN = no value. */
export interface FormulaSignal {
  t: Float64Array;
  v: Float64Array;
  unit?: string;
}

/** A problem found in the text; offsets are character offsets into the formula text. */
export interface FormulaDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  start: number;
  end: number;
}

export interface FormulaLimits {
  /** Longest accepted text, in characters. */
  maxLength: number;
  /** Deepest accepted nesting of expressions (parentheses, calls, operator chains). */
  maxDepth: number;
  /** Most samples one window (or delay) may hold, whether given in samples or as a duration. */
  maxWindow: number;
  /** Wall-clock budget of one whole-column evaluation. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<FormulaLimits> = Object.freeze({
  maxLength: 10_000,
  maxDepth: 64,
  maxWindow: 1_000_000,
  timeoutMs: 5_000,
});

export type FunctionCategory = 'math' | 'statistics' | 'window' | 'logic' | 'signal' | 'time';

/** What an editor lists: one entry per function. */
export interface FunctionDoc {
  readonly name: string;
  readonly signature: string;
  readonly description: string;
  readonly example: string;
  readonly category: FunctionCategory;
  /** How the result's unit follows from the arguments' units. */
  readonly unitRule: string;
}

/** What compileFormula returns on failure: a ParxError (kind 'formula', position of the first error) plus every diagnostic. */
export interface FormulaCompileError extends ParxError {
  readonly kind: 'formula';
  readonly position: number;
  readonly diagnostics: readonly FormulaDiagnostic[];
}

export interface EnvLike {
  /** Unit of a signal, '' when dimensionless, undefined when there is no such signal. */
  signalUnits: (name: string) => string | undefined;
}
