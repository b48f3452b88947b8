import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/helpers';
import { readWithHyparquet, readWithParquetWasm } from '../../recorder/testing/readers';
import type { Annotation } from '../../shared/contract/files';
import { importFile, inspectFile } from '../files/import';
import { CSV_ANNOTATIONS_MARKER } from './writers';
import { runExport } from './export';

const T0 = Date.UTC(2026, 2, 29, 6, 0, 0);
let ws: string;
let source: string;

const notes: Annotation[] = [{ id: 'a1', source: '', batchId: null, axis: 'time', from: T0 + 1000, to: T0 + 2000, text: 'weld, "seam" 1', author: 'Anna', createdAt: T0 }];

beforeAll(async () => {
  ws = await tempDir();
  // Speed every 100 ms, Gauge every 250 ms: two rates, like a real line.
  const lines = ['time,Speed [m/min],Gauge [mm]'];
  for (let t = 0; t <= 5000; t += 50) lines.push(`${new Date(T0 + t).toISOString()},${t % 100 === 0 ? 100 + t / 100 : ''},${t % 250 === 0 ? 2 + t / 10000 : ''}`);
  const f = path.join(ws, 'line.csv');
  await fs.writeFile(f, lines.join('\n'));
  const i = await inspectFile(f);
  source = (await importFile(f, i.mapping, { workspace: ws })).folder;
});

