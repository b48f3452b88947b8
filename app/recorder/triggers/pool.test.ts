import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SampleBatch } from '../../shared/samples';
import { TriggerSchema, type TriggerConfig } from '../../shared/contract/trigger-config';
import { TriggerPool } from './pool';
import type { TriggerEvent } from './machine';
import { inWindow, select } from './windows';

const SIGNALS = [
  { id: 0, name: 'Tension', unit: 'kN', timebaseMs: 10 },
  { id: 1, name: 'Weld', unit: '', timebaseMs: 10 },
  { id: 2, name: 'Speed', unit: 'm/min', timebaseMs: 10 },
];

/** One sample per signal every 10 ms, Tension and Weld from the given value lists. */
function stream(tension: number[], weld: number[] = tension.map(() => 0)): SampleBatch {
  const n = tension.length;
  const b = { signal: new Uint32Array(n * 3), ts: new Float64Array(n * 3), value: new Float64Array(n * 3), quality: new Uint8Array(n * 3) };
  for (let i = 0; i < n; i++)
    for (let s = 0; s < 3; s++) {
      b.signal[i * 3 + s] = s;
      b.ts[i * 3 + s] = 1000 + i * 10;
      b.value[i * 3 + s] = s === 0 ? (tension[i] as number) : s === 1 ? (weld[i] as number) : 100;
    }
  return b;
}

function slice(b: SampleBatch, from: number, to: number): SampleBatch {
  return { signal: b.signal.slice(from, to), ts: b.ts.slice(from, to), value: b.value.slice(from, to), quality: b.quality.slice(from, to) };
}

const trig = (t: unknown): TriggerConfig => TriggerSchema.parse(t);

function run(triggers: TriggerConfig[], data: SampleBatch, cuts: number[] = []): TriggerEvent[] {
  const p = TriggerPool.create({ triggers, onChange: [], signals: SIGNALS });
  if (!p.ok) throw new Error(p.error.message);
  const points = [...new Set([0, ...cuts.map((c) => Math.min(c, data.ts.length)), data.ts.length])].sort((a, b) => a - b);
  const events: TriggerEvent[] = [];
  for (let k = 1; k < points.length; k++) events.push(...p.value.feed(slice(data, points[k - 1] as number, points[k] as number)).events);
  return events;
}

