/**
 * Notes that travel inside batch files: an exported Parquet carries its annotations in the
 * key-value metadata `parx.annotations`. When such a file (or a folder holding it) is a
 * source, its notes are listed with the workspace's own — read-only, id `file:<batch>:<n>`.
 * Cached per file and modification time, since markers ask for them on every redraw.
 */
import fs from 'node:fs/promises';
import { z } from 'zod';
import { openDuckDB, queryRows } from '../../../native/duckdb';
import { AnnotationSchema, type Annotation } from '../../shared/contract/files';
import { batchFiles, fileList } from '../export/source';

const cache = new Map<string, { mtimeMs: number; notes: Annotation[] }>();
const Embedded = z.array(AnnotationSchema.partial().extend({ from: z.number(), to: z.number(), text: z.string() }));

export async function embeddedAnnotations(source: string): Promise<Annotation[]> {
  let files: string[];
  try {
    files = await batchFiles(source);
  } catch {
    return [];
  }
  const stale: string[] = [];
  const out: Annotation[] = [];
  for (const f of files) {
    const st = await fs.stat(f).catch(() => null);
    const hit = cache.get(f);
    if (st && hit && hit.mtimeMs === st.mtimeMs) out.push(...hit.notes);
    else if (st) stale.push(f);
  }
  if (stale.length === 0) return out;
  const db = await openDuckDB(':memory:');
  try {
    const kv = await queryRows(db.connection, `SELECT file_name AS file, decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${fileList(stale)}) WHERE decode(key) IN ('parx.annotations', 'parx.batch_id')`).catch(
      () => [] as Record<string, unknown>[],
    );
    const get = (f: string, k: string): string | undefined => kv.find((x) => x.file === f && x.k === k)?.v as string | undefined;
    for (const f of stale) {
      const text = get(f, 'parx.annotations');
      let notes: Annotation[] = [];
      if (text) {
        let json: unknown = [];
        try {
          json = JSON.parse(text);
        } catch {
          json = [];
        }
        const parsed = Embedded.safeParse(json);
        const batch = get(f, 'parx.batch_id') ?? null;
        if (parsed.success)
          notes = parsed.data.map((a, i) => ({ id: `file:${batch ?? f}:${i}`, source, batchId: a.batchId ?? batch, axis: a.axis ?? 'time', from: a.from, to: a.to, text: a.text, author: a.author ?? '', createdAt: a.createdAt ?? 0 }));
      }
      const st = await fs.stat(f).catch(() => null);
      if (st) cache.set(f, { mtimeMs: st.mtimeMs, notes });
      out.push(...notes);
    }
    return out;
  } finally {
    db.close();
  }
}