describe('export', () => {
  it('CSV raw: union of times, empty cells, annotations section — read back with papaparse', async () => {
    const out = path.join(ws, 'out', 'raw.csv');
    const phases = new Set<string>();
    const r = await runExport({ source, signals: ['Speed', 'Gauge'], from: T0, to: T0 + 1000, format: 'csv', out }, { annotations: async () => notes, progress: (_d, _t, p) => phases.add(p) });
    expect([...phases]).toEqual(['reading', 'writing', 'done']);
    const text = await fs.readFile(out, 'utf8');
    const [data, tail] = text.split(`${CSV_ANNOTATIONS_MARKER}\r\n`);
    const parsed = Papa.parse<Record<string, string>>((data ?? '').trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['time', 'ts_ms', 'Speed [m/min]', 'Gauge [mm]']);
    // 0,100,…,1000 for speed ∪ 0,250,…,1000 for gauge = 11 + 2 (250, 750) distinct times.
    expect(parsed.data).toHaveLength(13);
    expect(r.rows).toBe(13);
    expect(parsed.data[0]).toEqual({ time: new Date(T0).toISOString(), ts_ms: String(T0), 'Speed [m/min]': '100', 'Gauge [mm]': '2' });
    expect(parsed.data.find((d) => d.ts_ms === String(T0 + 250))).toMatchObject({ 'Speed [m/min]': '', 'Gauge [mm]': '2.025' });
    const ann = Papa.parse<Record<string, string>>((tail ?? '').trim(), { header: true });
    expect(ann.data).toEqual([{ from: new Date(T0 + 1000).toISOString(), to: new Date(T0 + 2000).toISOString(), axis: 'time', batch_id: '', author: 'Anna', created_at: new Date(T0).toISOString(), text: 'weld, "seam" 1' }]);
  });

  it('CSV resampled: a regular grid, zero-order hold', async () => {
    const out = path.join(ws, 'out', 'grid.csv');
    await runExport({ source, signals: ['Speed', 'Gauge'], from: T0 + 50, to: T0 + 550, format: 'csv', out, resampleMs: 100 });
    const rows = Papa.parse<Record<string, string>>((await fs.readFile(out, 'utf8')).trim(), { header: true }).data;
    expect(rows.map((r) => Number(r.ts_ms) - T0)).toEqual([50, 150, 250, 350, 450, 550]);
    // Speed's first sample in range is at 100 ms; Gauge's at 250 ms: empty before, held after.
    expect(rows.map((r) => r['Speed [m/min]'])).toEqual(['', '101', '102', '103', '104', '105']);
    expect(rows.map((r) => r['Gauge [mm]'])).toEqual(['', '', '2.025', '2.025', '2.025', '2.05']);
  });

  it('JSON: per-signal arrays and annotations, checked against a schema', async () => {
    const out = path.join(ws, 'out', 'x.json');
    await runExport({ source, signals: ['Gauge'], format: 'json', out }, { annotations: async () => notes });
    const doc = z
      .object({
        format: z.literal('parx-export'),
        version: z.literal(1),
        source: z.string(),
        from: z.string(),
        to: z.string(),
        resampleMs: z.null(),
        signals: z.array(z.object({ name: z.string(), unit: z.string(), samples: z.number(), ts: z.array(z.number()), value: z.array(z.number().nullable()), quality: z.array(z.number()) })),
        annotations: z.array(z.object({ text: z.string() })),
      })
      .parse(JSON.parse(await fs.readFile(out, 'utf8')));
    expect(doc.signals[0]).toMatchObject({ name: 'Gauge', unit: 'mm', samples: 21 });
    expect(doc.signals[0]?.ts[1]).toBe(T0 + 250);
    expect(doc.signals[0]?.value[20]).toBeCloseTo(2.5);
    expect(doc.annotations[0]?.text).toBe('weld, "seam" 1');
    expect(doc.from).toBe(new Date(T0).toISOString());
  });

  it('XLSX: data, signals and annotations sheets — read back with Python openpyxl', async () => {
    const out = path.join(ws, 'out', 'x.xlsx');
    await runExport({ source, signals: ['Speed', 'Gauge'], from: T0, to: T0 + 500, format: 'xlsx', out, resampleMs: 250 }, { annotations: async () => notes });
    const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for ws in wb.worksheets:
    out[ws.title] = [[c.isoformat() if hasattr(c, 'isoformat') else c for c in row] for row in ws.iter_rows(values_only=True)]
print(json.dumps(out))`;
    const sheets = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, out], { encoding: 'utf8' })) as Record<string, unknown[][]>;
    expect(Object.keys(sheets)).toEqual(['Data', 'Signals', 'Annotations']);
    expect(sheets.Data?.[0]).toEqual(['Time (UTC)', 'ts_ms', 'Speed [m/min]', 'Gauge [mm]']);
    expect(sheets.Data?.slice(1)).toEqual([
      ['2026-03-29T06:00:00', T0, 100, 2],
      ['2026-03-29T06:00:00.250000', T0 + 250, 102, 2.025],
      ['2026-03-29T06:00:00.500000', T0 + 500, 105, 2.05],
    ]);
    expect(sheets.Annotations?.[1]?.[6]).toBe('weld, "seam" 1');
  });

  it('Parquet: a ParX batch file with parx.annotations — read back with hyparquet and parquet-wasm', async () => {
    const out = path.join(ws, 'out', 'x.parquet');
    const r = await runExport({ source, signals: ['Speed', 'Gauge'], from: T0, to: T0 + 1000, format: 'parquet', out }, { annotations: async () => notes });
    expect(r.samples).toBe(11 + 5);
    const h = await readWithHyparquet(out);
    expect(h.meta['parx.format_version']).toBe('1');
    expect(JSON.parse(h.meta['parx.annotations'] ?? '[]')).toMatchObject([{ text: 'weld, "seam" 1', author: 'Anna' }]);
    expect(h.rows.filter((x) => x.signal === 'Gauge').map((x) => x.value)).toEqual([2, 2.025, 2.05, 2.075, 2.1]);
    const w = await readWithParquetWasm(out, { ts: 'i64', signal: 'utf8', value: 'f64', quality: 'u8' });
    expect(w.numRows).toBe(16);
    expect(w.columns.signal?.filter((s) => s === 'Speed')).toHaveLength(11);
    expect(w.meta['parx.annotations']).toBe(h.meta['parx.annotations']);
    // It is a source itself: exporting from the export gives the same samples.
    const again = await runExport({ source: out, signals: ['Gauge'], format: 'json', out: path.join(ws, 'out', 'again.json') });
    expect(again.samples).toBe(5);
  });

  it('cancel removes the partial file and leaves an existing target untouched', async () => {
    const out = path.join(ws, 'out', 'cancel.csv');
    await fs.writeFile(out, 'previous export');
    const ac = new AbortController();
    ac.abort();
    await expect(runExport({ source, signals: ['Speed'], format: 'csv', out, resampleMs: 1 }, { signal: ac.signal })).rejects.toThrow(/cancelled/);
    expect(await fs.readFile(out, 'utf8')).toBe('previous export');
    expect(await fs.readdir(path.dirname(out))).not.toContain('cancel.csv.tmp');
  });

  it('says what is wrong with a bad source or signal', async () => {
    await expect(runExport({ source: path.join(ws, 'nope'), signals: ['Speed'], format: 'csv', out: path.join(ws, 'o.csv') })).rejects.toThrow(/does not exist/);
    await expect(runExport({ source, signals: ['Nope'], format: 'csv', out: path.join(ws, 'o.csv') })).rejects.toThrow(/no samples of Nope/);
    await expect(runExport({ source, signals: ['Speed'], batches: ['x'], format: 'csv', out: path.join(ws, 'o.csv') })).rejects.toThrow(/no batch x/);
  });

  it('leaves out a batch file cut short (a full disk) and names it; the rest exports', async () => {
    const folder = path.join(ws, 'with-cut-copy');
    await fs.cp(source, folder, { recursive: true });
    const whole = (await fs.readdir(folder, { recursive: true })).find((f) => f.endsWith('.parquet'))!;
    const bytes = await fs.readFile(path.join(folder, whole));
    await fs.writeFile(path.join(folder, 'cut-copy.parquet'), bytes.subarray(0, bytes.length >> 1));
    const out = path.join(ws, 'out', 'skipped.csv');
    const r = await runExport({ source: folder, signals: ['Speed'], format: 'csv', out });
    expect(r.rows).toBe(51);
    expect(r.skipped).toEqual([{ file: path.join(folder, 'cut-copy.parquet'), message: expect.stringMatching(/truncated or corrupt/) }]);
    // Nothing readable at all: a clear error, not an empty file.
    const only = path.join(ws, 'only-cut');
    await fs.mkdir(only);
    await fs.writeFile(path.join(only, 'cut.parquet'), bytes.subarray(0, 100));
    await expect(runExport({ source: only, signals: ['Speed'], format: 'csv', out })).rejects.toThrow(/no readable batch file: cut.parquet/);
  });
});
