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

type Pending = { resolve: (r: Result<unknown, ParxError>) => void; background: boolean };

export class AnalysisHost {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** Requests out that keep the process alive (all but background ones). */
  private waited = 0;
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

  private start(): Worker {
    const w = spawnWorker(this.entry, { name: 'parx-analysis', env: { ...process.env, ...this.env } });
    w.on('message', (m: FromAnalysis) => {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      if (p && !p.background && --this.waited === 0) w.unref();
      p?.resolve(m.result);
    });
    w.on('error', () => undefined); // surfaces as the exit below
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.resolve({ ok: false, error: parxError('internal', `analysis worker exited (code ${code}); open the source again`) });
      this.pending.clear();
      this.waited = 0;
    });
    // After the listeners: attaching a 'message' listener refs the worker's port again, which kept
    // `parx record` from exiting once a pyramid build at close had started the worker.
    w.unref();
    return w;
  }

  /** `background`: the process may exit before the reply (a pyramid build at close must not hold up `parx record` stopping). */
  request<R extends AnalysisRequest>(message: R, opts: { background?: boolean } = {}): Promise<Result<AnalysisReplies[R['type']]>> {
    this.worker ??= this.start();
    const w = this.worker;
    const seq = ++this.seq;
    const background = opts.background === true;
    // Referenced while a request is out, so a CLI waiting on a reply does not exit under it.
    if (!background && this.waited++ === 0) w.ref();
    return new Promise((resolve) => {
      this.pending.set(seq, { resolve: resolve as Pending['resolve'], background });
      w.postMessage({ ...message, seq } as ToAnalysis);
    });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
