/**
 * readRange, where a requested name may also be one of the workspace's derived signals: its
 * inputs are read (from a little earlier, so windows are filled at the start of the range),
 * the formula is evaluated over them (alignment rule in docs/formulas.md) and the result is
 * exported like a recorded signal, with its unit. A derived signal that was recorded
 * (persist: true) is read from the files like any other.
 */
import { evaluateDerivedColumns, rangeOf, type InputColumns } from '../../shared/formula/columns';
import { resolveDerived, type ResolvedDerived } from '../../shared/formula/derived';
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
  if (!(derived ?? []).some((d) => q.signals.includes(d.name))) return readRange(q, hooks);
  const units = await signalUnits(q.source);
  // Recorded signals win over derived ones of the same name (a persisted derived signal is read from the files).
  const resolved = new Map(resolveDerived((n) => units.get(n), derived ?? []).map((r) => [r.def.name, r]));
  // Every derived signal asked for, and those they read, inputs first; with its depth in the chain.
  const chain: ResolvedDerived<DerivedDefinition>[] = [];
  const depth = new Map<string, number>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const r = resolved.get(name)!;
    // Before reading anything: a derived signal that cannot be computed here says why.
    if (r.status) throw new SourceError(`derived signal "${name}" cannot be exported from ${q.source}: ${r.status}`);
    const d = 1 + Math.max(0, ...r.derivedInputs.map(visit));
    depth.set(name, d);
    chain.push(r);
    return d;
  };
  const asked = q.signals.filter((n) => resolved.has(n));
  const deepest = Math.max(...asked.map(visit));
  const inputsOf = (r: ResolvedDerived<DerivedDefinition>): readonly string[] => (r.check.compiled.ok ? r.check.compiled.value.inputs : []);
  const recordedInputs = [...new Set(chain.flatMap(inputsOf).filter((n) => !resolved.has(n)))];
  const main = await readRange({ ...q, signals: [...new Set([...q.signals.filter((n) => !resolved.has(n)), ...recordedInputs])] }, hooks);
  // Inputs from further back, so windows are filled at the start — one lead per level of the chain.
  let leadIn = main;
  if (q.from !== undefined) leadIn = await readRange({ ...q, signals: recordedInputs, from: q.from - DERIVED_LEAD_MS * deepest }, { signal: hooks.signal });
  const cols = new Map<string, InputColumns>(leadIn.signals.map((s) => [s.name, columns(s)]));
  const computed = new Map<string, SignalSamples>();
  for (const r of chain) {
    const name = r.def.name;
    const own = Object.fromEntries(inputsOf(r).map((n) => [n, cols.get(n)!]));
    const e = evaluateDerivedColumns(r.def.formula, own);
    if (!e.ok) throw new SourceError(`derived signal "${name}": ${e.error.message}`);
    // Kept whole with its lead-in for the next level's windows; what is exported is cut to the range.
    cols.set(name, { ts: e.value.ts, value: e.value.value, unit: r.unit });
    const [a, b] = rangeOf(e.value.ts, main.from, main.to);
    const value = e.value.value.slice(a, b);
    const quality = new Uint8Array(value.length);
    for (let i = 0; i < quality.length; i++) if (Number.isNaN(value[i]!)) quality[i] = QUALITY_BAD;
    computed.set(name, { name, unit: r.def.unit || e.value.unit, ts: e.value.ts.slice(a, b), value, quality });
  }
  const read = new Map(main.signals.map((s) => [s.name, s]));
  return { ...main, signals: q.signals.map((name) => computed.get(name) ?? read.get(name)!) };
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
