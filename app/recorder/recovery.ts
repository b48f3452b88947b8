/**
 * On start: every batch still in staging was open when the process died. Each is closed from
 * its durable parts and marked `parx.status = recovered`; leftover `.tmp` files are deleted
 * (a `.tmp` is never the only copy: its staging is removed only after the rename).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '../../native/duckdb';
import { writeBatchFile, type BatchFileInfo } from './batch-file';
import { BATCH_EXTENSIONS, batchPath, safeName, STAGING_DIR } from './format';
import { listParts, listStaged, partCheckpoint, readDescriptor, readResume, stagedSource, type Checkpoint } from './staging';

export interface RecoveryReport {
  readonly recovered: BatchFileInfo[];
  /** Staging directories that could not be read (kept for a person to look at). */
  readonly problems: { readonly dir: string; readonly message: string }[];
  /** The newest durable checkpoint: resume the sample source after it. */
  readonly checkpoint: Checkpoint | null;
}

export const RECOVERED_BY = 'recovery: ParX stopped while the batch was open';

async function removeTmp(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== STAGING_DIR) await removeTmp(p);
    else if (e.isFile() && (e.name.endsWith('.tmp') || e.name.endsWith('.tmp.wal'))) await fs.rm(p, { force: true });
  }
}

/** A close that got as far as the rename left a whole file; then only the staging is left to remove. */
async function alreadyClosed(recordings: string, id: string, start: number, line: string): Promise<boolean> {
  const dir = path.dirname(batchPath(recordings, { id, start, line }, null));
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const stem = safeName(id);
  return names.some((n) => Object.values(BATCH_EXTENSIONS).some((ext) => n === `${stem}${ext}` || (n.startsWith(`${stem}_coil-`) && n.endsWith(ext))));
}

export async function recoverBatches(connection: DuckDBConnection, recordings: string, closedBy = RECOVERED_BY): Promise<RecoveryReport> {
  await removeTmp(recordings);
  const recovered: BatchFileInfo[] = [];
  const problems: { dir: string; message: string }[] = [];
  let checkpoint = await readResume(recordings);
  for (const dir of await listStaged(recordings)) {
    try {
      await removeTmp(dir);
      const d = await readDescriptor(dir);
      const parts = await listParts(dir);
      for (const p of parts) {
        const cp = await partCheckpoint(connection, p);
        if (cp && (!checkpoint || cp.seq > checkpoint.seq)) checkpoint = cp;
      }
      if (!(await alreadyClosed(recordings, d.id, d.start, d.line))) {
        recovered.push(await writeBatchFile(connection, recordings, d, stagedSource(parts), { closedBy, status: 'recovered' }));
      }
      await fs.rm(dir, { recursive: true, force: true });
    } catch (e) {
      problems.push({ dir, message: (e as Error).message });
    }
  }
  return { recovered, problems, checkpoint };
}
