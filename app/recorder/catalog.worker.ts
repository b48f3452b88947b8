/**
 * The catalog thread: the one owner of <workspace>/catalog.duckdb in this process. Requests
 * run one after another. The file is closed after a moment of quiet so that `parx query` in
 * another process can open it read-only while the engine runs (DuckDB locks a file that a
 * process has open for writing); a request that finds it locked by such a reader retries.
 */
import { parentPort } from 'node:worker_threads';
import { toParxError } from '../shared/result';
import { Catalog } from './catalog-db';
import type { CatalogReply, CatalogRequest } from './catalog-messages';

const port = parentPort;
if (!port) throw new Error('catalog.worker must run in a worker thread');

const IDLE_MS = 1500;
const LOCK_RETRY_MS = 5000;

let file: string | undefined;
let catalog: Catalog | undefined;
let idle: ReturnType<typeof setTimeout> | undefined;
let queue: Promise<void> = Promise.resolve();

async function open(): Promise<Catalog> {
  if (catalog) return catalog;
  if (!file) throw new Error('catalog not started');
  const until = Date.now() + LOCK_RETRY_MS;
  for (;;) {
    try {
      catalog = await Catalog.open(file);
      return catalog;
    } catch (e) {
      if (Date.now() > until || !/lock/i.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function release(): void {
  catalog?.close();
  catalog = undefined;
}

async function handle(m: CatalogRequest): Promise<unknown> {
  switch (m.type) {
    case 'start':
      file = m.file;
      await open();
      return null;
    case 'add':
      await (await open()).add(m.infos);
      return null;
    case 'reconcile':
      return (await open()).reconcile(m.folder);
    case 'list':
      return (await open()).list(m.filter);
    case 'get':
      return (await open()).get(m.key);
    case 'remove':
      await (await open()).remove(m.files);
      return null;
    case 'stop':
      release();
      return null;
  }
}

port.on('message', (m: CatalogRequest & { seq: number }) => {
  if (idle) clearTimeout(idle);
  queue = queue.then(() =>
    handle(m).then(
      (value) => port.postMessage({ seq: m.seq, result: { ok: true, value } } satisfies CatalogReply),
      (e: unknown) => port.postMessage({ seq: m.seq, result: { ok: false, error: toParxError(e, 'io') } } satisfies CatalogReply),
    ),
  );
  void queue.then(() => {
    if (m.type === 'stop') port.close();
    else idle = setTimeout(release, IDLE_MS);
  });
});
