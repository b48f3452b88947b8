/**
 * Test helper for "nothing lost, nothing twice": how the samples of the demo line's journal
 * compare with what the batch files hold. A sample is matched as the file stores it
 * (rounded to the microsecond, read back as whole milliseconds).
 */
import path from 'node:path';
import { SampleJournal } from '../../buffer/journal';
import { demoConfig } from '../../sim/demo-config';
import type { ReadBack } from './readers';

const tsOf = (row: Record<string, unknown>): number => Number(row.ts instanceof Date ? row.ts.getTime() : row.ts);

export interface Coverage {
  /** Journaled samples from the first recorded one on (to the last recorded one with `untilLast`). */
  readonly journaled: number;
  /** Of those, the ones in no file. */
  readonly missing: number;
  /** Samples found in more than one file. */
  readonly twice: number;
}

export async function journalCoverage(workspace: string, files: readonly ReadBack[], untilLast = false): Promise<Coverage> {
  const recorded = new Map<string, number>();
  for (const r of files)
    for (const row of r.rows) {
      const key = `${String(row.signal)}@${tsOf(row)}`;
      recorded.set(key, (recorded.get(key) ?? 0) + 1);
    }
  const all = files.flatMap((r) => r.rows.map(tsOf));
  const first = Math.min(...all);
  const last = untilLast ? Math.max(...all) : Infinity;
  // The demo configuration's signals get ids in their order.
  const names = new Map(demoConfig('127.0.0.1', 1).signals.map((s, i) => [i, s.name]));
  const journal = await SampleJournal.open(path.join(workspace, 'buffer'));
  let journaled = 0;
  let missing = 0;
  try {
    for await (const { batch } of journal.replay()) {
      for (let i = 0; i < batch.ts.length; i++) {
        const ts = Math.floor(Math.round((batch.ts[i] as number) * 1000) / 1000);
        if (ts < first || ts > last) continue;
        journaled++;
        if (!recorded.has(`${names.get(batch.signal[i] as number)}@${ts}`)) missing++;
      }
    }
  } finally {
    await journal.close();
  }
  return { journaled, missing, twice: [...recorded.values()].filter((n) => n > 1).length };
}
