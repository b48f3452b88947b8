/** Contract methods and events of one area: the recordings catalog and retention (issue #4). */
import { z } from 'zod';
import { method } from './method';

export const CatalogBatchSchema = z.object({
  id: z.string(),
  file: z.string(),
  format: z.string(),
  line: z.string(),
  coil: z.string().nullable(),
  shift: z.string().nullable(),
  /** ms since the epoch */
  start: z.number(),
  end: z.number(),
  durationS: z.number(),
  bytes: z.number(),
  rows: z.number(),
  status: z.string(),
  openedBy: z.string(),
  closedBy: z.string(),
});
export type CatalogBatchInfo = z.infer<typeof CatalogBatchSchema>;

export const SignalStatsSchema = z.object({ signal: z.string(), count: z.number(), min: z.number().nullable(), max: z.number().nullable(), mean: z.number().nullable() });

export const CleanupActionSchema = z.object({
  file: z.string(),
  id: z.string(),
  line: z.string(),
  bytes: z.number(),
  reason: z.string(),
  archivedTo: z.string().nullable(),
  done: z.boolean(),
  error: z.string().optional(),
});
export type CleanupActionInfo = z.infer<typeof CleanupActionSchema>;

export const catalogMethods = {
  'catalog.batches': method(
    z
      .object({
        line: z.string().max(200).optional(),
        coil: z.string().max(200).optional(),
        from: z.number().optional(),
        to: z.number().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000, 'at most 10000 batches a page').default(1000),
      })
      .strict(),
    z.object({ total: z.number().int(), batches: z.array(CatalogBatchSchema) }),
    'Closed batch files from the catalog, newest first: filter by line, coil id substring and time range (batches overlapping [from, to], ms), page with offset/limit.',
  ),
  'catalog.batch': method(
    z.object({ id: z.string().min(1, 'must name a batch id or file') }).strict(),
    z.object({ batch: CatalogBatchSchema, signals: z.array(SignalStatsSchema) }),
    'One batch (by id or file) with per-signal count, min, max and mean.',
  ),
  'catalog.cleanup': method(
    z.object({ dryRun: z.boolean().default(true) }).strict(),
    z.object({ dryRun: z.boolean(), actions: z.array(CleanupActionSchema) }),
    'Apply the retention rules now: archive (verified copy) then delete expired batch files; with dryRun only say what would happen.',
  ),
} as const;

export const catalogEvents = {} as const;
