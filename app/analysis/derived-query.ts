/**
 * The workspace's derived signals in offline analysis: offered beside a source's recorded
 * signals (flagged when an input is not recorded there, so the tree shows why it stays empty)
 * and computed on query from their inputs' raw columns — virtual, never written. Results are
 * cached per (formula, range, source), since a trend asks for the same view on every redraw
 * and cursor move; M4 then thins them like any signal.
 */
import type { AnalysisSignal } from '../shared/contract/analysis';
import type { DerivedSignalConfig } from '../shared/contract/config';
import { DerivedColumnsCache, evaluateDerivedColumns, rangeOf, type InputColumns } from '../shared/formula/columns';
import { checkDerived, resolveDerived } from '../shared/formula/derived';
import { parxError } from '../shared/result';
import type { Trace } from './m4';

export type DerivedDefinition = Pick<DerivedSignalConfig, 'name' | 'formula'> & Partial<Pick<DerivedSignalConfig, 'unit' | 'description'>>;

/**
 * Inputs are read this long before the range, so windowed functions (sma(x, 5s)) are filled
 * at its start. A window longer than this starts partly filled at the left edge.
 */
export const DERIVED_LEAD_MS = 60_000;

const QUALITY_BAD = 3;

/** An input sample of bad quality counts as NaN, as in the live evaluation (app/engine/derived-signals.ts). */
function inputOf(t: Trace, from: number, to: number, unit: string): InputColumns {
  const [a, b] = rangeOf(t.x, from, to);
  const value = t.value.slice(a, b);
  for (let i = 0; i < value.length; i++) if (t.quality[a + i] === QUALITY_BAD) value[i] = Number.NaN;
  return { ts: t.x.subarray(a, b), value, unit };
}

export class DerivedSignalsOffline {
  private defs = new Map<string, DerivedDefinition>();
  /** Raw results (not thinned): M4 and the cursor statistics both work from them. */
  readonly cache = new DerivedColumnsCache(8);

  set(defs: readonly DerivedDefinition[]): void {
    this.defs = new Map(defs.map((d) => [d.name, d]));
    this.cache.clear();
  }

  /**
   * A source's signal list: its recorded signals, then each derived signal not recorded itself
   * (a persisted one is). A derived signal may read other derived signals; cycles and missing
   * inputs are flagged with a status that says which.
   */
  signalsFor(list: readonly AnalysisSignal[]): AnalysisSignal[] {
    const recorded = list.filter((s) => s.formula === undefined);
    const units = new Map(recorded.map((s) => [s.name, s.unit]));
    const derived = resolveDerived((n) => units.get(n), [...this.defs.values()])
      .map((r): AnalysisSignal => ({ name: r.def.name, unit: r.unit, description: r.def.description ?? '', formula: r.def.formula, ...(r.status ? { status: r.status } : {}) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return [...recorded, ...derived];
  }

  /**
   * The derived signal's samples with from ≤ x ≤ to, from its inputs over [from − lead, to]
   * (`load` gives a derived input by evaluating it in turn, from further back).
   * `key` names the data (source, its extent, the batch), so a cached result is trusted.
   */
  async trace(signal: AnalysisSignal, key: string, from: number, to: number, load: (input: string, from: number, to: number) => Promise<Trace>): Promise<Trace> {
    if (signal.status) throw parxError('not-found', `derived signal "${signal.name}" gives no data here: ${signal.status}`, { path: 'signals' });
    const def = this.defs.get(signal.name);
    if (!def) throw parxError('not-found', `no derived signal "${signal.name}" in the workspace`, { path: 'signals' });
    const checked = checkDerived(def.formula, () => '');
    if (!checked.compiled.ok) throw parxError('invalid-request', `derived signal "${signal.name}": ${checked.compiled.error.message}`, { path: 'signals' });
    const lead = Number.isFinite(from) ? from - DERIVED_LEAD_MS : from;
    const inputs: Record<string, InputColumns> = {};
    for (const name of checked.compiled.value.inputs) inputs[name] = inputOf(await load(name, lead, to), lead, to, '');
    const r = evaluateDerivedColumns(def.formula, inputs, { from, to, source: key, cache: this.cache });
    if (!r.ok) throw parxError(r.error.kind, `derived signal "${signal.name}": ${r.error.message}`, { path: 'signals' });
    const quality = new Uint8Array(r.value.value.length);
    for (let i = 0; i < quality.length; i++) if (Number.isNaN(r.value.value[i]!)) quality[i] = QUALITY_BAD;
    return { x: r.value.ts, value: r.value.value, quality };
  }
}
