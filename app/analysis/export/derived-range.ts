/**
 * readRange, where a requested name may also be one of the workspace's derived signals: its
 * inputs are read (from a little earlier, so windows are filled at the start of the range),
 * the formula is evaluated over them (alignment rule in docs/formulas.md) and the result is
 * exported like a recorded signal, with its unit. A derived signal that was recorded
 * (persist: true) is read from the files like any other.
 */
import { evaluateDerivedColumns, type InputColumns } from '../../shared/formula/columns';
import { checkDerived, derivedStatus } from '../../shared/formula/derived';
import { DERIVED_LEAD_MS, type DerivedDefinition } from '../derived-query';
import { readRange, type RangeQuery, type RangeResult, type ReadHooks, type SignalSamples } from './read-range';
import { openDuckDB } from '../../../native/duckdb';
import { batchFiles, listBatches, SourceError } from './source';

const QUALITY_BAD = 3;

function columns(s: SignalSamples): InputColumns {
  // A bad-quality input sample counts as NaN, as in the live evaluation.
  const value = s.value.slice();
  for (let i = 0; i < value.length; i++) if (s.quality[i] === QUALITY_BAD) value[i] = Number.NaN;
  return { ts: s.ts, value, unit: s.unit };
}

export async function readRangeWithDerived(q: RangeQuery, derived: readonly DerivedDefinition[] | undefined, hooks: ReadHooks = {}): Promise<RangeResult> {
  const defs = new Map((derived ?? []).map((d) => [d.name, d]));
  const asked = q.signals.filter((n) => defs.has(n));
  if (asked.length === 0) return readRange(q, hooks);
  const compiled = new Map(asked.map((n) => [n, checkDerived(defs.get(n)!.formula, () => '')]));
  const inputs = [...new Set([...compiled.values()].flatMap((c) => (c.compiled.ok ? c.compiled.value.inputs : [])))];
  const units = await signalUnits(q.source);
  const toEvaluate = asked.filter((n) => !units.has(n));
  // Before reading anything: a derived signal that cannot be computed here says why.
  for (const name of toEvaluate) {
    const check = checkDerived(defs.get(name)!.formula, (n) => units.get(n));
    if (!check.compiled.ok) throw new SourceError(`derived signal "${name}": ${check.compiled.error.message}`);
    const status = derivedStatus(check.missing);
    if (status) throw new SourceError(`derived signal "${name}" cannot be exported from ${q.source}: ${status}`);
  }
  const main = await readRange({ ...q, signals: [...new Set([...q.signals.filter((n) => !toEvaluate.includes(n)), ...inputs])] }, hooks);
  let leadIn = main;
  if (toEvaluate.length > 0 && q.from !== undefined) leadIn = await readRange({ ...q, signals: inputs, from: q.from - DERIVED_LEAD_MS }, { signal: hooks.signal });
  const read = new Map(main.signals.map((s) => [s.name, s]));
  const out = q.signals.map((name): SignalSamples => {
    if (!toEvaluate.includes(name)) return read.get(name)!;
    const def = defs.get(name)!;
    const check = compiled.get(name)!;
    const cols = Object.fromEntries(leadIn.signals.filter((s) => check.compiled.ok && check.compiled.value.inputs.includes(s.name)).map((s) => [s.name, columns(s)]));
    const r = evaluateDerivedColumns(def.formula, cols, { from: main.from, to: main.to });
    if (!r.ok) throw new SourceError(`derived signal "${name}": ${r.error.message}`);
    const quality = new Uint8Array(r.value.value.length);
    for (let i = 0; i < quality.length; i++) if (Number.isNaN(r.value.value[i]!)) quality[i] = QUALITY_BAD;
    return { name, unit: def.unit || r.value.unit, ts: r.value.ts, value: r.value.value, quality };
  });
  return { ...main, signals: out };
}

/** Every signal the source's batch files record, with its unit (metadata only). */
async function signalUnits(source: string): Promise<Map<string, string>> {
  const db = await openDuckDB(':memory:');
  try {
    const units = new Map<string, string>();
    for (const b of await listBatches(db.connection, await batchFiles(source), [])) for (const s of b.signals) if (!units.has(s.name)) units.set(s.name, s.unit);
    return units;
  } finally {
    db.close();
  }
}
