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

/** One derived signal resolved among the others: derived signals may read derived signals. */
export interface ResolvedDerived<D> {
  readonly def: D;
  /** Compiled with the units of recorded/acquired signals and of the derived signals before it. */
  readonly check: DerivedCheck;
  /** Its own unit when the definition gives one, else the formula's. */
  readonly unit: string;
  /** Why it gives no data (missing input, formula error, a cycle, a flagged input), or undefined. */
  readonly status: string | undefined;
  /** The derived signals it reads. */
  readonly derivedInputs: readonly string[];
}

/**
 * Orders derived signals so each comes after the derived signals it reads, and flags what
 * cannot be computed: a formula error, an input that is neither a signal nor a derived
 * signal, a cycle (A reads B reads A), or an input that is itself flagged. `signalUnit` gives
 * the unit of a recorded or acquired signal, undefined when there is none of that name; a
 * derived signal whose name is also a signal is left out (the signal wins: a persisted
 * derived signal is read from the files like any other).
 */
export function resolveDerived<D extends { name: string; formula: string; unit?: string }>(
  signalUnit: (name: string) => string | undefined,
  defs: readonly D[],
): ResolvedDerived<D>[] {
  const byName = new Map<string, D>();
  for (const d of defs) if (signalUnit(d.name) === undefined && !byName.has(d.name)) byName.set(d.name, d);
  const done = new Map<string, ResolvedDerived<D>>();
  const order: ResolvedDerived<D>[] = [];
  const visiting: string[] = [];
  const inputsOf = (d: D): readonly string[] => {
    const c = compileFormula(d.formula, { signalUnits: () => '' });
    return c.ok ? c.value.inputs : [];
  };
  const visit = (d: D): ResolvedDerived<D> => {
    const known = done.get(d.name);
    if (known) return known;
    visiting.push(d.name);
    const derivedInputs = inputsOf(d).filter((n) => signalUnit(n) === undefined && byName.has(n));
    let status: string | undefined;
    for (const name of derivedInputs) {
      const at = visiting.indexOf(name);
      if (at >= 0) {
        status ??= `formula cycle: ${[...visiting.slice(at), name].join(' → ')}`;
        continue;
      }
      const input = visit(byName.get(name)!);
      if (input.status) status ??= `input "${name}" gives no data (${input.status})`;
    }
    const unitOf = (n: string): string | undefined => signalUnit(n) ?? done.get(n)?.unit ?? (byName.has(n) ? '' : undefined);
    const check = checkDerived(d.formula, unitOf);
    if (!check.compiled.ok) status = `formula: ${check.compiled.error.message}`;
    else status ??= derivedStatus(check.missing);
    const unit = d.unit || (check.compiled.ok ? check.compiled.value.unit : '');
    visiting.pop();
    const r: ResolvedDerived<D> = { def: d, check, unit, status, derivedInputs };
    done.set(d.name, r);
    order.push(r);
    return r;
  };
  for (const d of byName.values()) visit(d);
  return order;
}
