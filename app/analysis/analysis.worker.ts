/**
 * The analysis query thread: owns one DuckDB instance and the column cache, so decoding
 * Parquet and decimating millions of samples never stalls the engine. Requests run one after
 * another; result arrays are transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { openDuckDB } from '../../native/duckdb';
import { parxError, toParxError } from '../shared/result';
import { AnalysisService } from './analysis-service';
import type { FromAnalysis, ToAnalysis } from './messages';

const port = parentPort;
if (!port) throw new Error('analysis.worker must run in a worker thread');

// Parquet footers cached across queries (DuckDB re-validates them against the file's mtime):
// a zoom reads a few signals from a file whose footer, with 1,000 signals, costs more to parse
// than the samples themselves (measured: one signal from a 10M-row file 25 → 8 ms).
const opened = openDuckDB(':memory:');
const ready = opened.then(async (db) => {
  await db.connection.run('SET parquet_metadata_cache = true');
  return new AnalysisService(db.connection);
});
let queue: Promise<void> = Promise.resolve();
/** Set by the host's stop: requests still queued are refused, not run. */
let stopping = false;
/**
 * The newest query of each view (a trend pane): an older one of the same view still queued
 * when its turn comes is answered `superseded` instead of run, so a fast zoom does not leave
 * the worker decimating ranges nobody will draw.
 */
const newest = new Map<string, number>();

function transferables(v: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 4 || v === null || typeof v !== 'object') return out;
  if (ArrayBuffer.isView(v)) {
    if (v.buffer instanceof ArrayBuffer && !out.includes(v.buffer)) out.push(v.buffer);
    return out;
  }
  for (const x of Array.isArray(v) ? v : Object.values(v)) transferables(x, out, depth + 1);
  return out;
}

async function handle(m: ToAnalysis): Promise<unknown> {
  if (stopping) throw parxError('internal', 'the analysis worker is stopping; ask again');
  const svc = await ready;
  switch (m.type) {
    case 'open':
      return svc.open(m.path);
    case 'sources':
      return [...svc.sources.values()].map((s) => s.info);
    case 'close':
      return svc.close(m.source);
    case 'query': {
      const view = m.params.view;
      if (view !== undefined) {
        if (newest.get(view) !== m.seq) return { from: m.params.from ?? NaN, to: m.params.to ?? NaN, series: [], superseded: true };
        newest.delete(view);
      }
      return svc.query(m.params);
    }
    case 'stats':
      return svc.stats(m.params);
    case 'envelope':
      return svc.envelope(m.params);
    case 'derived':
      return svc.setDerived(m.defs);
    case 'memory':
      return { cacheBytes: svc.columns.sizeBytes, rss: process.memoryUsage().rss };
    case 'pyramids':
      return svc.pyramids.idle();
    case 'pyramid':
      // Not reached: the message handler below answers it without holding the queue for the build.
      return (await svc.pyramidOf(m.file)).done;
    case 'stop':
      // Not reached: handled by stop() below.
      return true;
  }
}

/**
 * Ends the worker cleanly: DuckDB work in flight is interrupted (the queue's query, a pyramid
 * build), queued requests are refused, both databases are closed, then the port, so the
 * thread exits by itself. Terminating it while DuckDB still ran a query for it aborted the
 * process ("terminate called after throwing an instance of 'Napi::Error'").
 */
async function stop(): Promise<void> {
  stopping = true;
  const db = await opened.catch(() => null);
  const svc = await ready.catch(() => null);
  const interrupt = (): void => db?.connection.interrupt();
  interrupt();
  const again = setInterval(interrupt, 50);
  try {
    await Promise.all([queue, svc?.pyramids.stop()]);
  } finally {
    clearInterval(again);
  }
  db?.close();
}

function reply(m: ToAnalysis, value: Promise<unknown>): Promise<void> {
  return value.then(
    (v) => {
      // Only freshly made arrays leave the worker (cached columns are never returned as is).
      const t = m.type === 'query' || m.type === 'envelope' ? transferables(v) : [];
      port!.postMessage({ seq: m.seq, result: { ok: true, value: v } } satisfies FromAnalysis, t);
    },
    (e: unknown) => port!.postMessage({ seq: m.seq, result: { ok: false, error: toParxError(e, 'io') } } satisfies FromAnalysis),
  );
}

port.on('message', (m: ToAnalysis) => {
  if (m.type === 'stop') {
    void stop()
      .catch(() => undefined)
      .then(() => {
        port.postMessage({ seq: m.seq, result: { ok: true, value: true } } satisfies FromAnalysis);
        port.close();
      });
    return;
  }
  if (m.type === 'query' && m.params.view !== undefined) newest.set(m.params.view, m.seq);
  if (m.type === 'pyramid') {
    // A batch file the recorder closed: the queue waits for its footer read only; the build
    // runs on the pyramid store's own DuckDB while queries go on, and the reply comes when saved.
    queue = queue.then(async () => {
      const started = ready.then((svc) => svc.pyramidOf(m.file));
      await started.catch(() => undefined);
      void reply(m, started.then((s) => s.done));
    });
    return;
  }
  queue = queue.then(() => reply(m, handle(m)));
});
