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

/** A file of a source that could not be read (truncated, corrupt, not Parquet): left out, with why. */
export interface SkippedFile {
  readonly file: string;
  readonly message: string;
}

const META_KEYS = "('parx.batch_id','parx.coil_id','parx.start','parx.end','parx.signals')";
const firstLine = (e: unknown): string => (e as Error).message.split('\n')[0] ?? String(e);

/**
 * Each batch file's parx.* metadata; files that are not ParX files count as one batch named
 * after the file. A file that cannot be read (a copy cut short by a full disk) is left out and
 * reported in `skipped` when given — the rest of the source stays usable — else it fails the call.
 */
export async function listBatches(connection: DuckDBConnection, files: readonly string[], skipped?: SkippedFile[]): Promise<BatchInfo[]> {
  const query = (list: readonly string[]) => queryRows(connection, `SELECT file_name AS file, decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${fileList(list)}) WHERE decode(key) IN ${META_KEYS}`);
  let rows: Record<string, unknown>[];
  let readable = files;
  try {
    rows = await query(files);
  } catch (e) {
    if (!skipped) throw new SourceError(`cannot read the batch files' metadata: ${firstLine(e)}`);
    // One file spoils the whole read: read them one by one to find which.
    rows = [];
    const ok: string[] = [];
    for (const f of files) {
      try {
        rows.push(...(await query([f])));
        ok.push(f);
      } catch (fe) {
        skipped.push({ file: f, message: `not a readable Parquet file (truncated or corrupt?): ${firstLine(fe)}` });
      }
    }
    if (ok.length === 0) throw new SourceError(`no readable batch file: ${skipped.map((x) => `${path.basename(x.file)}: ${x.message}`).join('; ')}`);
    readable = ok;
  }
  const byFile = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const f = String(r.file);
    const m = byFile.get(f) ?? new Map<string, string>();
    m.set(String(r.k), String(r.v));
    byFile.set(f, m);
  }
  return readable.map((file) => {
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
