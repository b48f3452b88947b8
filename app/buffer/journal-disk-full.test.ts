/**
 * The disk buffer on a full disk (a real 1 MB tmpfs; needs root, skips elsewhere saying why):
 * failed flushes are said once, counted, cut back so later records land where positions say,
 * and the journal writes again when space returns (said once more, after it has for 2 s).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SampleBatch } from '../shared/samples';
import { releaseSmallDisk, smallDisk } from '../testing/small-disk';
import { SampleJournal } from './journal';

const disk = await smallDisk(1024 * 1024);
if (disk.reason) console.warn(disk.reason);

/** n samples whose values are k·1e6 + i: each flush's samples are told apart. */
const batchOf = (k: number, n = 10_000): SampleBatch => ({
  signal: new Uint32Array(n),
  ts: Float64Array.from({ length: n }, (_, i) => 1000 + i),
  value: Float64Array.from({ length: n }, (_, i) => k * 1e6 + i),
  quality: new Uint8Array(n),
});

describe.skipIf(!disk.dir)('SampleJournal on a full disk', () => {
  afterAll(() => {
    if (disk.dir) releaseSmallDisk(disk.dir);
  });

  it('says so once, counts the lost samples, cuts a part-written flush back, and writes again when space returns', async () => {
    const filler = path.join(disk.dir!, 'filler');
    await fs.writeFile(filler, Buffer.alloc(300_000, 1));
    const errors: string[] = [];
    const j = await SampleJournal.open(path.join(disk.dir!, 'buffer'), { flushIntervalMs: 60_000 }, (m) => errors.push(m));
    const kept: number[] = [];
    let k = 0;
    try {
      // 210 kB a flush: the disk fills within a few.
      for (; k < 20 && !j.stats().failing; k++) {
        j.append(batchOf(k));
        await j.flush();
        if (!j.stats().failing) kept.push(k);
      }
      expect(j.stats().failing).toMatchObject({ message: expect.stringMatching(/ENOSPC|no space|and no more/i) });
      for (let more = 0; more < 3; more++, k++) {
        j.append(batchOf(k));
        await j.flush();
      }
      const lost = j.stats().lostSamples;
      expect(lost).toBe((k - kept.length) * 10_000);
      expect(errors.filter((m) => m.includes('samples are lost until it can write again'))).toHaveLength(1);
      expect(errors).toHaveLength(1);

      // Space returns: it counts as writing again once flushes have written for a while (no flapping at the edge of full).
      await fs.rm(filler);
      for (const until = Date.now() + 10_000; j.stats().failing && Date.now() < until; k++) {
        j.append(batchOf(k, 500)); // 10 kB: the 300 kB freed hold these 2 s
        await j.flush();
        if (j.stats().lostSamples === lost) kept.push(k);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(j.stats().failing).toBeNull();
      expect(j.stats().lostSamples).toBe(lost);
      expect(kept.length).toBeGreaterThan(3);
      expect(errors).toHaveLength(2);
      expect(errors[1]).toMatch(new RegExp(`writes again after ${lost / 10_000} failed flushes .*: ${lost} samples were lost`));

      // What was written reads back whole and in order: nothing garbled by the part-written flushes.
      const flushes: number[] = [];
      for await (const r of j.replay()) {
        const first = r.batch.value[0] as number;
        expect(Array.from(r.batch.value)).toEqual(Array.from(batchOf(Math.floor(first / 1e6), r.batch.value.length).value));
        flushes.push(Math.floor(first / 1e6));
      }
      expect(flushes).toEqual(kept);
    } finally {
      await j.close();
    }
    // And from the files alone, as after a restart.
    const cold = await SampleJournal.open(path.join(disk.dir!, 'buffer'), { flushIntervalMs: 60_000 });
    try {
      const flushes: number[] = [];
      for await (const r of cold.replay()) flushes.push(Math.floor((r.batch.value[0] as number) / 1e6));
      expect(flushes).toEqual(kept);
      expect(cold.stats().truncatedBytes).toBe(0);
    } finally {
      await cold.close();
    }
  });
});
