/** compileFormula: limits → parse → check → a CompiledFormula, or every error with its position. */
import { err, ok } from '../result';
import type { Result } from '../result';
import { check } from './checker';
import { parse } from './parser';
import type { CompiledFormula } from './program';
import { attachProgram } from './program';
import type { EnvLike, FormulaCompileError, FormulaDiagnostic, FormulaLimits } from './types';
import { DEFAULT_LIMITS } from './types';
import { formatUnit } from './units';

function failure(diagnostics: FormulaDiagnostic[]): Result<never, FormulaCompileError> {
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0]!;
  return err({ kind: 'formula', message: `${first.message} at ${first.start}`, position: first.start, diagnostics });
}

export function compileFormula(text: string, env: EnvLike, limits?: Partial<FormulaLimits>): Result<CompiledFormula, FormulaCompileError> {
  const lim: FormulaLimits = { ...DEFAULT_LIMITS, ...limits };
  if (text.length > lim.maxLength) {
    const at = lim.maxLength;
    return failure([{ severity: 'error', message: `formula is longer than ${lim.maxLength} characters`, start: at, end: text.length }]);
  }
  try {
    const parsed = parse(text, lim.maxDepth);
    if (!parsed.ok) return failure(parsed.diagnostics);
    const checked = check(parsed.ast, env, lim);
    const diagnostics = checked.diagnostics;
    if (!diagnostics.some((d) => d.severity === 'error') && checked.inputs.length === 0) {
      diagnostics.push({ severity: 'error', message: 'a formula needs at least one signal: its timebase comes from its inputs', start: 0, end: text.length });
    }
    if (diagnostics.some((d) => d.severity === 'error') || !checked.root) {
      return failure(diagnostics.length > 0 ? diagnostics : [{ severity: 'error', message: 'invalid formula', start: 0, end: text.length }]);
    }
    const compiled: CompiledFormula = Object.freeze({
      text,
      inputs: Object.freeze([...checked.inputs]),
      unit: formatUnit(checked.root.unit),
      warnings: Object.freeze(diagnostics.filter((d) => d.severity === 'warning')),
      causal: checked.causal,
      limits: Object.freeze(lim),
    });
    attachProgram(compiled, { root: checked.root, limits: lim });
    return ok(compiled);
  } catch (e) {
    // Defensive: a bug must surface as a diagnostic, never as an exception in the editor.
    return failure([{ severity: 'error', message: `internal error: ${e instanceof Error ? e.message : String(e)}`, start: 0, end: text.length }]);
  }
}
