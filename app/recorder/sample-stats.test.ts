import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDuckDB } from '../../native/duckdb';
import { ColumnAppender } from '../../native/duckdb-appender';
import { signalStats } from './batch-file';
import { STAGE_COLUMNS } from './copy-sql';
import { SampleStats } from './sample-stats';
import type { BatchDescriptor } from './format';

const descriptor = (ids: number[]): BatchDescriptor => ({
  id: 'b',
  line: 'L',
  coil: null,
  start: 0,
  openedBy: 'test',
  lengthIndex: null,
  compression: 'zstd',
  signals: ids.map((id) => ({ id, name: `S${id}`, unit: '', description: '', source: { connection: 'c', address: 'a' }, data_type: 'double' as const, scale: 1, offset: 0, timebase_ms: 10 })),
});

describe('SampleStats', () => {
  it('property: the figures gathered while appending equal what the close would compute in SQL', async () => {
    const db = await openDuckDB();
    try {
      let t = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              signal: fc.integer({ min: 0, max: 40 }),
              ts: fc.integer({ min: -1e6, max: 1e9 }),
              value: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(Number.NaN, Infinity, -Infinity)),
              quality: fc.integer({ min: 0, max: 3 }),
            }),
            { maxLength: 200 },
          ),
          fc.nat(5),
          async (rows, skip) => {
            const table = `s${++t}`;
            await db.connection.run(`CREATE TABLE ${table} (${STAGE_COLUMNS})`);
            const b = {
              signal: Uint32Array.from(rows, (r) => r.signal),
              ts: Float64Array.from(rows, (r) => r.ts),
              value: Float64Array.from(rows, (r) => r.value),
              quality: Uint8Array.from(rows, (r) => r.quality),
            };
            const from = Math.min(skip, rows.length);
            const sub = { signal: b.signal.subarray(from), ts: b.ts.subarray(from), value: b.value.subarray(from), quality: b.quality.subarray(from) };
            const app = await ColumnAppender.open(db.connection, table, ['double', 'uinteger', 'double', 'utinyint']);
            app.append([sub.ts, sub.signal, sub.value, sub.quality], sub.ts.length);
            app.close();
            const stats = new SampleStats();
            stats.add(b, from, rows.length);
            const d = descriptor([0, 1, 2, 3, 5, 8, 13]); // others are named #id
            const known = stats.result(d);
            const sql = await signalStats(db.connection, table, d);
            expect(known?.rows).toBe(rows.length - from);
            expect(known?.signals.map((s) => ({ ...s, mean: null }))).toEqual(sql.map((s) => ({ ...s, mean: null })));
            // Means may differ in the last bits (summation order).
            known?.signals.forEach((s, i) => {
              const m = sql[i]?.mean ?? null;
              if (m === null || s.mean === null) expect(s.mean).toBe(m);
              else expect(s.mean).toBeCloseTo(m, 6);
            });
            const kept = rows.slice(from);
            if (kept.length > 0) {
              expect(known?.minTs).toBe(Math.min(...kept.map((r) => r.ts)));
              expect(known?.maxTs).toBe(Math.max(...kept.map((r) => r.ts)));
            }
            await db.connection.run(`DROP TABLE ${table}`);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      db.close();
    }
  });

  it('gives up (the close asks SQL) on a signal id beyond what it tracks', () => {
    const s = new SampleStats();
    s.add({ signal: Uint32Array.of(1, 2 ** 21), ts: Float64Array.of(1, 2), value: Float64Array.of(1, 2), quality: Uint8Array.of(0, 0) }, 0, 2);
    expect(s.result(descriptor([1]))).toBeNull();
  });
});
