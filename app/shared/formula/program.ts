/**
 * The compiled form behind a CompiledFormula. Kept in a WeakMap so the public object
 * stays plain data (inputs, unit, warnings) that can be logged or shown as-is.
 */
import type { BuildContext, GlobalKernel, Kernel } from './kernel';
import type { SeriesArg } from './lib/define';
import type { FormulaDiagnostic, FormulaLimits } from './types';

export interface CompiledFormula {
  /** The formula text as compiled. */
  readonly text: string;
  /** Signals the formula reads, in order of first appearance; evaluation needs each of them. */
  readonly inputs: readonly string[];
  /** Inferred unit of the result ('' = dimensionless). */
  readonly unit: string;
  /** Non-fatal diagnostics (unit mismatches), with positions. */
  readonly warnings: readonly FormulaDiagnostic[];
  /** False when whole-range aggregates (avg(x), std(x) without a window) are used: a stream then reports their running value. */
  readonly causal: boolean;
  readonly limits: Readonly<FormulaLimits>;
}

export interface Program {
  readonly root: SeriesArg;
  readonly limits: Readonly<FormulaLimits>;
}

export interface BuiltTree {
  readonly root: Kernel;
  readonly globals: readonly GlobalKernel[];
  /** Gives pooled resources back (fused kernels' WebAssembly instances); the tree must not run after. */
  release(): void;
}

const programs = new WeakMap<CompiledFormula, Program>();

export function attachProgram(f: CompiledFormula, p: Program): void {
  programs.set(f, p);
}

export function programOf(f: CompiledFormula): Program | undefined {
  return programs.get(f);
}

/** Instantiates fresh kernels (with fresh state) for one evaluation or one stream. */
export function buildTree(p: Program): BuiltTree {
  const ctx: BuildContext = { maxWindow: p.limits.maxWindow, globals: [], releases: [] };
  const root = p.root.make(ctx);
  return { root, globals: ctx.globals, release: () => ctx.releases.splice(0).forEach((r) => r()) };
}
