/**
 * The engine's handle on the analysis worker: typed requests with sequence numbers and
 * Result replies. The worker is unref'd, so an idle one never keeps a process alive, and is
 * restarted on the next request if it died.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../engine/spawn-worker';
import { parxError, type ParxError, type Result } from '../shared/result';
import type { AnalysisReplies, AnalysisRequest, FromAnalysis, ToAnalysis } from './messages';

export const ANALYSIS_WORKER_ENTRY = new URL('./analysis.worker.ts', import.meta.url);

type Pending = { resolve: (r: Result<unknown, ParxError>) => void; background: boolean; worker: Worker };

/** How long stop() waits for the worker to end its DuckDB work and exit before terminating it. */
const STOP_GRACE_MS = 10_000;

export class AnalysisHost {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private worker: Worker | null = null;

  /** `env`: added to the worker's environment (e.g. PARX_ANALYSIS_PYRAMIDS, where pyramid sidecars go). */
  constructor(
    entry?: URL | string,
    private readonly env: Record<string, string> = {},
  ) {
    this.entry = entry ?? ANALYSIS_WORKER_ENTRY;
  }

  private readonly entry: URL | string;

  /** A worker is up (a new one starts empty: no sources, no derived signals). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * The process is about to end on its own (nothing else left to do) while a worker is up, e.g.
   * `parx record` stopping during a pyramid build at close: stopped cleanly first, since a
   * worker torn down with the process while DuckDB builds for it aborts the process (exit 134).
   */
  private readonly beforeExit = (): void => {
    if (this.worker) void this.stop();
  };

  private start(): Worker {
    const w = spawnWorker(this.entry, { name: 'parx-analysis', env: { ...process.env, ...this.env } });
    process.on('beforeExit', this.beforeExit);
    w.on('message', (m: FromAnalysis) => {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      if (p && !p.background && !this.waits(w)) w.unref();
      p?.resolve(m.result);
    });
    w.on('error', () => undefined); // surfaces as the exit below
    w.on('exit', (code) => {
      if (this.worker === w) {
        this.worker = null;
        process.off('beforeExit', this.beforeExit);
      }
      // Only this worker's requests: a new worker may already be answering others (after stop()).
      for (const [seq, p] of this.pending) {
        if (p.worker !== w) continue;
        this.pending.delete(seq);
        p.resolve({ ok: false, error: parxError('internal', `analysis worker exited (code ${code}); open the source again`) });
      }
    });
    // After the listeners: attaching a 'message' listener refs the worker's port again, which kept
    // `parx record` from exiting once a pyramid build at close had started the worker.
    w.unref();
    return w;
  }

  /** Requests out to this worker that keep the process alive (all but background ones). */
  private waits(w: Worker): boolean {
    for (const p of this.pending.values()) if (p.worker === w && !p.background) return true;
    return false;
  }

  /** `background`: the process may exit before the reply (a pyramid build at close must not hold up `parx record` stopping). */
  request<R extends AnalysisRequest>(message: R, opts: { background?: boolean } = {}): Promise<Result<AnalysisReplies[R['type']]>> {
    this.worker ??= this.start();
    const w = this.worker;
    const seq = ++this.seq;
    const background = opts.background === true;
    // Referenced while a request is out, so a CLI waiting on a reply does not exit under it.
    if (!background) w.ref();
    return new Promise((resolve) => {
      this.pending.set(seq, { resolve: resolve as Pending['resolve'], background, worker: w });
      w.postMessage({ ...message, seq } as ToAnalysis);
    });
  }

  /**
   * Asks the worker to interrupt its DuckDB work (queries, a pyramid build), close its
   * databases and exit; resolves once it has. Terminating it while DuckDB still worked for it
   * aborted the whole process (a native callback into a torn-down thread). Terminated only if
   * it has not gone after STOP_GRACE_MS. A request after stop() starts a new worker.
   */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    process.off('beforeExit', this.beforeExit);
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    w.postMessage({ type: 'stop', seq: ++this.seq } satisfies ToAnalysis);
    // The timer also keeps the process alive until the worker has gone.
    const late = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
    await exited;
    clearTimeout(late);
  }
}
