import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SampleBatch } from '../shared/samples';
import { command, feed, initialState, type BatchingRule, type BatchingState, type Decision } from './batching';
import { nextShiftStart, parseShiftStarts, zonedInstant } from './shifts';

const COIL = 9;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

/** Samples from [signal, ts, value, quality?] tuples. */
function samples(rows: readonly (readonly [number, number, number, number?])[]): SampleBatch {
  return {
    signal: Uint32Array.from(rows, (r) => r[0]),
    ts: Float64Array.from(rows, (r) => r[1]),
    value: Float64Array.from(rows, (r) => r[2]),
    quality: Uint8Array.from(rows, (r) => r[3] ?? 0),
  };
}

/** Runs a sequence of fed batches and returns the decisions, with writes as [id, from, to, feedIndex]. */
function run(rule: BatchingRule, feeds: SampleBatch[], state: BatchingState = initialState(rule)) {
  const all: (Decision & { feed: number })[] = [];
  feeds.forEach((b, k) => {
    const step = feed(rule, state, b);
    state = step.state;
    all.push(...step.decisions.map((d) => ({ ...d, feed: k })));
  });
  return { decisions: all, state };
}

/** Every sample written exactly once, runs in order and inside an open batch. */
function checkRouting(feeds: SampleBatch[], decisions: (Decision & { feed: number })[], expectAll: boolean): void {
  const seen = feeds.map((b) => new Uint8Array(b.ts.length));
  const open = new Set<string>();
  for (const d of decisions) {
    if (d.kind === 'open') {
      expect(open.size).toBe(0); // one batch at a time
      open.add(d.id);
    } else if (d.kind === 'close') {
      expect(open.has(d.id)).toBe(true);
      open.delete(d.id);
    } else if (d.kind === 'write') {
      expect(open.has(d.id)).toBe(true);
      expect(d.to).toBeGreaterThan(d.from);
      for (let i = d.from; i < d.to; i++) seen[d.feed]![i]! += 1;
    }
  }
  for (const s of seen) for (const x of s) expect(x).toBe(expectAll ? 1 : x <= 1 ? x : -1);
}

