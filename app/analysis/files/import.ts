/**
 * Foreign files into ParX: `inspectFile` proposes a mapping; `importFile` converts the file
 * into one ParX batch file (format v1, written by the recorder's own COPY) under
 * <workspace>/imports/<name>/, so everything that reads recordings reads it too.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB } from '../../../native/duckdb';
import { ColumnAppender } from '../../../native/duckdb-appender';
import type { ImportReport, InspectResult, Mapping } from '../../shared/contract/files';
import { STAGE_COLUMNS } from '../../recorder/copy-sql';
import { writeBatchFile } from '../../recorder/batch-file';
import { safeName, stamp, type BatchDescriptor } from '../../recorder/format';
import { proposeMapping } from './detect';
import { Converter } from './convert';
import { formatOf, readHead, readRows, TableError } from './table-source';

export { TableError };

export async function inspectFile(file: string): Promise<InspectResult> {
  const head = await readHead(file);
  const p = proposeMapping(head.header, head.preview, head.declared);
  const notes = [...p.notes];
  if (head.rows === 0) notes.unshift('the file has a header but no rows: there is nothing to import');
  if (head.parx) notes.unshift('this is a ParX batch file: open it directly, no import needed');
  return { path: file, format: head.format, parx: head.parx, columns: p.columns, preview: { header: head.header, rows: head.preview.slice(0, 50) }, rows: head.rows, mapping: p.mapping, notes };
}

export interface ImportOptions {
  readonly workspace: string;
  readonly name?: string;
  readonly signal?: AbortSignal;
  readonly progress?: (done: number, total: number, phase: string) => void;
}

/** `<workspace>/imports/<name>`, with -2, -3 … when that name is taken (an import never overwrites another). */
async function freshFolder(workspace: string, name: string): Promise<string> {
  const base = path.join(workspace, 'imports', safeName(name));
  await fs.mkdir(path.dirname(base), { recursive: true });
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

let tables = 0;

export async function importFile(file: string, mapping: Mapping, o: ImportOptions): Promise<ImportReport> {
  formatOf(file);
  const head = await readHead(file);
  if (head.rows === 0) throw new TableError(`nothing to import from ${path.basename(file)}: the file has no data rows`);
  const st = await fs.stat(file);
  // Relative seconds need a wall time for t = 0: the one given, else when the file was last written.
  const conv = new Converter(head.header, mapping, mapping.origin ?? st.mtimeMs);
  await readRows(
    file,
    { row: (c, l) => conv.row(c, l), bad: (l, r) => conv.skip(l, r), progress: (d, t) => o.progress?.(d, t, 'reading') },
    o.signal,
  );
  const s = conv.samples;
  if (s.length === 0) {
    const why = head.rows === 0 || conv.rows + conv.skipped === 0 ? 'the file has no data rows' : `none of its ${conv.skipped} row(s) could be read (${conv.firstSkipped.slice(0, 3).map((x) => `line ${x.line}: ${x.reason}`).join('; ')})`;
    throw new TableError(`nothing to import from ${path.basename(file)}: ${why}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const t = s.ts[i] as number;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const name = o.name?.trim() || path.basename(file).replace(/\.[^.]+$/, '');
  const folder = await freshFolder(o.workspace, name);
  const descriptor: BatchDescriptor = {
    id: stamp(lo),
    line: name,
    coil: null,
    start: lo,
    openedBy: `imported from ${path.basename(file)}`,
    signals: conv.signals.map((x, id) => ({
      id,
      name: x.name,
      unit: x.unit,
      description: `column ${mapping.layout === 'wide' ? (mapping.signals[id]?.column ?? x.name) : x.name} of ${path.basename(file)}`,
      source: { connection: 'import', address: path.basename(file) },
      data_type: 'double',
      scale: 1,
      offset: 0,
      timebase_ms: 0,
    })),
    lengthIndex: null,
    compression: 'zstd',
  };
  o.progress?.(0, s.length, 'writing');
  const db = await openDuckDB(':memory:');
  try {
    const table = `import_${++tables}`;
    await db.connection.run(`CREATE TABLE ${table} (${STAGE_COLUMNS})`);
    const app = await ColumnAppender.open(db.connection, table, ['double', 'uinteger', 'double', 'utinyint']);
    app.append([s.ts.subarray(0, s.length), s.signal.subarray(0, s.length), s.value.subarray(0, s.length), s.quality.subarray(0, s.length)], s.length);
    app.flush();
    app.close();
    if (o.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    const info = await writeBatchFile(db.connection, folder, descriptor, table, { closedBy: 'end of the imported file', status: 'complete', end: hi });
    o.progress?.(s.length, s.length, 'done');
    const warnings: string[] = [];
    if (conv.skipped > 0) warnings.push(`${conv.skipped} row(s) skipped, first at line ${conv.firstSkipped.map((x) => x.line).join(', ')}`);
    if (conv.duplicates > 0) warnings.push(`${conv.duplicates} duplicate timestamp(s) kept`);
    if (conv.backward > 0) warnings.push(`time went backwards ${conv.backward} time(s): samples were sorted by time`);
    return {
      folder,
      file: info.file,
      batchId: info.id,
      rows: conv.rows,
      samples: s.length,
      signals: conv.signals.map((x) => ({ name: x.name, unit: x.unit, samples: x.samples })),
      start: lo,
      end: hi,
      skippedRows: conv.skipped,
      firstSkipped: conv.firstSkipped,
      duplicateTimestamps: conv.duplicates,
      backwardSteps: conv.backward,
      warnings,
    };
  } catch (e) {
    await fs.rm(folder, { recursive: true, force: true });
    throw e;
  } finally {
    db.close();
  }
}
