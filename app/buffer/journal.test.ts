import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SampleBatch } from '../shared/samples';
import { tempDir, waitFor } from '../testing/helpers';
import { SampleJournal } from './journal';
import { decodeRecord, encodeRecord } from './record';

const batch = (values: number[], t = 1000): SampleBatch => ({
  signal: Uint32Array.from(values, (_, i) => i % 7),
  ts: Float64Array.from(values, (_, i) => t + i),
  value: Float64Array.from(values),
  quality: new Uint8Array(values.length),
});

async function all(j: SampleJournal): Promise<number[]> {
  const out: number[] = [];
  for await (const { batch: b } of j.replay()) out.push(...b.value);
  return out;
}

describe('journal records', () => {
  it('round-trip, and anything else is refused, never mis-read', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 50 }), (values) => {
        const rec = encodeRecord(batch(values));
        const r = decodeRecord(rec, 0);
        expect(r.ok && Array.from(r.batch.value)).toEqual(values);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, at) => {
        const r = decodeRecord(Buffer.from(bytes), Math.min(at, bytes.length));
        expect(r.ok).toBe(false);
      }),
      { numRuns: 20_000 },
    );
    const rec = encodeRecord(batch([1, 2, 3]));
    rec.writeUInt8(rec.readUInt8(rec.length - 1) ^ 0xff, rec.length - 1);
    expect(decodeRecord(rec, 0)).toMatchObject({ ok: false, reason: 'checksum mismatch' });
  });
});

