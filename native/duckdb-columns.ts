/**
 * Query results as Float64Arrays, one per column, copied straight out of DuckDB's vectors
 * (no per-row JS objects): the analysis worker loads millions of samples this way. Every
 * selected column must be DOUBLE and non-NULL (coalesce to 'NaN' in the SQL).
 */
import { DuckDBDoubleVector, type DuckDBConnection } from '@duckdb/node-api';

/**
 * `yieldEveryRows`: let the event loop run after about that many rows (and between the final
 * copies). Chunks of a materialised result arrive without ever leaving the microtask queue,
 * so a background read of millions of rows would otherwise hold its thread for seconds.
 */
export async function queryDoubleColumns(connection: DuckDBConnection, sql: string, opts: { yieldEveryRows?: number } = {}): Promise<Float64Array[]> {
  const every = opts.yieldEveryRows ?? Infinity;
  const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));
  let sinceYield = 0;
  const result = await connection.run(sql);
  const n = result.columnCount;
  const parts: Float64Array[][] = Array.from({ length: n }, () => []);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let c = 0; c < n; c++) {
      const v = chunk.getColumnVector(c);
      if (!(v instanceof DuckDBDoubleVector)) throw new Error(`column ${c} of the query is not DOUBLE`);
      // The vector's typed array is private in the typings but is the data itself; copy it once.
      const items = (v as unknown as { items: Float64Array }).items;
      parts[c]!.push(items.slice(0, chunk.rowCount));
    }
    rows += chunk.rowCount;
    sinceYield += chunk.rowCount;
    if (sinceYield >= every) {
      sinceYield = 0;
      await breathe();
    }
  }
  const out: Float64Array[] = [];
  for (const list of parts) {
    const col = new Float64Array(rows);
    let at = 0;
    for (const p of list) {
      col.set(p, at);
      at += p.length;
    }
    out.push(col);
    if (rows >= every) await breathe();
  }
  return out;
}
