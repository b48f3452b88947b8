/**
 * Foreign-file import and export throughput, each beside a baseline from the same run:
 *  - import of a wide CSV (papaparse → typed arrays → DuckDB → ParX batch file) vs DuckDB's
 *    own read_csv of the same file into a table;
 *  - export per format vs a plain DuckDB COPY … TO csv of the same rows (long layout).
 * PARX_BENCH_SHORT=1 for a quick run (20k rows instead of 200k).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB } from '../native/duckdb';
import { importFile, inspectFile } from '../app/analysis/files/import';
import { runExport } from '../app/analysis/export/export';
import { batchFiles } from '../app/analysis/export/source';

type Emit = (row: Record<string, unknown>) => void;

export default async function run(emit: Emit): Promise<void> {
  const rows = process.env.PARX_BENCH_SHORT ? 20_000 : 200_000;
  const signals = 4;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parx-bench-files-'));
  try {
    const T0 = Date.UTC(2026, 2, 29, 6);
    const lines = [`time,${Array.from({ length: signals }, (_, k) => `s${k} [u]`).join(',')}`];
    for (let i = 0; i < rows; i++) lines.push(`${new Date(T0 + i * 10).toISOString()},${Array.from({ length: signals }, (_, k) => (Math.sin(i / (50 + k)) * 100).toFixed(3)).join(',')}`);
    const csv = path.join(dir, 'wide.csv');
    await fs.writeFile(csv, lines.join('\n'));

    let t = performance.now();
    const db = await openDuckDB(':memory:');
    await db.connection.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}')`);
    const baseImport = performance.now() - t;
    t = performance.now();
    const imported = await importFile(csv, (await inspectFile(csv)).mapping, { workspace: dir });
    const ourImport = performance.now() - t;
    emit({ case: 'import wide CSV', rows, samples: imported.samples, ms: Math.round(ourImport), samplesPerS: Math.round(imported.samples / (ourImport / 1000)), baseline: 'duckdb read_csv into a table', baselineMs: Math.round(baseImport) });

    const [file] = await batchFiles(imported.folder);
    t = performance.now();
    await db.connection.run(`COPY (SELECT * FROM read_parquet('${file}')) TO '${path.join(dir, 'base.csv')}' (FORMAT csv)`);
    const baseExport = performance.now() - t;
    db.close();
    const names = Array.from({ length: signals }, (_, k) => `s${k}`);
    for (const format of ['csv', 'json', 'xlsx', 'parquet'] as const) {
      for (const resampleMs of [undefined, 20]) {
        t = performance.now();
        const r = await runExport({ source: imported.folder, signals: names, format, resampleMs, out: path.join(dir, `out-${resampleMs ?? 'raw'}.${format}`) });
        const ms = performance.now() - t;
        emit({ case: `export ${format} ${resampleMs ? `resampled ${resampleMs} ms` : 'raw'}`, rows: r.rows, samples: r.samples, bytes: r.bytes, ms: Math.round(ms), samplesPerS: Math.round(r.samples / (ms / 1000)), baseline: 'duckdb COPY to csv (long layout)', baselineMs: Math.round(baseExport) });
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
