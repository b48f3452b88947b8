/** Requests to the analysis worker, each answered by one Result reply with the same seq. */
import type { AnalysisSource, AnalysisSeries, CursorStats } from '../shared/contract/analysis';
import type { ParxError, Result } from '../shared/result';
import type { EnvelopeParams, QueryParams } from './analysis-service';
import type { PyramidOutcome, PyramidStats } from './pyramid-store';
import type { DerivedDefinition } from './derived-query';

export type AnalysisRequest =
  | { readonly type: 'open'; readonly path: string }
  | { readonly type: 'sources' }
  | { readonly type: 'close'; readonly source: string }
  | { readonly type: 'query'; readonly params: QueryParams }
  | { readonly type: 'stats'; readonly params: { source: string; signals: string[]; a: number; b: number; batch?: string; axis: 'time' | 'length'; lengthFrom?: QueryParams['lengthFrom'] } }
  | { readonly type: 'envelope'; readonly params: EnvelopeParams }
  | { readonly type: 'memory' }
  /** Waits until the pyramids being loaded or built are ready (benchmarks, tests). */
  | { readonly type: 'pyramids' }
  /** Prepares one batch file's pyramid (found, or built and saved); replies when done, holding the queue only for the file's footer. */
  | { readonly type: 'pyramid'; readonly file: string }
  /** The workspace's derived signals (sent on open and whenever the configuration changed). */
  | { readonly type: 'derived'; readonly defs: readonly DerivedDefinition[] };

export interface AnalysisReplies {
  open: AnalysisSource;
  sources: AnalysisSource[];
  close: boolean;
  /** `superseded`: not run, a newer query of the same view came before its turn (series empty). */
  query: { from: number; to: number; series: AnalysisSeries[]; superseded?: true };
  stats: CursorStats[];
  envelope: { x: Float64Array<ArrayBuffer>; mean: Float64Array<ArrayBuffer>; lower: Float64Array<ArrayBuffer>; upper: Float64Array<ArrayBuffer>; count: Uint8Array<ArrayBuffer> };
  memory: { cacheBytes: number; rss: number };
  pyramids: PyramidStats;
  pyramid: PyramidOutcome & { file: string };
  derived: number;
}

/** `stop`: the host's own; the worker interrupts its DuckDB work, closes its databases and exits (terminating it mid-query aborted the whole process). */
export type ToAnalysis = (AnalysisRequest | { readonly type: 'stop' }) & { readonly seq: number };
export type FromAnalysis = { readonly seq: number; readonly result: Result<unknown, ParxError> };