describe('trigger pool', () => {
  it('level with hysteresis: starts above the threshold, stops at threshold − hysteresis; post and dead time', () => {
    // 10 ms per step: above 800 at i=5 (t=1050), dips to 790 (inside hysteresis) at i=8, released at 760 at i=12 (t=1120)
    const tension = [700, 700, 700, 700, 700, 810, 820, 820, 790, 790, 800, 800, 760, 700, 700, 700, 700, 700, 700, 700, 900, 900, 700, 700, 700, 700, 700, 700, 700, 700, 700, 700, 900, 900, 700];
    const ev = run([trig({ name: 'T', start: { type: 'level', signal: 'Tension', threshold: 800, hysteresis: 30 }, preMs: 30, postMs: 40, deadMs: 100 })], stream(tension));
    expect(ev.map((e) => [e.kind, e.at])).toEqual([
      ['start', 1050],
      ['stop', 1120],
      ['close', 1160],
      // 1200 is above again but inside the dead time (until 1260); 1320 starts again.
      ['start', 1320],
      ['stop', 1340],
    ]);
    expect(ev[0]).toMatchObject({ from: 1020, reason: 'Tension above 800 (hysteresis 30)' });
    expect(ev[1]).toMatchObject({ closeAt: 1160, reason: 'Tension above 800 (hysteresis 30) no longer holds' });
  });

  it('minimum duration: a short excursion does not fire; a long one fires at onset + minimum duration', () => {
    const tension = [0, 900, 900, 0, 0, 900, 900, 900, 900, 900, 0, 0];
    const ev = run([trig({ name: 'T', start: { type: 'level', signal: 'Tension', threshold: 800, minDurationMs: 30 } })], stream(tension));
    expect(ev.map((e) => [e.kind, e.at])).toEqual([
      ['start', 1080],
      ['stop', 1100],
      ['close', 1100],
    ]);
  });

  it('edge without stop records only the pre/post window; a falling edge is the weld bit going off', () => {
    const weld = [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const ev = run(
      [
        trig({ name: 'rise', start: { type: 'edge', signal: 'Weld' }, preMs: 20, postMs: 30 }),
        trig({ name: 'fall', start: { type: 'edge', signal: 'Weld', edge: 'falling' } }),
      ],
      stream(weld.map(() => 0), weld),
    );
    expect(ev.filter((e) => e.trigger === 0).map((e) => [e.kind, e.at])).toEqual([
      ['start', 1020],
      ['stop', 1020],
      ['close', 1050],
    ]);
    // The first sample (0) is a state, not an edge: only the real fall at t=1050 fires.
    expect(ev.filter((e) => e.trigger === 1 && e.kind === 'start').map((e) => e.at)).toEqual([1050]);
  });

  it('explicit stop condition, and a start within the post window continues the batch', () => {
    const weld = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const tension = [0, 0, 0, 900, 0, 0, 0, 0, 900, 0, 0, 0, 0, 0, 0];
    const ev = run([trig({ name: 'T', start: { type: 'edge', signal: 'Weld' }, stop: { type: 'level', signal: 'Tension', threshold: 800 }, postMs: 25 })], stream(tension, weld));
    expect(ev.map((e) => [e.kind, e.at])).toEqual([
      ['start', 1010],
      ['stop', 1030],
      // post until 1055; the weld rises at 1050: same batch continues
      ['retrigger', 1050],
      ['stop', 1080],
      ['close', 1105],
    ]);
  });

  it('formula trigger: evaluated incrementally, same events however the stream is chunked', () => {
    const tension = Array.from({ length: 60 }, (_, i) => (i % 20 >= 10 ? 900 : 100));
    const t = [trig({ name: 'F', start: { type: 'formula', formula: 'Tension > 800 and Speed > 50' }, postMs: 15 })];
    const whole = run(t, stream(tension));
    expect(whole.filter((e) => e.kind === 'start').map((e) => e.at)).toEqual([1100, 1300, 1500]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 180 }), { maxLength: 8 }), (cuts) => {
        // Cut on whole time steps (3 samples), as journal batches are whole polls.
        expect(run(t, stream(tension), cuts.map((c) => c - (c % 3)))).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('a disabled trigger is not evaluated; errors name the configuration index', () => {
    const p = TriggerPool.create({ triggers: [trig({ name: 'A', enabled: false, start: { type: 'edge', signal: 'Weld' } }), trig({ name: 'B', start: { type: 'level', signal: 'Nope', threshold: 1 } })], onChange: [], signals: SIGNALS });
    expect(p).toMatchObject({ ok: false, error: { path: 'recording.triggers[1].start.signal' } });
    const q = TriggerPool.create({ triggers: [trig({ name: 'A', enabled: false, start: { type: 'edge', signal: 'Weld' } }), trig({ name: 'B', start: { type: 'edge', signal: 'Weld' } })], onChange: [], signals: SIGNALS });
    expect(q.ok && q.value.names).toEqual(['B']);
  });

  it('a formula that does not compile is refused with its position', () => {
    const p = TriggerPool.create({ triggers: [trig({ name: 'F', start: { type: 'formula', formula: 'Tension > > 3' } })], onChange: [], signals: SIGNALS });
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error.message).toMatch(/recording\.triggers\[0\]\.start: formula: .* at \d+/);
  });

  it('property: pre/post windows are exact and batches of one trigger never overlap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 900), { minLength: 5, maxLength: 120 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.array(fc.integer({ min: 0, max: 360 }), { maxLength: 5 }),
        (tension, preMs, postMs, deadMs, cuts) => {
          const data = stream(tension);
          const ev = run([trig({ name: 'T', start: { type: 'level', signal: 'Tension', threshold: 800 }, preMs, postMs, deadMs })], data, cuts);
          // Rebuild the windows as the pump does and check them against the raw stream.
          let after = -Infinity;
          let open: { from: number; start: number; until: number | null } | null = null;
          const windows: { from: number; after: number; until: number; start: number; stop: number }[] = [];
          for (const e of ev) {
            if (e.kind === 'start') open = { from: e.from, start: e.at, until: null };
            if (e.kind === 'stop' && open) open.until = e.closeAt;
            if (e.kind === 'close' && open) {
              windows.push({ from: open.from, after, until: e.at, start: open.start, stop: e.at - postMs });
              after = e.at;
              open = null;
            }
          }
          for (const w of windows) {
            expect(w.from).toBe(w.start - preMs);
            const rows = select(data, w);
            const ts = rows ? [...rows.ts] : [];
            expect(ts.every((t) => t >= w.start - preMs && t <= w.stop + postMs && t > w.after)).toBe(true);
            // Every sample in the window is there.
            const expected = [...data.ts].filter((t) => inWindow(w, t)).length;
            expect(ts.length).toBe(expected);
            // The condition held at the start, the dead time was respected.
            expect(w.start - (Number.isFinite(w.after) ? w.after : -Infinity)).toBeGreaterThanOrEqual(Number.isFinite(w.after) ? deadMs : 0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: any trigger, any data, any chunking — a well-formed event sequence, dead time respected, chunking-independent', () => {
    const cond = fc.oneof(
      fc.record({ type: fc.constant('level'), signal: fc.constant('Tension'), op: fc.constantFrom('above', 'below'), threshold: fc.constantFrom(300, 600), hysteresis: fc.constantFrom(0, 100), minDurationMs: fc.constantFrom(0, 20, 50) }),
      fc.record({ type: fc.constant('edge'), signal: fc.constant('Weld'), edge: fc.constantFrom('rising', 'falling'), minDurationMs: fc.constantFrom(0, 20) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 5, maxLength: 100 }),
        fc.array(fc.constantFrom(0, 1), { minLength: 100, maxLength: 100 }),
        cond,
        fc.option(cond, { nil: undefined }),
        fc.record({ preMs: fc.integer({ min: 0, max: 60 }), postMs: fc.integer({ min: 0, max: 60 }), deadMs: fc.integer({ min: 0, max: 60 }) }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
        (tension, weld, start, stop, times, cuts) => {
          const t = trig({ name: 'T', start, ...(stop ? { stop } : {}), ...times });
          const data = stream(tension, weld.slice(0, tension.length));
          const whole = run([t], data);
          expect(run([t], data, cuts.map((c) => c - (c % 3)))).toEqual(whole);
          let state: 'armed' | 'active' | 'post' = 'armed';
          let lastClose = -Infinity;
          let lastAt = -Infinity;
          for (const e of whole) {
            expect(e.at).toBeGreaterThanOrEqual(lastAt); // events in time order
            lastAt = e.at;
            if (e.kind === 'start') {
              expect(state).toBe('armed');
              expect(e.at).toBeGreaterThanOrEqual(lastClose + times.deadMs);
              expect(e.from).toBe(e.at - times.preMs);
              state = 'active';
            } else if (e.kind === 'stop') {
              expect(state).toBe('active');
              expect(e.closeAt).toBe(e.at + times.postMs);
              state = 'post';
            } else if (e.kind === 'retrigger') {
              expect(state).toBe('post');
              state = 'active';
            } else {
              expect(state).toBe('post');
              lastClose = e.at;
              state = 'armed';
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
