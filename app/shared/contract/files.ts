/** Contract methods and events of one area: foreign files (inspect, import), export, annotations, X/Y and spectrum (issue #5). */
import { z } from 'zod';
import { method } from './method';

/** A file or folder of ParX batch files (a recording folder, an import, one .parquet); absolute, or relative to the workspace. */
const sourcePath = z.string().min(1, 'name a file or folder').max(4096);
/** ms since the epoch. */
const epochMs = z.number().finite();

export const TimeUnitSchema = z.enum(['iso', 's', 'ms', 'us', 'relative-s']);
export type TimeUnit = z.infer<typeof TimeUnitSchema>;

/** How a foreign table becomes ParX samples: which column is time, which are signals (wide) or which hold name and value (long). */
export const MappingSchema = z
  .object({
    layout: z.enum(['wide', 'long']),
    /** The time column; null when the file has none (the import then refuses and says so). */
    time: z.string().nullable(),
    timeUnit: TimeUnitSchema.default('iso'),
    /** For `relative-s`: the wall time of t = 0 (ms). */
    origin: epochMs.optional(),
    /** Wide: one column per signal. */
    signals: z.array(z.object({ column: z.string(), name: z.string().min(1), unit: z.string().default('') })).default([]),
    /** Long: the column naming the signal and the one holding its value (and optionally a unit column). */
    long: z.object({ name: z.string(), value: z.string(), unit: z.string().nullable().default(null) }).nullable().default(null),
    /** Optional quality column (0 good … 3 bad); samples are good without one. */
    quality: z.string().nullable().default(null),
  })
  .strict();
export type Mapping = z.infer<typeof MappingSchema>;
export type MappingIn = z.input<typeof MappingSchema>;

const cell = z.union([z.string(), z.number(), z.null()]);

export const InspectResultSchema = z.object({
  path: z.string(),
  format: z.enum(['csv', 'parquet']),
  /** Whether the file already is a ParX batch file (open it directly, no import needed). */
  parx: z.boolean(),
  columns: z.array(z.object({ name: z.string(), type: z.enum(['time', 'number', 'text', 'empty']), unit: z.string() })),
  preview: z.object({ header: z.array(z.string()), rows: z.array(z.array(cell)) }),
  rows: z.number().int(),
  mapping: MappingSchema,
  /** What the import will have to deal with, in words. */
  notes: z.array(z.string()),
});
export type InspectResult = z.infer<typeof InspectResultSchema>;

