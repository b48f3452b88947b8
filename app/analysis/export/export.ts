/**
 * One export: read the signals over the range (raw), hold them onto a grid when resampling,
 * write the format to `<out>.tmp`, publish atomically. A cancel stops between chunks and
 * removes the partial file; the target is either the whole export or untouched.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Annotation, ExportFormat } from '../../shared/contract/files';
import { publish } from '../../recorder/durable';
import { alignRaw, alignResampled, holdOnto, makeGrid } from './align';
import type { SignalSamples } from './read-range';
import { readRangeWithDerived } from './derived-range';
import type { DerivedDefinition } from '../derived-query';
import { writeCsv, writeJson, writeXlsx, type ExportContext } from './writers';
import { writeParquet } from './parquet-writer';

export interface ExportRequest {
  /** Absolute source path. */
  readonly source: string;
  readonly signals: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly batches?: readonly string[];
  readonly format: ExportFormat;
  readonly resampleMs?: number;
  /** Absolute target file. */
  readonly out: string;
  /** The workspace's derived signals: a name in `signals` may be one of them (evaluated from its inputs). */
  readonly derived?: readonly DerivedDefinition[];
}

export interface ExportHooks {
  readonly signal?: AbortSignal;
  /** phase: reading | writing | done. */
  readonly progress?: (done: number, total: number, phase: string) => void;
  /** Notes to include, for the range actually exported. */
  readonly annotations?: (from: number, to: number) => Promise<Annotation[]>;
}

export interface ExportResult {
  readonly file: string;
  readonly rows: number;
  readonly samples: number;
  readonly bytes: number;
  readonly annotations: number;
  /** Files of the source left out because they could not be read. */
  readonly skipped: { file: string; message: string }[];
}

export const EXTENSIONS: Record<ExportFormat, string> = { csv: '.csv', xlsx: '.xlsx', json: '.json', parquet: '.parquet' };

export async function runExport(r: ExportRequest, hooks: ExportHooks = {}): Promise<ExportResult> {
  const progress = hooks.progress ?? (() => undefined);
  progress(0, r.signals.length, 'reading');
  const range = await readRangeWithDerived({ source: r.source, signals: r.signals, from: r.from, to: r.to, batches: r.batches }, r.derived, { signal: hooks.signal, progress: (d, t) => progress(d, t, 'reading') });
  let series: SignalSamples[] = range.signals;
  let table;
  if (r.resampleMs !== undefined) {
    const grid = makeGrid(range.from, range.to, r.resampleMs);
    series = series.map((s) => ({ ...s, ...holdOnto(s, grid) }));
    table = alignResampled(series, grid);
  } else if (r.format === 'csv' || r.format === 'xlsx') table = alignRaw(series);
  else table = { time: new Float64Array(0), columns: [] };
  const annotations = (await hooks.annotations?.(range.from, range.to)) ?? [];
  await fs.mkdir(path.dirname(r.out), { recursive: true });
  const tmp = `${r.out}.tmp`;
  const ctx: ExportContext = {
    source: r.source,
    from: range.from,
    to: range.to,
    resampleMs: r.resampleMs ?? null,
    series,
    table,
    annotations,
    signal: hooks.signal,
    progress: (d, t) => progress(d, t, 'writing'),
  };
  let rows: number;
  try {
    switch (r.format) {
      case 'csv':
        rows = await writeCsv(tmp, ctx);
        break;
      case 'json':
        rows = await writeJson(tmp, ctx);
        break;
      case 'xlsx':
        rows = await writeXlsx(tmp, ctx);
        break;
      case 'parquet':
        rows = await writeParquet(tmp, ctx, range.batches[0] ? path.basename(path.dirname(path.dirname(range.batches[0].file))).replace(/^line=/, '') : 'export');
        break;
    }
    await publish(tmp, r.out);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const { size } = await fs.stat(r.out);
  const samples = series.reduce((n, s) => n + s.ts.length, 0);
  progress(rows, rows, 'done');
  return { file: r.out, rows, samples, bytes: size, annotations: annotations.length, skipped: range.skipped };
}
