/**
 * The pump's side of the trigger pool with real peers (a sample journal on disk, the trigger
 * worker, the recorder worker): the batch files hold exactly the journaled samples of their
 * windows — pre-trigger samples read back from the journal across many journal batches,
 * the on-change filter's verdict kept for them — read back with hyparquet.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SampleJournal, type JournalCursor } from '../../buffer/journal';
import { TriggerSchema } from '../../shared/contract/trigger-config';
import type { SampleBatch } from '../../shared/samples';
import { tempDir } from '../../testing/helpers';
import type { BatchFileInfo } from '../batch-file';
import { RecorderHost } from '../recorder-host';
import { readWithHyparquet } from '../testing/readers';
import { TriggerRecording } from './trigger-batches';

const T0 = 1_800_000_000_000;
const SIGNALS = [
  { id: 0, name: 'Weld', unit: '', timebaseMs: 10 },
  { id: 1, name: 'Speed', unit: 'm/min', timebaseMs: 10 },
  { id: 2, name: 'Temp', unit: '°C', timebaseMs: 10 },
];
/** Weld bit high for 100 ms every 2 s from t0 + 1 s; Temp constant (the deadband drops it). */
const weldAt = (k: number): number => ((k * 10) % 2000 >= 1000 && (k * 10) % 2000 < 1100 ? 1 : 0);

/** Journal batches of 5 steps (50 ms) of all three signals. */
function poll(b: number): SampleBatch {
  const n = 15;
  const out = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  for (let s = 0; s < 5; s++) {
    const k = b * 5 + s;
    for (let id = 0; id < 3; id++) {
      const i = s * 3 + id;
      out.signal[i] = id;
      out.ts[i] = T0 + k * 10;
      out.value[i] = id === 0 ? weldAt(k) : id === 1 ? k : 850;
    }
  }
  return out;
}

describe('trigger batches (journal → trigger worker → recorder worker)', () => {
  let recorder: RecorderHost | undefined;
  let journal: SampleJournal | undefined;
  afterEach(async () => {
    await recorder?.stop();
    await journal?.close();
  });

  it('writes exactly the samples of each window, pre-trigger ones from the journal', async () => {
    const dir = await tempDir('parx-trigger-batches-');
    journal = await SampleJournal.open(path.join(dir, 'buffer'));
    recorder = (await RecorderHost.start(path.join(dir, 'recordings'))).host;
    const files: BatchFileInfo[] = [];
    const failures: string[] = [];
    const started = await TriggerRecording.start(
      {
        recorder,
        journal,
        descriptor: (b) => ({ id: b.id, line: 'L', coil: null, start: b.at, openedBy: b.reason, signals: [], lengthIndex: null, compression: 'zstd' }),
        log: (_l, m) => failures.push(m),
        closed: (f) => files.push(f),
        failed: (r) => {
          if (!r.ok) failures.push(JSON.stringify(r));
          return r.ok;
        },
      },
      {
        signals: SIGNALS,
        onChange: [{ signal: 'Temp', deadband: 1, deadbandType: 'absolute', maxIntervalMs: 300 }],
        triggers: [TriggerSchema.parse({ name: 'Weld', start: { type: 'edge', signal: 'Weld' }, preMs: 730, postMs: 420 }), TriggerSchema.parse({ name: 'On', start: { type: 'level', signal: 'Weld', threshold: 0.5 }, preMs: 100, postMs: 50, deadMs: 2500 })],
      },
    );
    if (!started.ok) throw new Error(started.error.message);
    const pool = started.value;
    // 140 journal batches = 7 s: welds at 1 s, 3 s, 5 s (7 s is past the data).
    const all: SampleBatch[] = [];
    for (let b = 0; b < 140; b++) {
      all.push(poll(b));
      journal.append(poll(b));
    }
    let before: JournalCursor | undefined;
    for await (const { batch, cursor } of journal.replay()) {
      const judged = await pool.evaluate(batch);
      if (!judged.ok) throw new Error(judged.error.message);
      await pool.apply(batch, judged.value.keep, judged.value.events, before);
      before = cursor;
    }
    await pool.stop('test over');
    expect(failures).toEqual([]);

    // What the on-change filter lets through over the whole stream, computed independently.
    const kept: { signal: number; ts: number }[] = [];
    let lastTemp = -Infinity;
    for (const b of all) {
      for (let i = 0; i < b.ts.length; i++) {
        const ts = b.ts[i] as number;
        if (b.signal[i] === 2) {
          if (ts - lastTemp < 300) continue;
          lastTemp = ts;
        }
        kept.push({ signal: b.signal[i] as number, ts });
      }
    }

    const byTrigger = (name: string) => files.filter((f) => f.id.endsWith(`_${name}`) || f.id.includes(`_${name}-`));
    const weld = byTrigger('Weld');
    expect(weld.map((f) => [f.start - T0, f.end - T0])).toEqual([
      [1000 - 730, 1000 + 420],
      [3000 - 730, 3000 + 420],
      [5000 - 730, 5000 + 420],
    ]);
    // Level trigger: window [rise − 100, fall + 50]; dead time 2.5 s skips the weld at 3 s.
    const on = byTrigger('On');
    expect(on.map((f) => [f.start - T0, f.end - T0])).toEqual([
      [900, 1150],
      [5000 - 100, 5100 + 50],
    ]);
    for (const f of [...weld, ...on]) {
      const { rows } = await readWithHyparquet(f.file);
      const got = rows.map((r) => `${String(r.signal)}@${Math.round(Number(r.ts instanceof Date ? r.ts.getTime() : r.ts))}`).sort();
      const want = kept.filter((k) => k.ts >= f.start && k.ts <= f.end).map((k) => `#${k.signal}@${k.ts}`).sort();
      expect(got).toEqual(want);
    }
  }, 60_000);
});
