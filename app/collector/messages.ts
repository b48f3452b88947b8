/**
 * Messages between the engine (main thread) and the collector worker: discriminated
 * unions with a sequence number for request/reply pairs. Samples are transferred.
 */
import type { ConnectionConfig, ConnectionStatus, GroupStats } from '../shared/contract';
import type { ParxError, Result } from '../shared/result';
import type { SampleBatch } from '../shared/samples';

export interface CollectorSignal {
  readonly id: number;
  readonly connection: string;
  readonly address: string;
  readonly scale: number;
  readonly offset: number;
  readonly timebaseMs: number;
}

export interface CollectorPlan {
  readonly connections: readonly ConnectionConfig[];
  readonly signals: readonly CollectorSignal[];
}

export type ToCollector =
  | { readonly type: 'configure'; readonly seq: number; readonly plan: CollectorPlan }
  | { readonly type: 'stop'; readonly seq: number };

export type FromCollector =
  | { readonly type: 'reply'; readonly seq: number; readonly result: Result<null, ParxError> }
  | { readonly type: 'samples'; readonly batch: SampleBatch }
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'stats'; readonly groups: GroupStats[]; readonly connections: ConnectionStatus[] }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };
