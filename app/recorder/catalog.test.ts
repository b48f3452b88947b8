import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDB } from '../../native/duckdb';
import { tempDir } from '../testing/helpers';
import { BatchWriter } from './batch-writer';
import type { BatchFileInfo } from './batch-file';
import { CatalogHost } from './catalog-host';
import { queryRecordings } from './recordings-sql';
import { descriptor, polls, T0 } from './testing/samples';

async function writeBatches(recordings: string, specs: { id: string; coil: string; format?: 'parquet' | 'csv' | 'duckdb'; at: number }[]): Promise<BatchFileInfo[]> {
  const db = await openDuckDB();
  let seq = 0;
  const out: BatchFileInfo[] = [];
  try {
    for (const s of specs) {
      const w = await BatchWriter.open(db.connection, recordings, descriptor({ id: s.id, coil: s.coil, start: s.at, format: s.format ?? 'parquet' }), () => ++seq);
      await w.append(polls(100, s.at));
      out.push(await w.close({ closedBy: 'coil id changed', end: s.at + 2000 }));
    }
  } finally {
    db.close();
  }
  return out;
}

describe('catalog', () => {
  let host: CatalogHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('indexes batches as they close, with per-signal stats; lists newest first with filters and paging; SQL sees batches and signal_stats', async () => {
    const workspace = await tempDir('parx-cat-');
    const recordings = path.join(workspace, 'recordings');
    const infos = await writeBatches(recordings, [
      { id: 'b1', coil: 'C-4711', at: T0 },
      { id: 'b2', coil: 'C-4712', at: T0 + 60_000, format: 'csv' },
      { id: 'b3', coil: 'X-1', at: T0 + 120_000, format: 'duckdb' },
    ]);
    const file = path.join(workspace, 'catalog.duckdb');
    const started = await CatalogHost.start(file);
    host = started.host;
    expect(started.started.ok).toBe(true);
    for (const i of infos) expect((await host.add(i)).ok).toBe(true);

    const all = await host.list();
    expect(all.ok && all.value.total).toBe(3);
    expect(all.ok && all.value.batches.map((b) => [b.id, b.coil, b.format, b.status, b.rows, b.durationS])).toEqual([
      ['b3', 'X-1', 'duckdb', 'complete', 400, 2],
      ['b2', 'C-4712', 'csv', 'complete', 400, 2],
      ['b1', 'C-4711', 'parquet', 'complete', 400, 2],
    ]);
    const coil = await host.list({ coil: 'c-47' });
    expect(coil.ok && coil.value.batches.map((b) => b.id)).toEqual(['b2', 'b1']);
    const page = await host.list({ offset: 1, limit: 1 });
    expect(page.ok && [page.value.total, page.value.batches.map((b) => b.id)]).toEqual([3, ['b2']]);
    const range = await host.list({ from: T0 + 61_000, to: T0 + 121_000 });
    expect(range.ok && range.value.batches.map((b) => b.id)).toEqual(['b3', 'b2']);
    expect((await host.list({ line: 'Line 9' })).ok && (await host.list({ line: 'Line 9' }))).toMatchObject({ value: { total: 0 } });

    const one = await host.get('b1');
    expect(one.ok && one.value?.signals.find((s) => s.signal === 'Entry Tension')).toEqual({ signal: 'Entry Tension', count: 100, min: 2000, max: 2098, mean: 2049 });
    expect((await host.get('nope')).ok && (await host.get('nope'))).toMatchObject({ value: null });

    // parx query runs on the catalog file from another connection while the worker owns it.
    const q = await queryRecordings(recordings, "SELECT batch_id, format FROM batches WHERE coil_id LIKE 'C-%' ORDER BY start", { catalog: file });
    expect(q.rows).toEqual([
      { batch_id: 'b1', format: 'parquet' },
      { batch_id: 'b2', format: 'csv' },
    ]);
    const st = await queryRecordings(recordings, "SELECT count(DISTINCT file)::INTEGER AS n FROM signal_stats WHERE signal = 'Line Speed' AND max = 600", { catalog: file });
    expect(st.rows).toEqual([{ n: 3 }]);
  });

  it('reconciles with the folder at start: adds copied-in and recovered files of every format, drops entries whose file is gone', async () => {
    const workspace = await tempDir('parx-cat-');
    const recordings = path.join(workspace, 'recordings');
    const [a, b, c] = await writeBatches(recordings, [
      { id: 'a', coil: '1', at: T0 },
      { id: 'b', coil: '2', at: T0 + 10_000, format: 'csv' },
      { id: 'c', coil: '3', at: T0 + 20_000, format: 'duckdb' },
    ]);
    host = (await CatalogHost.start(path.join(workspace, 'catalog.duckdb'))).host;
    await host.add(a as BatchFileInfo);
    // A file the catalog knew that someone deleted, and a leftover .tmp that must not be indexed.
    await fs.writeFile(path.join(path.dirname(a?.file ?? ''), 'half.parquet.tmp'), 'x');
    await host.add({ ...(a as BatchFileInfo), id: 'gone', file: path.join(recordings, 'line=Line_1', 'date=2026-03-29', 'gone.parquet') });
    const r = await host.reconcile(recordings);
    expect(r.ok && r.value).toEqual({ added: [b?.file, c?.file].sort(), removed: [path.join(recordings, 'line=Line_1', 'date=2026-03-29', 'gone.parquet')], problems: [] });
    const list = await host.list();
    expect(list.ok && list.value.batches.map((x) => [x.id, x.coil, x.line, x.rows, x.start])).toEqual([
      ['c', '3', 'Line 1', 400, T0 + 20_000],
      // From a CSV only the folder layout and the rows are known: bad cells are no samples.
      ['b', '2', 'Line_1', 392, T0 + 10_000],
      ['a', '1', 'Line 1', 400, T0],
    ]);
    const cs = await host.get('b');
    expect(cs.ok && cs.value?.signals.find((s) => s.signal === 'Entry Tension')).toMatchObject({ count: 98, min: 2000, max: 2098, mean: 2049 });
    // Idempotent.
    const again = await host.reconcile(recordings);
    expect(again.ok && again.value).toEqual({ added: [], removed: [], problems: [] });
  });

  it('lists 1,000 batches in one call', async () => {
    const workspace = await tempDir('parx-cat-');
    host = (await CatalogHost.start(path.join(workspace, 'catalog.duckdb'))).host;
    const infos: BatchFileInfo[] = [];
    for (let i = 0; i < 1000; i++) {
      infos.push({ id: `b${i}`, file: path.join(workspace, `b${i}.parquet`), coil: `C${i}`, rows: 10, start: T0 + i * 60_000, end: T0 + i * 60_000 + 50_000, status: 'complete', bytes: 1000, line: 'L', signals: [{ signal: 's', count: 10, min: 0, max: i, mean: i / 2 }] });
    }
    expect((await host.addMany(infos)).ok).toBe(true);
    const list = await host.list({ limit: 1000 });
    expect(list.ok && list.value.total).toBe(1000);
    expect(list.ok && list.value.batches.length).toBe(1000);
    expect(list.ok && list.value.batches[0]?.id).toBe('b999');
  }, 60_000);
});
