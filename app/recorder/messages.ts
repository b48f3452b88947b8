/**
 * Messages between the engine (main thread) and the recorder worker: requests with a
 * sequence number, each answered by one Result reply. Sample arrays are transferred.
 */
import type { ParxError, Result } from '../shared/result';
import type { SampleBatch } from '../shared/samples';
import type { BatchFileInfo, FinalClose } from './batch-file';
import type { WriterOptions } from './batch-writer';
import type { BatchDescriptor } from './format';
import type { RecoveryReport } from './recovery';
import type { Checkpoint } from './staging';

/** Bytes: DuckDB's buffer manager (in use, spilled to its temp folder) and the worker's JS heap and array buffers. */
export interface RecorderMemory {
  readonly duckdbBytes: number;
  readonly duckdbTempBytes: number;
  readonly heapUsedBytes: number;
  readonly arrayBuffersBytes: number;
  /** DuckDB's in-memory bytes by what holds them (its `duckdb_memory()` tags), the non-zero ones. */
  readonly duckdbByTag: Readonly<Record<string, number>>;
}

export type RecorderRequest =
  | { readonly type: 'start'; readonly recordings: string; readonly options: Partial<WriterOptions> }
  | { readonly type: 'open'; readonly descriptor: BatchDescriptor }
  | { readonly type: 'append'; readonly id: string; readonly batch: SampleBatch; readonly from?: number; readonly to?: number; readonly resume?: string | null }
  | { readonly type: 'checkpoint'; readonly resume: string | null }
  /** The coil id learnt after the batch opened: made durable in its staging, so recovery names the file with it. */
  | { readonly type: 'tag'; readonly id: string; readonly coil: string }
  | { readonly type: 'close'; readonly id: string; readonly close: Omit<FinalClose, 'status'>; readonly resume?: string | null }
  /** Where the worker's memory sits (health view, benchmarks). */
  | { readonly type: 'memory' }
  | { readonly type: 'stop' };

/** What each request answers with. */
export interface RecorderReplies {
  start: RecoveryReport;
  open: null;
  append: null;
  checkpoint: Checkpoint;
  tag: null;
  close: BatchFileInfo;
  memory: RecorderMemory;
  stop: null;
}

export type ToRecorder = RecorderRequest & { readonly seq: number };

/** `spare`: an append's sample buffers, sent back once copied, for the host's BatchPool to reuse. */
export type FromRecorder = { readonly type: 'reply'; readonly seq: number; readonly result: Result<unknown, ParxError>; readonly spare?: ArrayBuffer[] };
