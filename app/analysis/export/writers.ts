/**
 * One writer per export format. Each writes `file` (a temporary name the caller publishes),
 * yields between chunks so the engine keeps answering, reports rows written, and stops when
 * cancelled. Annotations travel with the data: a section (CSV), a field (JSON), a sheet
 * (XLSX), the `parx.annotations` key-value metadata (Parquet).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Annotation } from '../../shared/contract/files';
import type { WideTable } from './align';
import type { SignalSamples } from './read-range';

export interface ExportContext {
  readonly source: string;
  readonly from: number;
  readonly to: number;
  readonly resampleMs: number | null;
  /** Per signal: raw samples, or already held onto the grid. */
  readonly series: SignalSamples[];
  /** The same signals side by side (wide formats). */
  readonly table: WideTable;
  readonly annotations: Annotation[];
  readonly signal?: AbortSignal;
  readonly progress: (done: number, total: number) => void;
}

const CHUNK = 20_000;

export function cancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export const columnTitle = (s: { name: string; unit: string }): string => (s.unit ? `${s.name} [${s.unit}]` : s.name);

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const num = (v: number): string => (Number.isFinite(v) ? String(v) : '');
const isoOf = (ms: number): string => new Date(ms).toISOString();
const annotationWhen = (a: Annotation, v: number): string => (a.axis === 'time' ? isoOf(v) : String(v));

/** A stream that waits when the disk is behind, so memory stays bounded. */
async function withStream(file: string, body: (write: (s: string) => Promise<void>) => Promise<void>): Promise<void> {
  const out = fs.createWriteStream(file);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
  try {
    await body(write);
  } finally {
    out.end();
    await closed;
  }
}

export const CSV_ANNOTATIONS_MARKER = '# annotations';

export async function writeCsv(file: string, c: ExportContext): Promise<number> {
  const { time, columns } = c.table;
  await withStream(file, async (write) => {
    await write(`${['time', 'ts_ms', ...c.series.map((s) => csvField(columnTitle(s)))].join(',')}\r\n`);
    for (let from = 0; from < time.length; from += CHUNK) {
      cancelled(c.signal);
      const to = Math.min(time.length, from + CHUNK);
      let chunk = '';
      for (let i = from; i < to; i++) {
        const t = time[i] as number;
        chunk += `${isoOf(t)},${t}`;
        for (const col of columns) chunk += `,${num(col[i] as number)}`;
        chunk += '\r\n';
      }
      await write(chunk);
      c.progress(to, time.length);
      await tick();
    }
    if (c.annotations.length > 0) {
      // After the data, so a reader that takes the first table gets just the data.
      await write(`\r\n${CSV_ANNOTATIONS_MARKER}\r\nfrom,to,axis,batch_id,author,created_at,text\r\n`);
      for (const a of c.annotations) await write(`${[annotationWhen(a, a.from), annotationWhen(a, a.to), a.axis, a.batchId ?? '', a.author, isoOf(a.createdAt), a.text].map(csvField).join(',')}\r\n`);
    }
  });
  return time.length;
}

/** `{format:'parx-export', version:1, …, signals:[{name, unit, ts[], value[], quality[]}], annotations:[…]}`; NaN becomes null. */
export async function writeJson(file: string, c: ExportContext): Promise<number> {
  const total = c.series.reduce((n, s) => n + s.ts.length, 0);
  let done = 0;
  await withStream(file, async (write) => {
    const head = { format: 'parx-export', version: 1, source: c.source, from: isoOf(c.from), to: isoOf(c.to), resampleMs: c.resampleMs, exportedAt: isoOf(Date.now()) };
    await write(`${JSON.stringify(head).slice(0, -1)},"signals":[`);
    for (let k = 0; k < c.series.length; k++) {
      const s = c.series[k] as SignalSamples;
      await write(`${k ? ',' : ''}{"name":${JSON.stringify(s.name)},"unit":${JSON.stringify(s.unit)},"samples":${s.ts.length}`);
      for (const [key, arr] of [['ts', s.ts], ['value', s.value], ['quality', s.quality]] as const) {
        await write(`,"${key}":[`);
        for (let from = 0; from < arr.length; from += CHUNK) {
          cancelled(c.signal);
          const part = Array.from(arr.subarray(from, Math.min(arr.length, from + CHUNK)), (v) => (Number.isFinite(v) ? String(v) : 'null')).join(',');
          await write(`${from ? ',' : ''}${part}`);
          if (key === 'value') {
            done += Math.min(CHUNK, arr.length - from);
            c.progress(done, total);
          }
          await tick();
        }
        await write(']');
      }
      await write('}');
    }
    await write(`],"annotations":${JSON.stringify(c.annotations)}}\n`);
  });
  return total;
}

/** Excel holds 1,048,576 rows a sheet: longer exports continue on "Data (2)", "Data (3)" … */
export const XLSX_ROWS_PER_SHEET = 1_048_575;

export async function writeXlsx(file: string, c: ExportContext, rowsPerSheet = XLSX_ROWS_PER_SHEET): Promise<number> {
  const { time, columns } = c.table;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'ParX';
  const header = ['Time (UTC)', 'ts_ms', ...c.series.map(columnTitle)];
  const sheet = (n: number): ExcelJS.Worksheet => {
    const ws = wb.addWorksheet(n === 1 ? 'Data' : `Data (${n})`, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = header.map((h, i) => ({ header: h, width: i === 0 ? 24 : Math.max(12, h.length + 2), style: i === 0 ? { numFmt: 'yyyy-mm-dd hh:mm:ss.000' } : {} }));
    return ws;
  };
  let n = 1;
  let ws = sheet(n);
  let inSheet = 0;
  for (let i = 0; i < time.length; i++) {
    if (inSheet === rowsPerSheet) {
      ws.commit();
      ws = sheet(++n);
      inSheet = 0;
    }
    const t = time[i] as number;
    ws.addRow([new Date(t), t, ...columns.map((col) => (Number.isFinite(col[i] as number) ? (col[i] as number) : null))]).commit();
    inSheet++;
    if ((i + 1) % CHUNK === 0) {
      cancelled(c.signal);
      c.progress(i + 1, time.length);
      await tick();
    }
  }
  ws.commit();
  const sig = wb.addWorksheet('Signals');
  sig.columns = [
    { header: 'Signal', width: 24 },
    { header: 'Unit', width: 10 },
    { header: 'Samples', width: 12 },
  ];
  for (const s of c.series) sig.addRow([s.name, s.unit, s.ts.length]).commit();
  sig.addRow([]).commit();
  sig.addRow(['Source', c.source]).commit();
  sig.addRow(['From (UTC)', isoOf(c.from)]).commit();
  sig.addRow(['To (UTC)', isoOf(c.to)]).commit();
  sig.addRow(['Resampled', c.resampleMs === null ? 'raw samples' : `every ${c.resampleMs} ms (zero-order hold)`]).commit();
  sig.commit();
  const notes = wb.addWorksheet('Annotations');
  notes.columns = ['From', 'To', 'Axis', 'Batch', 'Author', 'Created (UTC)', 'Text'].map((h) => ({ header: h, width: h === 'Text' ? 60 : 22 }));
  for (const a of c.annotations) notes.addRow([annotationWhen(a, a.from), annotationWhen(a, a.to), a.axis, a.batchId ?? '', a.author, isoOf(a.createdAt), a.text]).commit();
  notes.commit();
  await wb.commit();
  c.progress(time.length, time.length);
  return time.length;
}
