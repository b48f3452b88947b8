/** Requests to the catalog worker, each answered by one Result reply. */
import type { ParxError, Result } from '../shared/result';
import type { BatchFileInfo, SignalStats } from './batch-file';
import type { BatchFilter, CatalogBatch, ReconcileReport } from './catalog-db';

export type CatalogRequest =
  | { readonly type: 'start'; readonly file: string }
  | { readonly type: 'add'; readonly infos: readonly BatchFileInfo[] }
  | { readonly type: 'reconcile'; readonly folder: string }
  | { readonly type: 'list'; readonly filter: BatchFilter }
  | { readonly type: 'get'; readonly key: string }
  | { readonly type: 'remove'; readonly files: readonly string[] }
  | { readonly type: 'stop' };

export interface CatalogReplies {
  start: null;
  add: null;
  reconcile: ReconcileReport;
  list: { total: number; batches: CatalogBatch[] };
  get: { batch: CatalogBatch; signals: SignalStats[] } | null;
  remove: null;
  stop: null;
}

export type CatalogReply = { readonly seq: number; readonly result: Result<unknown, ParxError> };
