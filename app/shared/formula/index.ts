/**
 * ParX signal-formula engine: derived signals from PLC data, evaluated over whole
 * columns (offline), incrementally (live streams) or as triggers. Browser-safe: no Node
 * built-ins. See docs/formulas.md for the language.
 */
export { compileFormula } from './compile';
export { evaluateFormula } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { createStreamEvaluator } from './stream';
export type { StreamEvaluator, StreamOptions } from './stream';
export { tokenize } from './lexer';
export type { Token, TokenKind } from './lexer';
export { FUNCTION_LIBRARY } from './registry';
export type { CompiledFormula } from './program';
export { DEFAULT_LIMITS } from './types';
export type { EnvLike, FormulaCompileError, FormulaDiagnostic, FormulaLimits, FormulaSignal, FunctionCategory, FunctionDoc } from './types';
export { FormulaRuntimeError } from './kernel';
export { evaluateDerivedColumns, DerivedColumnsCache, thinMinMax, rangeOf } from './columns';
export type { DerivedColumns, DerivedColumnsOptions, InputColumns } from './columns';
export { checkDerived, derivedStatus, resolveDerived } from './derived';
export type { DerivedCheck, ResolvedDerived } from './derived';
