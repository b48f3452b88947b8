/**
 * A large format-v1 batch file written in one DuckDB COPY from range() (seconds for tens of
 * millions of samples, where the BatchWriter takes minutes): for tests that need a pyramid
 * build or a query that runs long enough to be interrupted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB } from '../../../native/duckdb';
import { sqlString } from '../../recorder/copy-sql';

export const bigSignal = (s: number): string => `Signal ${String(s).padStart(3, '0')}`;

export async function writeBigBatch(file: string, opts: { signals: number; samples: number; start?: number }): Promise<string> {
  const { signals, samples } = opts;
  const start = opts.start ?? Date.UTC(2026, 3, 1);
  const step = 10;
  const list = Array.from({ length: signals }, (_, s) => ({ name: bigSignal(s), unit: 'kN', description: `signal ${s}`, source: { connection: 'PLC', address: `hr:${s}` }, data_type: 'double', scale: 1, offset: 0, timebase_ms: step }));
  const meta: Record<string, string> = {
    'parx.format_version': '1',
    'parx.batch_id': path.basename(file, '.parquet'),
    'parx.coil_id': '9001',
    'parx.line': 'Test',
    'parx.start': new Date(start).toISOString(),
    'parx.end': new Date(start + (samples - 1) * step).toISOString(),
    'parx.opened_by': 'test',
    'parx.closed_by': 'test',
    'parx.status': 'complete',
    'parx.signals': JSON.stringify(list),
    'parx.length_index': '',
    'parx.quality_codes': '{"0":"good","1":"uncertain","2":"stale","3":"bad"}',
  };
  const kv = Object.entries(meta)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ');
  await fs.mkdir(path.dirname(file), { recursive: true });
  const db = await openDuckDB();
  try {
    // range() is signal-major: rows sorted by signal then time, as the format says.
    await db.connection.run(
      `COPY (SELECT make_timestamptz(CAST((${start} + (i % ${samples}) * ${step}) * 1000 AS BIGINT)) AS ts,
              'Signal ' || lpad(CAST(i // ${samples} AS VARCHAR), 3, '0') AS signal,
              round((i // ${samples}) * 10 + 50 * sin((i % ${samples}) / 500 + i // ${samples}) + ((i * 7919) % 13) / 10, 1) AS value,
              0::UTINYINT AS quality
       FROM range(${signals * samples}) r(i)) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${kv}})`,
    );
  } finally {
    db.close();
  }
  return file;
}
