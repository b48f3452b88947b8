/**
 * A real small filesystem for disk-full tests: a tmpfs of `bytes` mounted at a new folder.
 * Needs root (CI runs as root); elsewhere it returns the reason, and the test skips saying so.
 */
import { execFileSync } from 'node:child_process';
import { tempDir } from './helpers';

export async function smallDisk(bytes: number): Promise<{ dir: string; reason?: undefined } | { dir?: undefined; reason: string }> {
  const dir = await tempDir('parx-small-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (e) {
    return { reason: `cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]}): the disk-full test needs root` };
  }
}

/** Unmounts what smallDisk mounted (lazily: a file still open does not keep it). */
export function releaseSmallDisk(dir: string): void {
  execFileSync('umount', ['-l', dir]);
}
