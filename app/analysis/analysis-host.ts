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

type Pending = (r: Result<unknown, ParxError>) => void;

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

  private start(): Worker {
    const w = spawnWorker(this.entry, { name: 'parx-analysis', env: { ...process.env, ...this.env } });
    w.unref();
    w.on('message', (m: FromAnalysis) => {
      this.pending.get(m.seq)?.(m.result);
      this.pending.delete(m.seq);
      if (this.pending.size === 0) w.unref();
    });
    w.on('error', () => undefined); // surfaces as the exit below
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p({ ok: false, error: parxError('internal', `analysis worker exited (code ${code}); open the source again`) });
      this.pending.clear();
    });
    return w;
  }

  request<R extends AnalysisRequest>(message: R): Promise<Result<AnalysisReplies[R['type']]>> {
    this.worker ??= this.start();
    const w = this.worker;
    const seq = ++this.seq;
    // Referenced while a request is out, so a CLI waiting on a reply does not exit under it.
    w.ref();
    return new Promise((resolve) => {
      this.pending.set(seq, resolve as Pending);
      w.postMessage({ ...message, seq } as ToAnalysis);
    });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
