/** Messages between the recording pump and the trigger worker; each request gets one Result reply. */
import type { ParxError, Result } from '../../shared/result';
import type { SampleBatch } from '../../shared/samples';
import type { TriggerEvent, TriggerStatus } from './machine';
import type { PoolConfig } from './pool';

export type TriggerRequest = { readonly type: 'configure'; readonly config: PoolConfig } | { readonly type: 'feed'; readonly batch: SampleBatch } | { readonly type: 'stop' };

export interface TriggerReplies {
  configure: { names: string[] };
  feed: { keep: Uint8Array<ArrayBuffer> | null; events: TriggerEvent[]; status: TriggerStatus[] };
  stop: null;
}

export type ToTriggers = TriggerRequest & { readonly seq: number };
export interface FromTriggers {
  readonly seq: number;
  readonly result: Result<unknown, ParxError>;
}
