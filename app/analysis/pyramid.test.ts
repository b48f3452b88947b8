/**
 * The pyramid against the raw samples, over Parquet files written by DuckDB and the pyramid
 * built by its one-scan query: where buckets align with pixel columns each column's min, max,
 * gap and worst quality equal the raw M4's; anywhere, every point drawn is a real sample and
 * no column's extremes exceed the true ones. Plus the sidecar round trip and the store.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../native/duckdb';
import { queryDoubleColumns } from '../../native/duckdb-columns';
import { tempDir } from '../testing/helpers';
import { m4, type Decimated, type Trace } from './m4';
import { m4Pyramid, partFor, type FilePyramid, type PyramidPart } from './pyramid';
import { blockSize, decodeBlock, decodeHead, encodePyramid } from './pyramid-file';
import { buildFilePyramid, PyramidStore } from './pyramid-store';

let db: { connection: DuckDBConnection; close(): void };
let dir: string;
let n = 0;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  db = await openDuckDB();
  dir = await tempDir('parx-pyramid-');
});
afterAll(() => db.close());

interface Sig {
  ts: number[];
  value: number[];
  quality: number[];
}

/** Writes signals (named S0, S1, …) sorted by signal then time, as the batch format does. */
async function writeFile(signals: Sig[]): Promise<string> {
  const file = path.join(dir, `f${n++}.parquet`);
  const rows: string[] = [];
  signals.forEach((s, k) =>
    s.ts.forEach((t, i) => {
      const v = s.value[i]!;
      rows.push(`(make_timestamptz(${t * 1000}), 'S${k}', ${Number.isNaN(v) ? `'NaN'::DOUBLE` : v}, ${s.quality[i]})`);
    }),
  );
  await db.connection.run(`COPY (SELECT * FROM (VALUES ${rows.join(', ')}) v(ts, signal, value, quality) ORDER BY signal, ts) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
  return file;
}

async function rawTrace(file: string, signal: string): Promise<Trace> {
  const [x, value, quality] = await queryDoubleColumns(db.connection, `SELECT epoch_us(ts) / 1000.0, coalesce(value, 'NaN'::DOUBLE), quality::DOUBLE FROM read_parquet('${file}') WHERE signal = '${signal}' ORDER BY ts`);
  return { x: x!, value: value!, quality: Uint8Array.from(quality!) };
}

/** Per pixel column (points inside [from, to] only): min, max of finite values, a gap, worst quality. */
function columns(d: Decimated, from: number, to: number, px: number): Map<number, { min: number; max: number; gap: boolean; worst: number }> {
  const w = (to - from) / px;
  const out = new Map<number, { min: number; max: number; gap: boolean; worst: number }>();
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i]!;
    if (x < from || x > to) continue;
    const b = Math.min(px - 1, Math.floor((x - from) / w));
    const c = out.get(b) ?? { min: Infinity, max: -Infinity, gap: false, worst: 0 };
    const v = d.value[i]!;
    if (Number.isFinite(v)) {
      c.min = Math.min(c.min, v);
      c.max = Math.max(c.max, v);
    } else c.gap = true;
    c.worst = Math.max(c.worst, d.quality[i]!);
    out.set(b, c);
  }
  return out;
}

const sigArb = (count: fc.Arbitrary<number>, irregular: boolean): fc.Arbitrary<Sig> =>
  count.chain((len) =>
    fc.record({
      ts: irregular ? fc.array(fc.integer({ min: 1, max: 50 }), { minLength: len, maxLength: len }).map((d) => d.reduce<number[]>((a, x) => [...a, (a.at(-1) ?? T0) + x], [])) : fc.constant(Array.from({ length: len }, (_, i) => T0 + i * 10)),
      value: fc.array(fc.oneof({ weight: 20, arbitrary: fc.integer({ min: -1000, max: 1000 }).map((v) => v / 10) }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: len, maxLength: len }),
      quality: fc.array(fc.oneof({ weight: 30, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }), { minLength: len, maxLength: len }),
    }),
  );

function parts(p: FilePyramid, signal: string, width: number): PyramidPart[] {
  const part = partFor(p, signal, width);
  expect(part).not.toBe(null);
  return part && part !== 'none' ? [part] : [];
}

describe('pyramid', () => {
  it('equals the raw M4 per pixel column where buckets align with columns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sigArb(fc.integer({ min: 1, max: 6 }).map((k) => k * 256), false), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 2, 3, 5, 7, 8, 16),
        fc.nat(),
        fc.nat(),
        async (signals, m, a0, k0) => {
          const file = await writeFile(signals);
          const pyr = await buildFilePyramid(db.connection, file, signals.map((_, k) => `S${k}`));
          const k = k0 % signals.length;
          const raw = await rawTrace(file, `S${k}`);
          const w = 320 * m;
          const buckets = Math.floor(raw.x.length / (32 * m));
          if (buckets < 1) return;
          const a = a0 % buckets;
          const px = Math.max(1, buckets - a);
          const from = T0 + a * w;
          const to = from + px * w;
          const got = m4Pyramid(parts(pyr, `S${k}`, w), from, to, px);
          expect(got).not.toBe(null);
          const want = m4(raw, from, to, px);
          const mine = columns(got!, from, to, px);
          const theirs = columns(want, from, to, px);
          // The bucket starting at `to` adds one sample to the last column, but lends it its
          // whole worst quality: quality may only come out worse, never better.
          for (const [b, c] of theirs) expect(mine.get(b)?.worst).toBeGreaterThanOrEqual(c.worst);
          for (const c of [...mine.values(), ...theirs.values()]) c.worst = 0;
          expect(mine).toEqual(theirs);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('draws only real samples and never exceeds a column’s true extremes, at any range', async () => {
    await fc.assert(
      fc.asyncProperty(sigArb(fc.integer({ min: 200, max: 3000 }), true), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 }), async (sig, u, v, px) => {
        const file = await writeFile([sig]);
        const pyr = await buildFilePyramid(db.connection, file, ['S0']);
        const raw = await rawTrace(file, 'S0');
        const first = raw.x[0]!;
        const span = raw.x[raw.x.length - 1]! - first;
        const from = first + Math.min(u, v) * span;
        const to = Math.max(from + 1, first + Math.max(u, v) * span);
        const part = partFor(pyr, 'S0', (to - from) / px);
        if (part === null || part === 'none') return;
        const got = m4Pyramid([part], from, to, px);
        if (!got) return;
        const at = new Map<number, number[]>();
        raw.x.forEach((x, i) => at.set(x, [...(at.get(x) ?? []), raw.value[i]!]));
        for (let i = 0; i < got.x.length; i++) {
          const vals = at.get(got.x[i]!);
          expect(vals, `point at ${got.x[i]} is a sample`).toBeDefined();
          expect(vals!.some((x) => Object.is(x, got.value[i]!))).toBe(true);
        }
        const truth = columns(m4(raw, from, to, px), from, to, px);
        for (const [b, c] of columns(got, from, to, px)) {
          const t = truth.get(b)!;
          expect(c.min).toBeGreaterThanOrEqual(t.min);
          expect(c.max).toBeLessThanOrEqual(t.max);
          expect(c.worst).toBeGreaterThanOrEqual(t.worst);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('marks a signal whose rows are out of time order, so it is answered from raw samples', async () => {
    const file = path.join(dir, 'unsorted.parquet');
    await db.connection.run(`COPY (SELECT make_timestamptz(${T0 * 1000} + (CASE WHEN i < 100 THEN 1000 - i ELSE i END) * 10000) AS ts, 'S0' AS signal, i::DOUBLE AS value, 0::UTINYINT AS quality FROM range(200) r(i)) TO '${file}' (FORMAT parquet)`);
    const pyr = await buildFilePyramid(db.connection, file, ['S0', 'Missing']);
    expect(pyr.unsorted).toEqual(['S0']);
    expect(partFor(pyr, 'S0', 1e9)).toBe(null);
    expect(partFor(pyr, 'Nope', 1e9)).toBe('none');
  });

  it('round-trips through the sidecar, and the store answers from a saved one', async () => {
    const sig = { ts: Array.from({ length: 5000 }, (_, i) => T0 + i * 10), value: Array.from({ length: 5000 }, (_, i) => Math.sin(i / 100)), quality: Array.from({ length: 5000 }, (_, i) => (i === 777 ? 3 : 0)) };
    const file = await writeFile([sig, sig]);
    const pyr = await buildFilePyramid(db.connection, file, ['S0', 'S1']);
    const bytes = encodePyramid(pyr);
    const head = decodeHead(bytes, bytes.length);
    if (typeof head === 'number') throw new Error('head not decoded');
    expect(head.signals).toEqual(pyr.signals);
    expect(head.bytes).toBe(bytes.length);
    expect(head.levels.map((l) => [l.size, [...l.offsets], [...l.span]])).toEqual(pyr.levels.map((l) => [l.size, [...l.offsets], [...l.span]]));
    // Every (level, signal) block holds exactly that signal's buckets.
    pyr.levels.forEach((l, L) =>
      [0, 1].forEach((s) => {
        const { pos, n } = head.blocks[L]![s]!;
        const back = decodeBlock(bytes.slice(pos, pos + blockSize(n)), n, l.size);
        const a = l.offsets[s]!;
        for (const k of ['t0', 'min', 'maxTs', 'gapTs', 'count', 'worst'] as const) expect([...back[k]]).toEqual([...l[k].subarray(a, a + n)]);
      }),
    );
    expect(decodeHead(bytes.slice(0, 20), bytes.length)).toBeGreaterThan(20);
    for (const cut of [100, bytes.length - 8]) expect(() => decodeHead(bytes, cut)).toThrow(/truncated/);

    const side = path.join(dir, 'sidecars');
    const batch = { path: file, start: T0, end: T0 + 49_990, signals: [{ name: 'S0' }, { name: 'S1' }] };
    const store = new PyramidStore(side);
    // Not built yet: the query is answered from raw samples (null here), the build starts.
    expect(await store.answer([batch], 'S1', T0, T0 + 49_990, 100)).toBe(null);
    const stats = await store.idle();
    expect(stats.built).toBe(1);
    expect((await fs.readdir(side)).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    const direct = m4Pyramid(parts(pyr, 'S1', 499.9), T0, T0 + 49_990, 100)!;
    expect(await store.answer([batch], 'S1', T0, T0 + 49_990, 100)).toEqual(direct);
    expect([...direct.quality].some((q) => q === 3)).toBe(true);
    store.close();

    const again = new PyramidStore(side);
    expect(await again.answer([batch], 'S1', T0, T0 + 49_990, 100)).toEqual(direct);
    expect((await again.idle()).loaded).toBe(1);
    // Pixels narrower than the finest buckets: raw samples.
    expect(await again.answer([batch], 'S1', T0, T0 + 1000, 100)).toBe(null);
    expect(await new PyramidStore(null).answer([batch], 'S1', T0, T0 + 49_990, 100)).toBe(null);
  });
});
