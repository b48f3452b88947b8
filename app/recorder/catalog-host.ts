/** The engine's handle on the catalog worker: typed requests, Result replies, never a throw. */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../engine/spawn-worker';
import { parxError, type ParxError, type Result } from '../shared/result';
import type { BatchFileInfo } from './batch-file';
import type { BatchFilter } from './catalog-db';
import type { CatalogReplies, CatalogReply, CatalogRequest } from './catalog-messages';

export const CATALOG_WORKER_ENTRY = new URL('./catalog.worker.ts', import.meta.url);

export class CatalogHost {
  private seq = 0;
  private readonly pending = new Map<number, (r: Result<unknown, ParxError>) => void>();
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: CatalogReply) => {
      this.pending.get(m.seq)?.(m.result);
      this.pending.delete(m.seq);
    });
    worker.on('error', () => undefined); // surfaces as the exit's reply to every pending request
    worker.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p({ ok: false, error: parxError('internal', `catalog worker exited (code ${code})`) });
      this.pending.clear();
    });
  }

  static async start(file: string, entry: URL | string = CATALOG_WORKER_ENTRY): Promise<{ host: CatalogHost; started: Result<null> }> {
    const host = new CatalogHost(spawnWorker(entry, { name: 'parx-catalog' }));
    return { host, started: await host.request({ type: 'start', file }) };
  }

  private request<R extends CatalogRequest>(message: R): Promise<Result<CatalogReplies[R['type']]>> {
    if (this.exited) return Promise.resolve({ ok: false, error: parxError('internal', 'catalog worker is not running') });
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve as (r: Result<unknown, ParxError>) => void);
      this.worker.postMessage({ ...message, seq });
    });
  }

  add(info: BatchFileInfo) {
    return this.request({ type: 'add', infos: [info] });
  }
  addMany(infos: readonly BatchFileInfo[]) {
    return this.request({ type: 'add', infos });
  }
  reconcile(folder: string) {
    return this.request({ type: 'reconcile', folder });
  }
  list(filter: BatchFilter = {}) {
    return this.request({ type: 'list', filter });
  }
  get(key: string) {
    return this.request({ type: 'get', key });
  }
  remove(files: readonly string[]) {
    return this.request({ type: 'remove', files });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await Promise.race([this.request({ type: 'stop' }), new Promise((r) => setTimeout(r, 5000))]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    if (!this.exited) await this.worker.terminate();
  }
}
