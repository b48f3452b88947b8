/**
 * A "source" is a ParX batch file or a folder of them (a recording folder, an import): the
 * batch files it holds and what each says about itself (parx.* metadata).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { queryRows, type DuckDBConnection } from '../../../native/duckdb';
import { sqlString } from '../../recorder/copy-sql';

export interface BatchInfo {
  readonly batchId: string;
  readonly coil: string;
  readonly start: number;
  readonly end: number;
  readonly file: string;
  readonly signals: { name: string; unit: string }[];
}

export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** Resolves a source path (absolute, or relative to the workspace). */
export function resolveSource(workspace: string, source: string): string {
  return path.resolve(workspace, source);
}

/** The closed batch files of a source: the file itself, or every *.parquet below the folder (staging excluded). */
export async function batchFiles(source: string): Promise<string[]> {
  const st = await fs.stat(source).catch(() => null);
  if (!st) throw new SourceError(`${source} does not exist`);
  if (st.isFile()) {
    if (!source.endsWith('.parquet')) throw new SourceError(`${source} is not a Parquet file; import it first (files.import)`);
    return [source];
  }
  const entries = await fs.readdir(source, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.split(path.sep).includes('.staging'))
    .sort();
  if (files.length === 0) throw new SourceError(`no batch files (*.parquet) in ${source}`);
  return files;
}

const fileList = (files: readonly string[]): string => `[${files.map(sqlString).join(', ')}]`;
export { fileList };

/** Each batch file's parx.* metadata; files that are not ParX files count as one batch named after the file. */
export async function listBatches(connection: DuckDBConnection, files: readonly string[]): Promise<BatchInfo[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await queryRows(
      connection,
      `SELECT file_name AS file, decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${fileList(files)}) WHERE decode(key) IN ('parx.batch_id','parx.coil_id','parx.start','parx.end','parx.signals')`,
    );
  } catch (e) {
    throw new SourceError(`cannot read the batch files' metadata: ${(e as Error).message.split('\n')[0]}`);
  }
  const byFile = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const f = String(r.file);
    const m = byFile.get(f) ?? new Map<string, string>();
    m.set(String(r.k), String(r.v));
    byFile.set(f, m);
  }
  return files.map((file) => {
    const m = byFile.get(file) ?? new Map<string, string>();
    let signals: { name: string; unit: string }[] = [];
    try {
      const parsed = JSON.parse(m.get('parx.signals') ?? '[]') as { name: string; unit?: string }[];
      signals = parsed.map((s) => ({ name: s.name, unit: s.unit ?? '' }));
    } catch {
      signals = [];
    }
    return {
      batchId: m.get('parx.batch_id') ?? path.basename(file, '.parquet'),
      coil: m.get('parx.coil_id') ?? '',
      start: Date.parse(m.get('parx.start') ?? '') || 0,
      end: Date.parse(m.get('parx.end') ?? '') || 0,
      file,
      signals,
    };
  });
}