export const ImportReportSchema = z.object({
  /** The folder to open (analysis.open). */
  folder: z.string(),
  file: z.string(),
  batchId: z.string(),
  rows: z.number().int(),
  samples: z.number().int(),
  signals: z.array(z.object({ name: z.string(), unit: z.string(), samples: z.number().int() })),
  start: z.number(),
  end: z.number(),
  skippedRows: z.number().int(),
  /** Line numbers (1-based, header = 1) of the first skipped rows, each with why. */
  firstSkipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  duplicateTimestamps: z.number().int(),
  backwardSteps: z.number().int(),
  warnings: z.array(z.string()),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const AnnotationSchema = z.object({
  id: z.string(),
  source: z.string(),
  batchId: z.string().nullable(),
  axis: z.enum(['time', 'length']),
  from: z.number(),
  to: z.number(),
  text: z.string(),
  author: z.string(),
  createdAt: z.number(),
});
export type Annotation = z.infer<typeof AnnotationSchema>;

export const ExportFormatSchema = z.enum(['csv', 'xlsx', 'json', 'parquet']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportParamsSchema = z
  .object({
    source: sourcePath,
    signals: z.array(z.string().min(1)).min(1, 'choose at least one signal').max(2000),
    from: epochMs.optional(),
    to: epochMs.optional(),
    /** Whole batches by id (parx.batch_id); all batches of the source when omitted. */
    batches: z.array(z.string()).max(10_000).optional(),
    format: ExportFormatSchema,
    /** Zero-order hold onto a grid of this step; raw samples when omitted. */
    resampleMs: z.number().min(0.001).max(86_400_000).optional(),
    /** The file to write (absolute, or relative to the workspace's exports folder). */
    out: z.string().min(1).max(4096),
    /** A job id chosen by the caller, so it can cancel before the reply; one is made up otherwise. */
    job: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, { message: '`from` must not be after `to`', path: ['to'] });
export type ExportParams = z.infer<typeof ExportParamsSchema>;

const rangeParams = {
  source: sourcePath,
  batches: z.array(z.string()).max(10_000).optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
};

/** Largest upload (50 MB as base64). The browser-mode server sizes its largest message from it. */
export const MAX_UPLOAD_BASE64 = 70_000_000;

export const filesMethods = {
  'files.inspect': method(z.object({ path: z.string().min(1).max(4096) }).strict(), InspectResultSchema, 'Look at a CSV or Parquet file and propose how to map it to signals (time column, signals, units).'),
  'files.import': method(
    z.object({ path: z.string().min(1).max(4096), mapping: MappingSchema, name: z.string().max(120).optional(), job: z.string().min(1).max(100).optional() }).strict(),
    ImportReportSchema,
    'Convert a foreign CSV or Parquet file into a ParX batch file under <workspace>/imports/<name>/ (progress as files.import.progress).',
  ),
  'files.upload': method(
    z.object({ name: z.string().min(1).max(255), base64: z.string().max(MAX_UPLOAD_BASE64, 'uploads are limited to 50 MB; give a path instead') }).strict(),
    z.object({ path: z.string(), bytes: z.number().int() }),
    'Store a small file dropped onto the browser window in the workspace, so it can be inspected and imported.',
  ),
  'files.batches': method(
    z.object({ source: sourcePath }).strict(),
    z.array(z.object({ batchId: z.string(), coil: z.string(), start: z.number(), end: z.number(), file: z.string(), signals: z.array(z.object({ name: z.string(), unit: z.string() })) })),
    'The batches of a source and their signals (from each file’s parx.* metadata).',
  ),
  'files.export': method(
    ExportParamsSchema,
    z.object({
      job: z.string(),
      file: z.string(),
      rows: z.number().int(),
      samples: z.number().int(),
      bytes: z.number().int(),
      annotations: z.number().int(),
      /** Files of the source that could not be read (truncated, corrupt) and were left out. */
      skipped: z.array(z.object({ file: z.string(), message: z.string() })),
    }),
    'Export signals over a range to CSV, XLSX, JSON or Parquet, raw or resampled, with annotations; progress as files.export.progress.',
  ),
  'files.export.cancel': method(z.object({ job: z.string().min(1) }).strict(), z.object({ cancelled: z.boolean() }), 'Cancel a running export (its partial file is removed).'),
  'files.xy': method(
    z.object({ ...rangeParams, x: z.string().min(1), y: z.string().min(1), maxPoints: z.number().int().min(10).max(20_000).default(20_000) }).strict(),
    z.object({ x: z.instanceof(Float64Array), y: z.instanceof(Float64Array), t: z.instanceof(Float64Array), total: z.number().int() }),
    'Signal Y against signal X, aligned by zero-order hold, decimated to at most maxPoints points.',
  ),
  'files.spectrum': method(
    z.object({ ...rangeParams, signal: z.string().min(1), rateHz: z.number().positive().max(1e6).optional(), maxSamples: z.number().int().min(16).max(1 << 20).default(1 << 16) }).strict(),
    z.object({ freq: z.instanceof(Float64Array), amplitude: z.instanceof(Float64Array), rateHz: z.number(), samples: z.number().int(), from: z.number(), to: z.number() }),
    'Amplitude spectrum (Hann window, FFT) of a signal resampled to a uniform rate over the range.',
  ),
  'annotations.list': method(z.object({ source: sourcePath, from: epochMs.optional(), to: epochMs.optional() }).strict(), z.array(AnnotationSchema), 'Notes on a source, optionally only those overlapping [from, to].'),
  'annotations.add': method(
    z
      .object({
        source: sourcePath,
        batchId: z.string().nullable().default(null),
        axis: z.enum(['time', 'length']).default('time'),
        from: z.number().finite(),
        to: z.number().finite(),
        text: z.string().min(1, 'write a note').max(10_000),
        author: z.string().max(200).optional(),
      })
      .strict()
      .refine((a) => a.from <= a.to, { message: '`from` must not be after `to`', path: ['to'] }),
    AnnotationSchema,
    'Add a note on a time or length range.',
  ),
  'annotations.update': method(
    z.object({ id: z.string().min(1), from: z.number().finite().optional(), to: z.number().finite().optional(), text: z.string().min(1).max(10_000).optional(), author: z.string().max(200).optional() }).strict(),
    AnnotationSchema,
    'Change a note’s range or text.',
  ),
  'annotations.remove': method(z.object({ id: z.string().min(1) }).strict(), z.object({ removed: z.boolean() }), 'Delete a note.'),
} as const;

const progress = z.object({ job: z.string(), done: z.number(), total: z.number(), phase: z.string() });

export const filesEvents = {
  'files.export.progress': progress,
  'files.import.progress': progress,
  'annotations.changed': z.object({ source: z.string() }),
} as const;
