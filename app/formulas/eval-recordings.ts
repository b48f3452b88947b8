/**
 * A formula over recorded ParX batch files (docs/file-format.md, long layout): each input
 * signal is read with DuckDB as (ts, value) columns, then evaluated with the alignment rule
 * (evaluateDerivedColumns). Used by `parx eval`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB, queryRows } from '../../native/duckdb';
import { queryDoubleColumns } from '../../native/duckdb-columns';
import { compileFormula, evaluateDerivedColumns, type DerivedColumns, type InputColumns } from '../shared/formula';
import { err, ok, parxError, type ParxError, type Result } from '../shared/result';

const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The parquet files of a source: one file, or every *.parquet under a folder (closed batches only). */
async function parquetGlob(source: string): Promise<Result<string>> {
  let stat;
  try {
    stat = await fs.stat(source);
  } catch {
    return err(parxError('not-found', `no such file or folder: ${source}`, { file: source }));
  }
  if (stat.isFile()) return ok(source);
  return ok(path.join(source, '**', '*.parquet'));
}

export async function evaluateOverRecordings(formula: string, source: string, range: { from?: number; to?: number } = {}): Promise<Result<DerivedColumns, ParxError>> {
  const glob = await parquetGlob(source);
  if (!glob.ok) return glob;
  const db = await openDuckDB();
  try {
    const files = `read_parquet(${literal(glob.value)}, union_by_name = true)`;
    let units: Map<string, string>;
    try {
      // Units from the files' own description (parx.signals); every recorded name counts as a signal.
      const names = await queryRows(db.connection, `SELECT DISTINCT signal FROM ${files}`);
      units = new Map(names.map((r) => [String(r.signal), '']));
      const meta = await queryRows(db.connection, `SELECT decode(value) AS v FROM parquet_kv_metadata(${literal(glob.value)}) WHERE decode(key) = 'parx.signals'`);
      for (const m of meta) for (const s of JSON.parse(String(m.v)) as { name: string; unit: string }[]) if (units.has(s.name)) units.set(s.name, s.unit ?? '');
    } catch (e) {
      return err(parxError('io', `cannot read ParX batch files at ${source}: ${(e as Error).message.split('\n')[0]}`, { file: source }));
    }
    const compiled = compileFormula(formula, { signalUnits: (n) => units.get(n) });
    if (!compiled.ok) return err(parxError('formula', compiled.error.message, { position: compiled.error.position }));
    const inputs: Record<string, InputColumns> = {};
    for (const name of compiled.value.inputs) {
      // NaN for a NULL value; time as fractional ms since the epoch (sub-ms sample times kept).
      const [ts, value] = await queryDoubleColumns(
        db.connection,
        `SELECT (epoch_us(ts) / 1000.0)::DOUBLE AS t, coalesce(value, 'NaN'::DOUBLE) AS v FROM ${files} WHERE signal = ${literal(name)} ORDER BY ts`,
      );
      inputs[name] = { ts: ts!, value: value!, unit: units.get(name) ?? '' };
    }
    return evaluateDerivedColumns(compiled.value, inputs, range);
  } finally {
    db.close();
  }
}
