/**
 * The trigger pool end to end against the demo line's real Modbus server: the weld bit
 * opens batch files whose first and last sample respect the pre- and post-trigger times;
 * read back with hyparquet (not DuckDB).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../shared/contract';
import { SampleJournal } from '../../buffer/journal';
import { Engine } from '../../engine/engine';
import { demoConfig } from '../../sim/demo-config';
import { startDemoLine, type DemoLine } from '../../sim/demo-line';
import { tempDir } from '../../testing/helpers';
import { parquetFiles, readWithHyparquet } from '../testing/readers';

const ms = (ts: unknown): number => (ts instanceof Date ? ts.getTime() : Number(ts));

describe('trigger pool against the demo line', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
  });

  it('a trigger on a virtual derived signal records it (as if persisted) and opens batches on it', async () => {
    line = await startDemoLine({ seed: 22, coilLengthM: 25, phaseDurationsS: { thread: 0.5, accelerate: 1, decelerate: 1, tailout: 0.5 } });
    const workspace = await tempDir('parx-triggers-derived-');
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const config = {
      ...demoConfig('127.0.0.1', line.modbus.port),
      derived: [{ name: 'Weld x10', unit: '', formula: '[Weld Seam] * 10' }],
      recording: {
        enabled: true,
        line: 'L1',
        rule: { mode: 'manual' },
        triggers: [{ name: 'Derived weld', start: { type: 'level', signal: 'Weld x10', op: 'above', threshold: 5 }, preMs: 200, postMs: 200 }],
      },
    };
    expect(await session.call('config.save', { config })).toMatchObject({ ok: true });
    let status: ResultOf<'triggers.status'> | undefined;
    for (let i = 0; i < 400 && !(status && status.triggers[0]!.batches >= 2); i++) {
      const r = await session.call('triggers.status', {});
      if (r.ok) status = r.value as ResultOf<'triggers.status'>;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status?.triggers[0]?.batches).toBeGreaterThanOrEqual(2);
    expect(status?.triggers[0]?.lastStart?.reason).toMatch(/^Weld x10 /);
    await new Promise((r) => setTimeout(r, 1500));
    await engine.stop();
    engine = undefined;
    const files = await Promise.all((await parquetFiles(path.join(workspace, 'recordings'))).map((f) => readWithHyparquet(f)));
    const opened = files.filter((x) => x.meta['parx.opened_by']?.startsWith('trigger "Derived weld" start: Weld x10'));
    expect(opened.length).toBeGreaterThanOrEqual(1);
    for (const { rows } of opened) {
      const derived = rows.filter((r) => r.signal === 'Weld x10');
      expect(derived.length).toBeGreaterThan(0);
      expect(new Set(derived.map((r) => r.value))).toEqual(new Set([0, 10]));
    }
  }, 60_000);

  it('edge and level triggers on the weld bit write batches with exact pre/post windows', async () => {
    line = await startDemoLine({ seed: 21, coilLengthM: 25, phaseDurationsS: { thread: 0.5, accelerate: 1, decelerate: 1, tailout: 0.5 } });
    const workspace = await tempDir('parx-triggers-');
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const recording = {
      enabled: true,
      line: 'L1',
      // Nothing but the triggers records.
      rule: { mode: 'manual' },
      compression: 'zstd',
      triggers: [
        { name: 'Weld', start: { type: 'edge', signal: 'Weld Seam' }, preMs: 500, postMs: 700 },
        { name: 'Weld on', start: { type: 'level', signal: 'Weld Seam', op: 'above', threshold: 0.5 }, preMs: 300, postMs: 200, deadMs: 100 },
      ],
    };
    const saved = await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording } });
    expect(saved).toMatchObject({ ok: true });
    let status: ResultOf<'triggers.status'> | undefined;
    for (let i = 0; i < 400; i++) {
      const r = await session.call('triggers.status', {});
      if (r.ok) status = r.value as ResultOf<'triggers.status'>;
      if (status && status.triggers.every((t) => t.batches >= 3)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status?.recording).toBe(true);
    expect(status?.triggers.map((t) => t.name)).toEqual(['Weld', 'Weld on']);
    expect(status?.triggers.every((t) => t.batches >= 3)).toBe(true);
    expect(status?.triggers[0]?.lastStart?.reason).toBe('Weld Seam rising through 0.5');
    await new Promise((r) => setTimeout(r, 1500)); // past the close grace of the last window
    await engine.stop();
    engine = undefined;

    const files = await Promise.all((await parquetFiles(path.join(workspace, 'recordings'))).map(async (f) => ({ f, ...(await readWithHyparquet(f)) })));
    const closed = (name: string) => files.filter((x) => x.meta['parx.closed_by']?.startsWith(`trigger "${name}" stop:`));
    const edge = closed('Weld');
    const level = closed('Weld on');
    expect(edge.length).toBeGreaterThanOrEqual(2);
    expect(level.length).toBeGreaterThanOrEqual(2);

    for (const { rows, meta } of edge) {
      expect(meta['parx.opened_by']).toBe('trigger "Weld" start: Weld Seam rising through 0.5; pre-trigger 500 ms');
      expect(meta['parx.closed_by']).toBe('trigger "Weld" stop: edge recorded (pre/post-trigger window); post-trigger 700 ms');
      const from = Date.parse(meta['parx.start'] as string);
      const until = Date.parse(meta['parx.end'] as string);
      expect(until - from).toBe(1200); // pre + post around the edge
      const ts = rows.map((r) => ms(r.ts));
      expect(Math.min(...ts)).toBeGreaterThanOrEqual(from - 1);
      expect(Math.max(...ts)).toBeLessThanOrEqual(until);
      // The edge: the weld bit's first 1 is exactly pre-trigger time after the window start.
      const weld = rows.filter((r) => r.signal === 'Weld Seam').sort((a, b) => ms(a.ts) - ms(b.ts));
      const rise = weld.findIndex((r) => (r.value as number) > 0.5);
      expect(rise).toBeGreaterThan(0);
      expect(Math.abs(ms(weld[rise]?.ts) - (from + 500))).toBeLessThanOrEqual(1);
    }

    // Complete: every journaled sample inside a window is in its file (the first file of a
    // trigger may have a shorter pre-trigger part: it cannot reach before the pump started).
    const journal = await SampleJournal.open(path.join(workspace, 'buffer'));
    const names = new Map(demoConfig('127.0.0.1', 1).signals.map((s, i) => [i, s.name]));
    const journaled: { key: string; ts: number }[] = [];
    for await (const { batch } of journal.replay()) {
      for (let i = 0; i < batch.ts.length; i++) {
        const ts = batch.ts[i] as number;
        journaled.push({ ts, key: `${names.get(batch.signal[i] as number)}@${Math.floor(Math.round(ts * 1000) / 1000)}` });
      }
    }
    await journal.close();
    for (const { rows, meta } of [...edge.slice(1), ...level.slice(1)]) {
      const from = Date.parse(meta['parx.start'] as string);
      const until = Date.parse(meta['parx.end'] as string);
      const got = new Set(rows.map((r) => `${String(r.signal)}@${Math.floor(ms(r.ts))}`));
      const want = journaled.filter((j) => j.ts > from + 1 && j.ts < until - 1);
      expect(want.length).toBeGreaterThan(20);
      expect(want.filter((j) => !got.has(j.key))).toEqual([]);
    }

    for (const { rows, meta } of level) {
      expect(meta['parx.closed_by']).toBe('trigger "Weld on" stop: Weld Seam above 0.5 no longer holds; post-trigger 200 ms');
      const from = Date.parse(meta['parx.start'] as string);
      const until = Date.parse(meta['parx.end'] as string);
      const weld = rows.filter((r) => r.signal === 'Weld Seam').sort((a, b) => ms(a.ts) - ms(b.ts));
      const on = weld.filter((r) => (r.value as number) > 0.5);
      // Window: [first 1 − pre, first 0 after the ones + post]
      expect(Math.abs(ms(on[0]?.ts) - 300 - from)).toBeLessThanOrEqual(1);
      const fall = weld.find((r) => ms(r.ts) > ms(on.at(-1)?.ts) && (r.value as number) < 0.5);
      expect(Math.abs(ms(fall?.ts) + 200 - until)).toBeLessThanOrEqual(1);
      const ts = rows.map((r) => ms(r.ts));
      expect(Math.min(...ts)).toBeGreaterThanOrEqual(from - 1);
      expect(Math.max(...ts)).toBeLessThanOrEqual(until);
    }
  }, 90_000);
});
