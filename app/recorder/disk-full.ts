/**
 * A full disk under the recordings: recognised in the errors the recorder reports (Node's
 * ENOSPC, DuckDB's "No space left on device", Windows' "There is not enough space on the
 * disk"), and free space measured to know when it is worth trying again.
 */
import fs from 'node:fs/promises';

const FULL = /ENOSPC|no space left on device|not enough space on the disk|disk (is )?full|EDQUOT|quota exceeded/i;

export function isDiskFull(message: string): boolean {
  return FULL.test(message);
}

/** Bytes an unprivileged writer may still use on the filesystem holding `dir` (null when unknown). */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await fs.statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** Free space the recorder wants before it starts again: room to finish the interrupted batch and some. */
export const RESUME_FREE_BYTES = 1024 * 1024;
