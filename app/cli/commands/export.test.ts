import fs from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../testing/helpers';
import { importFile, inspectFile } from '../../analysis/files/import';
import { AnnotationStore } from '../../analysis/annotations/store';
import { main } from '../main';
import { parseTime } from './export';

describe('parx export', () => {
  it('parses ISO-8601 and ms epoch times', () => {
    expect(parseTime('2026-03-29T06:00:00Z', '--from')).toBe(Date.UTC(2026, 2, 29, 6));
    expect(parseTime('2026-03-29 06:00:01', '--from')).toBe(Date.UTC(2026, 2, 29, 6, 0, 1));
    expect(parseTime('1774764000000', '--to')).toBe(1774764000000);
    expect(() => parseTime('yesterday', '--to')).toThrow(/neither an ISO-8601 time/);
  });

  it('exports a range of two signals to CSV with the workspace annotations', async () => {
    const ws = await tempDir();
    const lines = ['time,a,b'];
    for (let i = 0; i < 50; i++) lines.push(`${new Date(Date.UTC(2026, 2, 29, 6) + i * 1000).toISOString()},${i},${-i}`);
    await fs.writeFile(path.join(ws, 'in.csv'), lines.join('\n'));
    const { folder } = await importFile(path.join(ws, 'in.csv'), (await inspectFile(path.join(ws, 'in.csv'))).mapping, { workspace: ws });
    await new AnnotationStore(ws).add({ source: folder, batchId: null, axis: 'time', from: Date.UTC(2026, 2, 29, 6, 0, 12), to: Date.UTC(2026, 2, 29, 6, 0, 13), text: 'spike' });
    const out = path.join(ws, 'out.csv');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['export', folder, '--signals', 'a,b', '--from', '2026-03-29T06:00:10Z', '--to', String(Date.UTC(2026, 2, 29, 6, 0, 19)), '--format', 'csv', '--out', out, '--workspace', ws]);
    write.mockRestore();
    expect(code).toBe(0);
    const [data, notes] = (await fs.readFile(out, 'utf8')).split('# annotations');
    const rows = Papa.parse<Record<string, string>>((data ?? '').trim(), { header: true }).data;
    expect(rows.map((r) => r.a)).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19']);
    expect(rows.map((r) => r.b)[0]).toBe('-10');
    expect(notes).toContain('spike');
  });

  it('refuses bad options with a one-line message', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['export', 'x', '--format', 'csv', '--out', 'o.csv'])).toBe(2);
    expect(await main(['export', 'x', '--signals', 'a', '--format', 'pdf', '--out', 'o.pdf'])).toBe(2);
    const said = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    expect(said).toMatch(/--signals is required/);
    expect(said).toMatch(/--format must be csv, xlsx, json or parquet/);
  });
});