describe('coil batching', () => {
  const rule: BatchingRule = { mode: 'coil', coilSignal: COIL };

  it('opens on the first coil id, splits at the change, names and tags each batch with its coil', () => {
    const b = samples([[COIL, T0, 4711], [1, T0, 1], [1, T0 + 20, 2], [COIL, T0 + 200, 4711], [1, T0 + 220, 3], [COIL, T0 + 400, 4712], [1, T0 + 400, 4]]);
    const { decisions, state } = run(rule, [b]);
    expect(decisions.map(({ feed: _f, ...d }) => d)).toEqual([
      { kind: 'open', id: '2026-01-01T00-00-00.000Z', coil: '4711', at: T0, reason: 'coil 4711 in the line' },
      { kind: 'write', id: '2026-01-01T00-00-00.000Z', from: 0, to: 5 },
      { kind: 'close', id: '2026-01-01T00-00-00.000Z', at: T0 + 400, reason: 'coil id changed to 4712' },
      { kind: 'open', id: '2026-01-01T00-00-00.400Z', coil: '4712', at: T0 + 400, reason: 'coil id changed to 4712' },
      { kind: 'write', id: '2026-01-01T00-00-00.400Z', from: 5, to: 7 },
    ]);
    expect(state.open).toMatchObject({ coil: '4712', samples: 2 });
  });

  it('a batch opened before the coil id is known adopts the first one seen; bad and NaN coil readings change nothing', () => {
    const { decisions } = run(rule, [samples([[1, T0, 1]]), samples([[COIL, T0 + 10, 7, 3], [COIL, T0 + 10, NaN], [COIL, T0 + 20, 8]]), samples([[COIL, T0 + 40, 8]])]);
    expect(decisions.map((d) => d.kind)).toEqual(['open', 'write', 'tag', 'write', 'write']);
    expect(decisions[0]).toMatchObject({ coil: null, reason: 'recording started, coil id not yet known' });
    expect(decisions[2]).toMatchObject({ kind: 'tag', coil: '8' });
  });

  it('property: every sample goes to exactly one batch; batches never overlap; a change of coil id always opens a batch', () => {
    const row = fc.tuple(fc.constantFrom(1, 2, COIL), fc.integer({ min: 0, max: 3 }), fc.constantFrom(100, 101, 102, NaN), fc.constantFrom(0, 0, 0, 3));
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 30 }), { maxLength: 8 }), (raw) => {
        let t = T0;
        const feeds = raw.map((rows) => samples(rows.map(([s, dt, v, q]) => [s, (t += dt), v, q] as const)));
        const { decisions } = run(rule, feeds);
        checkRouting(feeds, decisions, true);
        // Coils of consecutive opened batches differ (null only for the first).
        const coils = decisions.filter((d) => d.kind === 'open').map((d) => (d as { coil: string | null }).coil);
        for (let i = 1; i < coils.length; i++) expect(coils[i]).not.toBe(coils[i - 1]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('continuous batching', () => {
  it('rotates on aligned boundaries and by size; a gap of several periods opens the batch at its own period', () => {
    const rule: BatchingRule = { mode: 'continuous', rotateEveryMs: 60_000, maxSamples: 3 };
    const b = samples([[1, T0 + 59_000, 1], [1, T0 + 60_000, 2], [1, T0 + 60_001, 3], [1, T0 + 60_002, 4], [1, T0 + 60_003, 5], [1, T0 + 200_000, 6]]);
    const { decisions } = run(rule, [b]);
    const opens = decisions.filter((d) => d.kind === 'open');
    const closes = decisions.filter((d) => d.kind === 'close');
    expect(opens.map((d) => (d as { at: number }).at - T0)).toEqual([59_000, 60_000, 60_003, 180_000]);
    expect(closes.map((d) => (d as { reason: string }).reason)).toEqual(['rotation every 60000 ms', 'reached 3 samples', 'rotation every 60000 ms']);
    expect(closes[0]).toMatchObject({ at: T0 + 60_000 });
    expect(decisions.filter((d) => d.kind === 'write').map((d) => [(d as { from: number }).from, (d as { to: number }).to])).toEqual([[0, 1], [1, 4], [4, 5], [5, 6]]);
  });

  it('two batches opened in the same millisecond get distinct ids', () => {
    const { decisions } = run({ mode: 'continuous', maxSamples: 1 }, [samples([[1, T0, 1], [1, T0, 2], [1, T0, 3]])]);
    expect(decisions.filter((d) => d.kind === 'open').map((d) => d.id)).toEqual(['2026-01-01T00-00-00.000Z', '2026-01-01T00-00-00.000Z-2', '2026-01-01T00-00-00.000Z-3']);
  });

  it('property: routing is complete and exclusive for any rotation and size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 20 }), fc.array(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 40 }), { maxLength: 6 }), (period, max, raw) => {
        let t = T0;
        const feeds = raw.map((dts) => samples(dts.map((dt) => [1, (t += dt), 0] as const)));
        const { decisions } = run({ mode: 'continuous', rotateEveryMs: period, maxSamples: max }, feeds);
        checkRouting(feeds, decisions, true);
        // No batch holds more than max samples or spans a boundary.
        const per = new Map<string, number>();
        for (const d of decisions) if (d.kind === 'write') per.set(d.id, (per.get(d.id) ?? 0) + d.to - d.from);
        for (const n of per.values()) expect(n).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });
});

describe('manual batching', () => {
  it('records only between start and stop', () => {
    const rule: BatchingRule = { mode: 'manual' };
    let state = initialState(rule);
    const before = feed(rule, state, samples([[1, T0, 1]]));
    expect(before.decisions).toEqual([]);
    const started = command(rule, before.state, { type: 'start', at: T0 + 5, reason: 'started by operator' });
    expect(started.decisions).toEqual([{ kind: 'open', id: '2026-01-01T00-00-00.005Z', coil: null, at: T0 + 5, reason: 'started by operator' }]);
    const during = feed(rule, started.state, samples([[1, T0 + 10, 2], [1, T0 + 20, 3]]));
    expect(during.decisions).toEqual([{ kind: 'write', id: '2026-01-01T00-00-00.005Z', from: 0, to: 2 }]);
    const stopped = command(rule, during.state, { type: 'stop', at: T0 + 30, reason: 'stopped by operator' });
    expect(stopped.decisions).toEqual([{ kind: 'close', id: '2026-01-01T00-00-00.005Z', at: T0 + 30, reason: 'stopped by operator' }]);
    state = stopped.state;
    expect(feed(rule, state, samples([[1, T0 + 40, 4]])).decisions).toEqual([]);
  });
});

describe('shift batching across DST (Europe/Berlin)', () => {
  const tz = 'Europe/Berlin';
  const starts = parseShiftStarts(['06:00', '14:00', '22:00']);

  it('finds shift starts in local time on both sides of the spring and autumn changes', () => {
    // 2026-03-29: clocks go 02:00 CET → 03:00 CEST. 22:00 CET on the 28th = 21:00Z; 06:00 CEST on the 29th = 04:00Z.
    expect(nextShiftStart(Date.UTC(2026, 2, 28, 20, 0), starts, tz)).toBe(Date.UTC(2026, 2, 28, 21, 0));
    expect(nextShiftStart(Date.UTC(2026, 2, 28, 21, 0), starts, tz)).toBe(Date.UTC(2026, 2, 29, 4, 0));
    // 2026-10-25: 03:00 CEST → 02:00 CET. 22:00 CEST on the 24th = 20:00Z; 06:00 CET on the 25th = 05:00Z (a 9-hour night shift).
    expect(nextShiftStart(Date.UTC(2026, 9, 24, 20, 0), starts, tz)).toBe(Date.UTC(2026, 9, 25, 5, 0));
    expect(zonedInstant(2026, 3, 29, 2, 30, tz)).toBe(Date.UTC(2026, 2, 29, 1, 30)); // in the gap: after it
    expect(() => parseShiftStarts(['6:00'])).toThrow(/HH:MM/);
  });

  it('opens a batch per shift and closes it at the next start', () => {
    const rule: BatchingRule = { mode: 'shift', timeZone: tz, shiftStarts: ['06:00', '14:00', '22:00'] };
    const b = samples([[1, Date.UTC(2026, 2, 28, 20, 59), 1], [1, Date.UTC(2026, 2, 28, 21, 0), 2], [1, Date.UTC(2026, 2, 29, 4, 0, 1), 3]]);
    const { decisions } = run(rule, [b]);
    const closes = decisions.filter((d) => d.kind === 'close') as { at: number }[];
    expect(closes.map((c) => c.at)).toEqual([Date.UTC(2026, 2, 28, 21, 0), Date.UTC(2026, 2, 29, 4, 0)]);
    const opens = decisions.filter((d) => d.kind === 'open') as { at: number }[];
    expect(opens.map((o) => o.at)).toEqual([Date.UTC(2026, 2, 28, 20, 59), Date.UTC(2026, 2, 28, 21, 0), Date.UTC(2026, 2, 29, 4, 0)]);
  });
});
