/** Handlers of the formulas area's contract methods (app/shared/contract/formulas.ts). */
import type { formulaMethods } from '../shared/contract/formulas';
import { DerivedSignalSchema, describeProblems, zodProblems, type WorkspaceConfig } from '../shared/contract';
import { checkDerived, compileFormula, evaluateDerivedColumns, FUNCTION_LIBRARY, type CompiledFormula, type InputColumns } from '../shared/formula';
import { err, ok, parxError, type ParxError, type Result } from '../shared/result';
import type { Engine } from './engine';
import type { HandlersFor } from './handler-types';

/** Compiles against the engine's signals: acquired ones and the derived signals (a formula may read either). */
function compileForEngine(engine: Engine, formula: string): ReturnType<typeof compileFormula> {
  return compileFormula(formula, { signalUnits: (name) => engine.registry.byName(name)?.unit });
}

function formulaError(e: { message: string; position: number }): ParxError {
  return parxError('formula', e.message, { path: 'formula', position: e.position });
}

/** Saves a changed configuration the way config.save does; problems of derived[index] are reported at `derived.<field>`. */
async function saveConfig(engine: Engine, config: WorkspaceConfig, index: number): Promise<Result<{ file: string; history: string }>> {
  const saved = await engine.store.save(config);
  if (!saved.ok) {
    const own = `derived[${index}].`;
    const problems = saved.problems.map((p) => (p.path.startsWith(own) ? { ...p, path: `derived.${p.path.slice(own.length)}` } : p));
    return err(parxError('invalid-config', `derived signal not saved: ${describeProblems(problems)}`, { path: problems[0]?.path ?? '' }));
  }
  engine.configProblem = null;
  const loaded = await engine.store.load();
  const applied = await engine.apply(loaded.config);
  if (!applied.ok) return applied;
  engine.broadcast('config.changed', { file: saved.file });
  return ok({ file: saved.file, history: saved.history });
}

export const formulaHandlers: HandlersFor<keyof typeof formulaMethods> = {
  'formulas.check': async ({ formula }, { engine }) => {
    const f = compileForEngine(engine, formula);
    if (!f.ok) return ok({ diagnostics: f.error.diagnostics.map((d) => ({ ...d })), unit: null, inputs: [] });
    return ok({ diagnostics: f.value.warnings.map((d) => ({ ...d })), unit: f.value.unit, inputs: [...f.value.inputs] });
  },

  'formulas.preview': async ({ formula, from, to, points }, { engine }) => {
    const f = compileForEngine(engine, formula);
    if (!f.ok) return err(formulaError(f.error));
    const compiled: CompiledFormula = f.value;
    const inputs: Record<string, InputColumns> = {};
    for (const name of compiled.inputs) {
      const w = engine.derived.recent.window(engine.registry.byName(name)!.id, from ?? -Infinity, to ?? Infinity);
      inputs[name] = { ts: w.t, value: w.v };
    }
    const r = evaluateDerivedColumns(compiled, inputs, { resolution: points });
    if (!r.ok) return r;
    return ok({ t: r.value.ts, v: r.value.value, unit: r.value.unit, samples: r.value.samples });
  },

  'formulas.functions': async () => ok(FUNCTION_LIBRARY.map((f) => ({ ...f }))),

  'derived.save': async ({ derived, replaces }, { engine }) => {
    const parsed = DerivedSignalSchema.safeParse(derived);
    if (!parsed.success) {
      const problems = zodProblems(parsed.error);
      return err(parxError('invalid-request', `derived signal: ${describeProblems(problems)}`, { path: problems[0] ? `derived.${problems[0].path}` : 'derived' }));
    }
    const d = parsed.data;
    // Inputs the engine does not acquire are accepted (the signal is flagged live until they exist):
    // a workspace used only to analyse recorded files has no acquired signals at all.
    const { compiled } = checkDerived(d.formula, (n) => engine.registry.byName(n)?.unit);
    if (!compiled.ok) return err(parxError('formula', `derived signal not saved: ${compiled.error.message}`, { path: 'derived.formula', position: compiled.error.position }));
    const list = [...(engine.config.derived ?? [])];
    const at = list.findIndex((x) => x.name === (replaces ?? d.name));
    if (at >= 0) list[at] = d;
    else list.push(d);
    return saveConfig(engine, { ...engine.config, derived: list }, at >= 0 ? at : list.length - 1);
  },

  'derived.remove': async ({ name }, { engine }) => {
    const list = engine.config.derived ?? [];
    if (!list.some((d) => d.name === name)) return ok({ removed: false });
    const saved = await saveConfig(engine, { ...engine.config, derived: list.filter((d) => d.name !== name) }, -1);
    return saved.ok ? ok({ removed: true }) : saved;
  },
};
