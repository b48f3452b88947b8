/**
 * Files that are either whole or absent: written beside, fsync'ed, renamed, directory
 * fsync'ed. A crash leaves at most a `.tmp` that recovery deletes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export async function fsyncFile(file: string): Promise<void> {
  const h = await fs.open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  // Directories cannot be opened for sync on Windows; the rename is still atomic there.
  if (process.platform === 'win32') return;
  const h = await fs.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Makes `tmp` (already fully written) durable and visible as `file`. */
export async function publish(tmp: string, file: string): Promise<void> {
  await fsyncFile(tmp);
  await fs.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

export async function writeFileDurably(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, text);
  await publish(tmp, file);
}
