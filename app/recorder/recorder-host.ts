/**
 * The engine's handle on the recorder worker: typed requests with sequence numbers and
 * Result replies; sample arrays are transferred, not copied (the caller gives them up).
 */
import type { Worker } from 'node:worker_threads';
import { parxError, type ParxError, type Result } from '../shared/result';
import { batchTransferables, type SampleBatch } from '../shared/samples';
import { spawnWorker } from '../engine/spawn-worker';
import { BatchPool } from '../buffer/batch-pool';
import type { BatchFileInfo, FinalClose } from './batch-file';
import type { WriterOptions } from './batch-writer';
import type { BatchDescriptor } from './format';
import type { FromRecorder, RecorderMemory, RecorderReplies, RecorderRequest, ToRecorder } from './messages';
import type { RecoveryReport } from './recovery';
import type { Checkpoint } from './staging';

export const RECORDER_WORKER_ENTRY = new URL('./recorder.worker.ts', import.meta.url);

type Pending = (r: Result<unknown, ParxError>) => void;

export class RecorderHost {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private exited = false;
  /**
   * Buffers of appended batches come back here from the worker: a caller that takes its batches
   * from this pool (e.g. as the journal's `alloc`) appends without allocating in a steady state.
   */
  readonly pool = new BatchPool();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromRecorder) => {
      if (m.spare) this.pool.give(m.spare);
      this.pending.get(m.seq)?.(m.result);
      this.pending.delete(m.seq);
    });
    worker.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p({ ok: false, error: parxError('internal', `recorder worker exited (code ${code})`) });
      this.pending.clear();
    });
  }

  /** Starts the worker, which first recovers batches an earlier process left open. */
  static async start(recordings: string, options: Partial<WriterOptions> = {}, entry: URL | string = RECORDER_WORKER_ENTRY): Promise<{ host: RecorderHost; recovery: Result<RecoveryReport> }> {
    const host = new RecorderHost(spawnWorker(entry, { name: 'parx-recorder' }));
    host.worker.on('error', () => undefined); // surfaces as the exit's reply to every pending request
    const recovery = await host.request({ type: 'start', recordings, options });
    return { host, recovery };
  }

  private request<R extends RecorderRequest>(message: R, transfer: ArrayBuffer[] = []): Promise<Result<RecorderReplies[R['type']]>> {
    if (this.exited) return Promise.resolve({ ok: false, error: parxError('internal', 'recorder worker is not running') });
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve as Pending);
      this.worker.postMessage({ ...message, seq } as ToRecorder, transfer);
    });
  }

  open(descriptor: BatchDescriptor): Promise<Result<null>> {
    return this.request({ type: 'open', descriptor });
  }

  /**
   * Rows [from, to) of `batch` into batch `id`; the arrays are transferred (unusable here
   * afterwards). `resume`: the source position after these samples (see BatchWriter.append).
   */
  append(id: string, batch: SampleBatch, from?: number, to?: number, resume?: string | null): Promise<Result<null>> {
    return this.request({ type: 'append', id, batch, from, to, resume }, batchTransferables(batch));
  }

  checkpoint(resume: string | null): Promise<Result<Checkpoint>> {
    return this.request({ type: 'checkpoint', resume });
  }

  /** The coil id learnt after opening, durable when this resolves (a crash now still names the file with it). */
  tag(id: string, coil: string): Promise<Result<null>> {
    return this.request({ type: 'tag', id, coil });
  }

  close(id: string, close: Omit<FinalClose, 'status'>, resume?: string | null): Promise<Result<BatchFileInfo>> {
    return this.request({ type: 'close', id, close, resume });
  }

  /** Where the worker's memory sits: DuckDB's buffers and temp files, the worker's heap. */
  memory(): Promise<Result<RecorderMemory>> {
    return this.request({ type: 'memory' });
  }

  /** Stops the worker; open batches stay staged and are recovered on the next start. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await Promise.race([this.request({ type: 'stop' }), new Promise((r) => setTimeout(r, 5000))]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    if (!this.exited) await this.worker.terminate();
  }
}