describe('SampleJournal', () => {
  let j: SampleJournal | undefined;
  afterEach(async () => {
    await j?.close();
    j = undefined;
  });

  it('replays what was appended, across segments and a reopen, and from a cursor', async () => {
    const dir = await tempDir();
    j = await SampleJournal.open(dir, { segmentBytes: 200, flushIntervalMs: 50 });
    for (let k = 0; k < 10; k++) {
      j.append(batch([k * 3, k * 3 + 1, k * 3 + 2]));
      await j.flush();
    }
    expect(j.stats().segments).toBeGreaterThan(2);
    await j.close();
    j = await SampleJournal.open(dir, { segmentBytes: 200, flushIntervalMs: 50 });
    expect(await all(j)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    let cursor;
    let seen = 0;
    for await (const r of j.replay()) {
      cursor = r.cursor;
      if (++seen === 4) break;
    }
    const rest: number[] = [];
    for await (const r of j.replay(cursor)) rest.push(...r.batch.value);
    expect(rest).toEqual(Array.from({ length: 18 }, (_, i) => i + 12));
  });

  it('counts the bytes a consumer at a cursor has still to read (its backlog), across segments, flushed or not', async () => {
    const dir = await tempDir();
    j = await SampleJournal.open(dir, { segmentBytes: 200, flushIntervalMs: 60_000 });
    const start = await j.end();
    for (let k = 0; k < 10; k++) {
      j.append(batch([k, k, k]));
      await j.flush();
    }
    const total = j.stats().bytes;
    expect(j.bytesAfter(start)).toBe(total);
    const cursors = [];
    for await (const r of j.replay()) cursors.push(r.cursor);
    expect(j.bytesAfter(cursors[cursors.length - 1]!)).toBe(0);
    // Each record read makes the backlog smaller, by the record's bytes (equal records: equal steps within a segment).
    const backlog = cursors.map((c) => j!.bytesAfter(c));
    for (let k = 1; k < backlog.length; k++) expect(backlog[k]).toBeLessThan(backlog[k - 1]!);
    expect(total - backlog[0]!).toBe(backlog[0]! - backlog[1]!);
    // Appended but not yet flushed counts too.
    j.append(batch([1, 2, 3]));
    expect(j.bytesAfter(cursors[cursors.length - 1]!)).toBeGreaterThan(0);
  });

  it('cuts a torn tail on open and keeps every whole record before it', async () => {
    const dir = await tempDir();
    j = await SampleJournal.open(dir, { flushIntervalMs: 50 });
    j.append(batch([1, 2]));
    j.append(batch([3, 4]));
    await j.close();
    const [seg] = (await fs.readdir(dir)).filter((n) => n.endsWith('.pxb')).sort();
    const file = path.join(dir, seg as string);
    await fs.appendFile(file, Buffer.from([0x58, 0x50, 0x42, 0x31, 9, 0, 0, 0, 1, 2]));
    j = await SampleJournal.open(dir, { flushIntervalMs: 50 });
    expect(j.stats().truncatedBytes).toBe(10);
    expect(await all(j)).toEqual([1, 2, 3, 4]);
  });

  it('when full, drops the oldest segments and keeps the newest data', async () => {
    const dir = await tempDir();
    j = await SampleJournal.open(dir, { segmentBytes: 300, maxBytes: 1000, flushIntervalMs: 50 });
    for (let k = 0; k < 40; k++) {
      j.append(batch([k]));
      await j.flush();
    }
    const values = await all(j);
    expect(j.stats().droppedSegments).toBeGreaterThan(0);
    expect(j.stats().bytes).toBeLessThanOrEqual(1000 + 300);
    expect(values.at(-1)).toBe(39);
    expect(values).toEqual(Array.from({ length: values.length }, (_, i) => 40 - values.length + i));
  });

  it('kill -9 while writing 100,000 samples/s: everything acknowledged before the kill is there', async () => {
    const dir = await tempDir();
    const fixture = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
    // One process (tsx as a loader, not its CLI, which would fork a second one that SIGKILL misses).
    const loader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const child = spawn(process.execPath, ['--import', loader, fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => (out.match(/ACK/g)?.length ?? 0) >= 6, 'six acknowledged flushes', 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const acked = Math.max(...[...out.matchAll(/ACK (\d+)/g)].map((m) => Number(m[1])));
    j = await SampleJournal.open(dir, { segmentBytes: 512 * 1024 });
    const values = await all(j);
    expect(values.length).toBeGreaterThan(acked);
    // Contiguous from 0: nothing lost in the middle, nothing garbled at the torn end.
    for (let i = 0; i < values.length; i += 997) expect(values[i]).toBe(i);
    expect(values[acked]).toBe(acked);
    expect(values.at(-1)).toBe(values.length - 1);
  }, 60_000);
});

describe('SampleJournal replay from memory', () => {
  it('a flush of several blocks, one record larger than a block, replays whole from memory and from the file', async () => {
    const dir = await tempDir();
    const sizes = [300_000, 300_000, 500_000, 10, 300_000]; // 6.3 MB records share no 8 MB block; 10.5 MB gets its own
    const batches = sizes.map((n, k) => batch(Array.from({ length: n }, (_, i) => k * 1e6 + i)));
    const expected = batches.flatMap((b) => Array.from(b.value));
    const j = await SampleJournal.open(dir, { flushIntervalMs: 60_000 });
    try {
      for (const b of batches) j.append(b);
      await j.flush();
      const cursors: number[] = [];
      const seen: number[] = [];
      for await (const r of j.replay()) {
        for (const v of r.batch.value) seen.push(v);
        cursors.push(r.cursor.offset);
      }
      expect(seen).toEqual(expected);
      expect(cursors.at(-1)).toBe(j.stats().bytes);
    } finally {
      await j.close();
    }
    const cold = await SampleJournal.open(dir, { flushIntervalMs: 60_000 });
    try {
      const fromFile: number[] = [];
      for await (const r of cold.replay()) for (const v of r.batch.value) fromFile.push(v);
      expect(fromFile).toEqual(expected);
    } finally {
      await cold.close();
    }
  });

  it('a reader part-way through a chunk whose memory a later flush takes over goes on from the file: nothing lost, nothing garbled', async () => {
    const dir = await tempDir();
    // Room for two flushes of four 64-byte records: the third evicts the first and reuses its buffer.
    const j = await SampleJournal.open(dir, { flushIntervalMs: 60_000, memoryBytes: 600 });
    try {
      const flushOf = async (f: number): Promise<void> => {
        for (let k = 0; k < 4; k++) j.append(batch([f * 100 + k * 2, f * 100 + k * 2 + 1]));
        await j.flush();
      };
      await flushOf(0);
      const reader = j.replay();
      const first = await reader.next();
      expect(first.done === false && Array.from(first.value.batch.value)).toEqual([0, 1]);
      for (let f = 1; f <= 4; f++) await flushOf(f);
      const rest: number[] = [];
      for await (const r of reader) rest.push(...r.batch.value);
      const expected = [0, 1, 2, 3, 4].flatMap((f) => [0, 1, 2, 3].flatMap((k) => [f * 100 + k * 2, f * 100 + k * 2 + 1]));
      expect([0, 1, ...rest]).toEqual(expected);
    } finally {
      await j.close();
    }
  });

  it('property: a consumer served from the flushed records in memory sees exactly what the files hold, whatever the memory bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 12 }),
        // After each append: read nothing (0), or at most this many records (a cursor may stop inside a flushed chunk).
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 2000 }),
        async (batches, readAfter, memoryBytes) => {
          const dir = await tempDir();
          const live = await SampleJournal.open(dir, { segmentBytes: 300, flushIntervalMs: 60_000, memoryBytes });
          const seen: number[] = [];
          const cursors: { segment: number; offset: number }[] = [];
          let cursor = await live.end();
          const read = async (limit = Infinity): Promise<void> => {
            let n = 0;
            for await (const r of live.replay(cursor)) {
              if (n++ >= limit) break;
              seen.push(...r.batch.value);
              cursor = r.cursor;
              cursors.push(r.cursor);
            }
          };
          for (const [k, values] of batches.entries()) {
            live.append(batch(values));
            // Sometimes two appends land in one flush, so a chunk holds several records.
            if (k % 3 === 1) await live.flush();
            if (readAfter[k]) await read(readAfter[k]);
          }
          await read();
          await live.close();
          expect(seen).toEqual(batches.flat());
          // The same journal reopened (nothing in memory): every cursor handed out resumes at the same place.
          const cold = await SampleJournal.open(dir, { flushIntervalMs: 60_000 });
          try {
            for (const [i, c] of cursors.entries()) {
              const rest: number[] = [];
              for await (const r of cold.replay(c)) rest.push(...r.batch.value);
              const before = seen.length - rest.length;
              expect(rest).toEqual(seen.slice(before));
              expect(before).toBeGreaterThanOrEqual(i + 1);
            }
          } finally {
            await cold.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
