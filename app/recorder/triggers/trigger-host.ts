/**
 * The pump's handle on the trigger worker. A batch is copied to the worker (the pump still
 * writes it), the on-change mask comes back transferred.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../engine/spawn-worker';
import { parxError, type ParxError, type Result } from '../../shared/result';
import type { SampleBatch } from '../../shared/samples';
import type { PoolConfig } from './pool';
import type { FromTriggers, ToTriggers, TriggerReplies, TriggerRequest } from './trigger-messages';

export const TRIGGER_WORKER_ENTRY = new URL('./trigger.worker.ts', import.meta.url);

export class TriggerHost {
  private seq = 0;
  private readonly pending = new Map<number, (r: Result<unknown, ParxError>) => void>();
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromTriggers) => {
      this.pending.get(m.seq)?.(m.result);
      this.pending.delete(m.seq);
    });
    worker.on('error', () => undefined); // surfaces as the exit's reply to every pending request
    worker.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p({ ok: false, error: parxError('internal', `trigger worker exited (code ${code})`) });
      this.pending.clear();
    });
  }

  /** Starts the worker and configures the pool; a configuration the pool refuses stops it again. */
  static async start(config: PoolConfig, entry: URL | string = TRIGGER_WORKER_ENTRY): Promise<Result<{ host: TriggerHost; names: string[] }>> {
    const host = new TriggerHost(spawnWorker(entry, { name: 'parx-triggers' }));
    const r = await host.request({ type: 'configure', config });
    if (!r.ok) {
      await host.stop();
      return r;
    }
    return { ok: true, value: { host, names: r.value.names } };
  }

  private request<R extends TriggerRequest>(message: R): Promise<Result<TriggerReplies[R['type']]>> {
    if (this.exited) return Promise.resolve({ ok: false, error: parxError('internal', 'trigger worker is not running') });
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve as (r: Result<unknown, ParxError>) => void);
      this.worker.postMessage({ ...message, seq } as ToTriggers);
    });
  }

  feed(batch: SampleBatch): Promise<Result<TriggerReplies['feed']>> {
    return this.request({ type: 'feed', batch });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await Promise.race([this.request({ type: 'stop' }), new Promise((r) => setTimeout(r, 2000))]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    if (!this.exited) await this.worker.terminate();
  }
}
