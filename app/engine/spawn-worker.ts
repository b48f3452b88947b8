/**
 * Starts a worker thread from a TypeScript entry. Run from source (CLI, tests), the worker
 * is booted through tsx; in a bundled build (Electron) the caller passes the bundled JS file.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const BOOT = new URL('./ts-worker-boot.mjs', import.meta.url);

export function spawnWorker(entry: URL | string, options: WorkerOptions = {}): Worker {
  const file = entry instanceof URL ? fileURLToPath(entry) : entry;
  if (file.endsWith('.ts')) {
    return new Worker(BOOT, { ...options, workerData: { ...(options.workerData as object | undefined), __entry: file } });
  }
  return new Worker(file, options);
}
