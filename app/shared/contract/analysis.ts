/**
 * Contract methods and events of one area: Offline analysis (issue #5): opening recordings,
 * decimated trend queries, cursor statistics, coil envelopes, the saved analysis layout.
 * (Foreign files, export and annotations are the `files` area.)
 */
import { z } from 'zod';
import { method } from './method';

/** A folder of ParX batch files or one .parquet file; absolute, or relative to the workspace. */
const sourcePath = z.string().min(1, 'name a file or folder').max(4096);
const sourceId = z.string().min(1, 'name an open source (analysis.sources)');
const signalList = z.array(z.string().min(1)).min(1, 'name at least one signal').max(64);

export const AnalysisSignalSchema = z.object({
  name: z.string(),
  unit: z.string(),
  description: z.string(),
  /** A workspace derived signal, computed on query from its inputs (docs/formulas.md): its formula. */
  formula: z.string().optional(),
  /** Why it gives nothing here, e.g. "missing input: Line Speed" (an input not recorded in this source). */
  status: z.string().optional(),
});
export type AnalysisSignal = z.infer<typeof AnalysisSignalSchema>;

export const LengthIndexSchema = z.object({ from: z.enum(['length', 'speed']), signal: z.string() });

export const AnalysisBatchSchema = z.object({
  /** The file, relative to the source's folder: what `batch` parameters name. */
  key: z.string(),
  file: z.string(),
  id: z.string(),
  coil: z.string(),
  line: z.string(),
  /** ms since the epoch. */
  start: z.number(),
  end: z.number(),
  status: z.string(),
  openedBy: z.string(),
  closedBy: z.string(),
  rows: z.number().int(),
  /** The file has a `length_m` column and how it was derived. */
  lengthIndex: LengthIndexSchema.nullable(),
  /** Strip length at the end of the batch (metres), from the file's column statistics. */
  lengthM: z.number().nullable(),
});
export type AnalysisBatch = z.infer<typeof AnalysisBatchSchema>;

export const AnalysisSourceSchema = z.object({
  /** The absolute path that was opened: stable across restarts (layouts and annotations name it). */
  id: z.string(),
  name: z.string(),
  batches: z.array(AnalysisBatchSchema),
  signals: z.array(AnalysisSignalSchema),
  /** Files that could not be read, each with why; the rest of the source loads. */
  problems: z.array(z.object({ file: z.string(), message: z.string() })),
  start: z.number().nullable(),
  end: z.number().nullable(),
});
export type AnalysisSource = z.infer<typeof AnalysisSourceSchema>;

/** Time (ms since the epoch) or strip length (metres) along x. */
export const AxisSchema = z.enum(['time', 'length']);
export type Axis = z.infer<typeof AxisSchema>;

const lengthFrom = LengthIndexSchema.optional().describe('for the length axis when a batch has no length_m column: a speed (m/min) or length (m) signal');

export const AnalysisSeriesSchema = z.object({
  signal: z.string(),
  /** ms since the epoch (time axis) or metres (length axis). */
  x: z.instanceof(Float64Array),
  value: z.instanceof(Float64Array),
  /** Worst quality of the samples a point stands for: 0 good, 1 uncertain, 2 stale, 3 bad. */
  quality: z.instanceof(Uint8Array),
  /** Every sample of the range came back (no decimation). */
  raw: z.boolean(),
  samples: z.number().int(),
});
export type AnalysisSeries = z.infer<typeof AnalysisSeriesSchema>;

export const CursorStatsSchema = z.object({
  signal: z.string(),
  count: z.number().int(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  a: z.object({ x: z.number(), value: z.number() }).nullable(),
  b: z.object({ x: z.number(), value: z.number() }).nullable(),
});
export type CursorStats = z.infer<typeof CursorStatsSchema>;

export const analysisMethods = {
  'analysis.open': method(
    z.object({ path: sourcePath }).strict(),
    AnalysisSourceSchema,
    'Opens a folder of ParX batch files (searched recursively) or one .parquet file: its batches from their parx.* metadata and its signals. Unreadable files are listed under problems.',
  ),
  'analysis.sources': method(z.object({}).strict(), z.array(AnalysisSourceSchema), 'The open sources.'),
  'analysis.close': method(z.object({ source: sourceId }).strict(), z.object({ closed: z.boolean() }), 'Closes a source and frees its cached columns.'),
  'analysis.recent': method(z.object({}).strict(), z.array(z.string()), 'Recently opened paths, newest first (kept in the workspace).'),
  'analysis.query': method(
    z
      .object({
        source: sourceId,
        signals: signalList,
        /** The x range; the whole source (or batch) when absent. */
        from: z.number().finite().optional(),
        to: z.number().finite().optional(),
        pixels: z.number().int().min(1).max(20_000),
        /** Only this batch (its key); required for the length axis. */
        batch: z.string().optional(),
        axis: AxisSchema.default('time'),
        lengthFrom,
        /** Who asks, e.g. a trend pane's id: a newer query with the same view drops this one if it has not started yet. */
        view: z.string().min(1).max(200).optional(),
      })
      .strict(),
    z.object({
      from: z.number(),
      to: z.number(),
      series: z.array(AnalysisSeriesSchema),
      /** Not run: a newer query of the same view came before this one started (series empty; ignore the reply). */
      superseded: z.literal(true).optional(),
    }),
    'Trend data, decimated per pixel column (first/min/max/last), or raw when the range holds fewer samples than pixels. With `view`, a query superseded by a newer one of the same view before it started is answered with `superseded: true` and no series.',
  ),
  'analysis.stats': method(
    z
      .object({
        source: sourceId,
        signals: signalList,
        /** Cursor A and B positions (x of the axis); statistics cover the samples between them. */
        a: z.number().finite(),
        b: z.number().finite(),
        batch: z.string().optional(),
        axis: AxisSchema.default('time'),
        lengthFrom,
      })
      .strict(),
    z.array(CursorStatsSchema),
    'Exact statistics between cursors A and B and the value at each (last usable sample at or before it).',
  ),
  'analysis.envelope': method(
    z
      .object({
        source: sourceId,
        signal: z.string().min(1),
        batches: z.array(z.string()).min(1, 'choose at least one coil').max(500),
        axis: AxisSchema.default('time'),
        lengthFrom,
        /** Width of the band in standard deviations. */
        k: z.number().min(0).max(10).default(2),
        points: z.number().int().min(2).max(10_000).default(1000),
      })
      .strict(),
    z.object({
      /** Relative x: ms (or metres) from each batch's head. */
      x: z.instanceof(Float64Array),
      mean: z.instanceof(Float64Array),
      lower: z.instanceof(Float64Array),
      upper: z.instanceof(Float64Array),
      /** Coils that have a value at each point. */
      count: z.instanceof(Uint8Array),
    }),
    'The golden-coil envelope: mean ± k·σ of the chosen batches, aligned at their head (t = 0 or length = 0).',
  ),
  'analysis.layout.get': method(z.object({}).strict(), z.object({ layout: z.unknown().nullable() }), 'The saved analysis workspace (dock layout, open sources, pane contents, cursors).'),
  'analysis.layout.save': method(z.object({ layout: z.unknown() }).strict(), z.object({ file: z.string() }), 'Saves the analysis workspace into the workspace folder.'),
} as const;

export const analysisEvents = {} as const;
