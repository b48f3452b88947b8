/**
 * Parquet export = a ParX batch file (format v1, the recorder's own COPY), so an exported
 * range opens in ParX like any recording; the annotations ride along in the key-value
 * metadata `parx.annotations` (JSON array), and `parx.exported_from` says where it came from.
 */
import { openDuckDB } from '../../../native/duckdb';
import { ColumnAppender } from '../../../native/duckdb-appender';
import { copyBatchSql, sqlString, STAGE_COLUMNS } from '../../recorder/copy-sql';
import { stamp, type BatchDescriptor } from '../../recorder/format';
import { cancelled, type ExportContext } from './writers';

let tables = 0;

export function withExtraMetadata(copySql: string, extra: Record<string, string>): string {
  const entries = Object.entries(extra)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ');
  if (!copySql.includes('KV_METADATA {')) throw new Error('the batch COPY statement has no KV_METADATA to extend');
  return copySql.replace('KV_METADATA {', `KV_METADATA {${entries}, `);
}

export async function writeParquet(file: string, c: ExportContext, line: string): Promise<number> {
  const total = c.series.reduce((n, s) => n + s.ts.length, 0);
  const d: BatchDescriptor = {
    id: stamp(c.from),
    line,
    coil: null,
    start: c.from,
    openedBy: `export of ${c.source}`,
    signals: c.series.map((s, id) => ({ id, name: s.name, unit: s.unit, description: '', source: { connection: 'export', address: '' }, data_type: 'double', scale: 1, offset: 0, timebase_ms: c.resampleMs ?? 0 })),
    lengthIndex: null,
    compression: 'zstd',
  };
  const db = await openDuckDB(':memory:');
  try {
    const table = `export_${++tables}`;
    await db.connection.run(`CREATE TABLE ${table} (${STAGE_COLUMNS})`);
    const app = await ColumnAppender.open(db.connection, table, ['double', 'uinteger', 'double', 'utinyint']);
    let done = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let id = 0; id < c.series.length; id++) {
      cancelled(c.signal);
      const s = c.series[id] as (typeof c.series)[number];
      // Grid points before a signal's first sample hold nothing: leave them out rather than write NaN rows.
      let first = 0;
      while (first < s.ts.length && c.resampleMs !== null && (s.quality[first] as number) === 3 && Number.isNaN(s.value[first] as number)) first++;
      const n = s.ts.length - first;
      if (n <= 0) continue;
      app.append([s.ts.subarray(first), new Uint32Array(n).fill(id), s.value.subarray(first), s.quality.subarray(first)], n);
      lo = Math.min(lo, s.ts[first] as number);
      hi = Math.max(hi, s.ts[s.ts.length - 1] as number);
      done += s.ts.length;
      c.progress(done, total);
    }
    app.flush();
    app.close();
    if (!Number.isFinite(lo)) lo = hi = c.from;
    const sql = copyBatchSql(table, file, d, { end: c.to, closedBy: 'end of the exported range', status: 'complete' }, { minTs: lo, spanUs: (hi - lo) * 1000 });
    await db.connection.run(withExtraMetadata(sql, { 'parx.annotations': JSON.stringify(c.annotations), 'parx.exported_from': c.source }));
    c.progress(total, total);
    return total;
  } finally {
    db.close();
  }
}
