/**
 * The engine's handle on the collector worker: typed requests with sequence numbers and
 * Result replies; samples, status and stats arrive as events.
 */
import type { Worker } from 'node:worker_threads';
import type { ConnectionStatus, GroupStats } from '../shared/contract';
import { parxError, type ParxError, type Result } from '../shared/result';
import type { SampleBatch } from '../shared/samples';
import { spawnWorker } from '../engine/spawn-worker';
import type { CollectorPlan, FromCollector, ToCollector } from './messages';

export interface CollectorEvents {
  samples(batch: SampleBatch): void;
  status(status: ConnectionStatus): void;
  stats(groups: GroupStats[], connections: ConnectionStatus[]): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export const COLLECTOR_WORKER_ENTRY = new URL('./collector.worker.ts', import.meta.url);

type Pending = (r: Result<null, ParxError>) => void;
type Request = ToCollector extends infer T ? (T extends { seq: number } ? Omit<T, 'seq'> : never) : never;

export class CollectorHost {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private exited = false;

  constructor(events: CollectorEvents, entry: URL | string = COLLECTOR_WORKER_ENTRY, env: NodeJS.ProcessEnv = process.env) {
    this.worker = spawnWorker(entry, { name: 'parx-collector', env });
    this.worker.on('message', (m: FromCollector) => {
      switch (m.type) {
        case 'reply':
          this.pending.get(m.seq)?.(m.result);
          this.pending.delete(m.seq);
          break;
        case 'samples':
          events.samples(m.batch);
          break;
        case 'status':
          events.status(m.status);
          break;
        case 'stats':
          events.stats(m.groups, m.connections);
          break;
        case 'log':
          events.log(m.level, m.message);
          break;
      }
    });
    this.worker.on('error', (e) => events.log('error', `collector worker failed: ${e.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p({ ok: false, error: parxError('internal', `collector worker exited (code ${code})`) });
      this.pending.clear();
    });
  }

  private request(message: Request): Promise<Result<null, ParxError>> {
    if (this.exited) return Promise.resolve({ ok: false, error: parxError('internal', 'collector worker is not running') });
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      this.worker.postMessage({ ...message, seq } as ToCollector);
    });
  }

  configure(plan: CollectorPlan): Promise<Result<null, ParxError>> {
    return this.request({ type: 'configure', plan });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await Promise.race([this.request({ type: 'stop' }), new Promise((r) => setTimeout(r, 2000))]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 500))]);
    if (!this.exited) await this.worker.terminate();
  }
}
