import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/helpers';
import { readWithHyparquet } from '../../recorder/testing/readers';
import { openDuckDB } from '../../../native/duckdb';
import { importFile, inspectFile } from './import';

async function csv(dir: string, name: string, text: string): Promise<string> {
  const f = path.join(dir, name);
  await fs.writeFile(f, text);
  return f;
}

const T0 = Date.UTC(2026, 2, 29, 6, 0, 0);

describe('foreign CSV', () => {
  it('proposes a wide mapping with units from the header and imports it as a ParX batch file', async () => {
    const dir = await tempDir();
    const lines = ['Time,Speed [m/min],Tension (kN),Operator'];
    for (let i = 0; i < 100; i++) lines.push(`${new Date(T0 + i * 100).toISOString()},${100 + i},${(i * 0.5).toFixed(1)},Anna`);
    const f = await csv(dir, 'line3.csv', `${lines.join('\n')}\n`);
    const inspected = await inspectFile(f);
    expect(inspected.mapping).toMatchObject({ layout: 'wide', time: 'Time', timeUnit: 'iso' });
    expect(inspected.mapping.signals).toEqual([
      { column: 'Speed [m/min]', name: 'Speed', unit: 'm/min' },
      { column: 'Tension (kN)', name: 'Tension', unit: 'kN' },
    ]);
    expect(inspected.rows).toBe(100);
    expect(inspected.notes.join(' ')).toMatch(/Operator/);
    const report = await importFile(f, inspected.mapping, { workspace: dir });
    expect(report.folder).toBe(path.join(dir, 'imports', 'line3'));
    expect(report).toMatchObject({ rows: 100, samples: 200, skippedRows: 0, duplicateTimestamps: 0, backwardSteps: 0, start: T0, end: T0 + 9900 });
    const back = await readWithHyparquet(report.file);
    expect(back.meta['parx.format_version']).toBe('1');
    expect(JSON.parse(back.meta['parx.signals'] ?? '[]')).toMatchObject([
      { name: 'Speed', unit: 'm/min' },
      { name: 'Tension', unit: 'kN' },
    ]);
    expect(back.rows).toHaveLength(200);
    // Sorted by signal, then time, like every batch file.
    expect(back.rows.slice(0, 3).map((r) => [r.signal, r.value])).toEqual([
      ['Speed', 100],
      ['Speed', 101],
      ['Speed', 102],
    ]);
    // A second import of the same name does not overwrite the first.
    const again = await importFile(f, inspected.mapping, { workspace: dir });
    expect(again.folder).toBe(path.join(dir, 'imports', 'line3-2'));
  });

  it('skips bad rows, counts them with line numbers, keeps duplicates and sorts time going backwards', async () => {
    const dir = await tempDir();
    const text = [
      'timestamp;speed;tension',
      '2026-03-29 06:00:00.000;1,5;10',
      '2026-03-29 06:00:01.000;2,5;11',
      'not a time;3;12',
      '2026-03-29 06:00:01.000;4;13',
      '2026-03-29 06:00:00.500;abc;14',
      '2026-03-29 06:00:00.250;5',
      '2026-03-29 06:00:00.750;6;15',
    ].join('\r\n');
    const f = await csv(dir, 'messy.csv', text);
    const inspected = await inspectFile(f);
    expect(inspected.mapping.time).toBe('timestamp');
    const report = await importFile(f, inspected.mapping, { workspace: dir, name: 'messy' });
    expect(report.skippedRows).toBe(3);
    expect(report.firstSkipped.map((s) => s.line)).toEqual([4, 6, 7]);
    expect(report.firstSkipped[0]?.reason).toMatch(/not a time/);
    expect(report.firstSkipped[1]?.reason).toMatch(/"abc" in column speed/);
    expect(report.duplicateTimestamps).toBe(1);
    expect(report.backwardSteps).toBe(1);
    const rows = (await readWithHyparquet(report.file)).rows.filter((r) => r.signal === 'speed');
    expect(rows.map((r) => r.value)).toEqual([1.5, 6, 2.5, 4]);
  });

  it('long layout: a name column and a value column', async () => {
    const dir = await tempDir();
    const lines = ['ts_ms,tag,value,unit'];
    for (let i = 0; i < 10; i++) lines.push(`${T0 + i * 1000},Speed,${i},m/min`, `${T0 + i * 1000},Gauge,${i / 10},mm`);
    const f = await csv(dir, 'long.csv', lines.join('\n'));
    const inspected = await inspectFile(f);
    expect(inspected.mapping).toMatchObject({ layout: 'long', time: 'ts_ms', timeUnit: 'ms', long: { name: 'tag', value: 'value', unit: 'unit' } });
    const report = await importFile(f, inspected.mapping, { workspace: dir });
    expect(report.signals).toEqual([
      { name: 'Speed', unit: 'm/min', samples: 10 },
      { name: 'Gauge', unit: 'mm', samples: 10 },
    ]);
  });

  it('says so when there is no time column, or no rows', async () => {
    const dir = await tempDir();
    const noTime = await csv(dir, 'notime.csv', 'a,b\n1,2\n3,4\n');
    const i1 = await inspectFile(noTime);
    expect(i1.mapping.time).toBeNull();
    expect(i1.notes.join(' ')).toMatch(/choose the time column/);
    await expect(importFile(noTime, i1.mapping, { workspace: dir })).rejects.toThrow(/no time column/);
    const empty = await csv(dir, 'empty.csv', 'time,a\n');
    const i2 = await inspectFile(empty);
    expect(i2.rows).toBe(0);
    expect(i2.notes[0]).toMatch(/no rows/);
    await expect(importFile(empty, i2.mapping, { workspace: dir })).rejects.toThrow(/no data rows/);
    await expect(inspectFile(await csv(dir, 'zero.csv', ''))).rejects.toThrow(/empty \(0 bytes\)/);
    await expect(fs.readdir(path.join(dir, 'imports')).catch(() => [])).resolves.toEqual([]);
  });
});

describe('foreign Parquet', () => {
  async function writeParquet(file: string, rows: number): Promise<void> {
    const db = await openDuckDB(':memory:');
    try {
      await db.connection.run(
        `COPY (SELECT make_timestamptz(${T0 * 1000}::BIGINT + i * 10000) AS sample_time, i::INTEGER AS counter, sin(i / 10.0) AS "Wave [V]" FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`,
      );
    } finally {
      db.close();
    }
  }

  it('maps a TIMESTAMP column and numeric columns, and imports them', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'plant.parquet');
    await writeParquet(f, 5000);
    const inspected = await inspectFile(f);
    expect(inspected).toMatchObject({ format: 'parquet', parx: false, rows: 5000, mapping: { time: 'sample_time', layout: 'wide' } });
    expect(inspected.mapping.signals.map((s) => [s.name, s.unit])).toEqual([
      ['counter', ''],
      ['Wave', 'V'],
    ]);
    const report = await importFile(f, inspected.mapping, { workspace: dir });
    expect(report).toMatchObject({ rows: 5000, samples: 10000, start: T0, end: T0 + 4999 * 10 });
  });

  it('a truncated Parquet file gets a clear message and leaves nothing behind', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'cut.parquet');
    await writeParquet(f, 5000);
    const bytes = await fs.readFile(f);
    await fs.writeFile(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(inspectFile(f)).rejects.toThrow(/cut\.parquet is not a readable Parquet file — it looks truncated or corrupt/);
    await fs.writeFile(f, 'PAR1 this is not parquet at all PAR1');
    await expect(inspectFile(f)).rejects.toThrow(/not a readable Parquet file/);
  });
});
