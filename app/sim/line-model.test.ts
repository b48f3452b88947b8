import { describe, expect, it } from 'vitest';
import { FIRST_COIL_ID, StripLine, TENSION_HIGH_LIMIT_KN } from './line-model';
import type { LinePhase, LineState } from './line-model';
import { DEMO_SIGNALS } from './demo-signals';

function record(line: StripLine, untilMs: number, everyMs: number, fromMs = 0): LineState[] {
  const states: LineState[] = [];
  for (let t = fromMs; t <= untilMs; t += everyMs) states.push(line.step(t));
  return states;
}

const TEN_MINUTES = 600_000;
const tenMinutes = record(new StripLine({ seed: 42 }), TEN_MINUTES, 100);

describe('StripLine', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = record(new StripLine({ seed: 42 }), 120_000, 100);
    expect(again).toEqual(tenMinutes.slice(0, again.length));
    const other = record(new StripLine({ seed: 43 }), 120_000, 100);
    expect(other).not.toEqual(again);
  });

  it('does not depend on how often it is polled', () => {
    const fine = new StripLine({ seed: 5 });
    const coarse = new StripLine({ seed: 5 });
    for (let t = 0; t <= 90_000; t += 7) fine.step(t);
    coarse.step(30_000);
    coarse.step(60_000);
    expect(coarse.step(90_000)).toEqual(fine.step(90_000));
  });

  it('runs the coil cycle in order: thread, accelerate, run, decelerate, tailout', () => {
    const cycle: LinePhase[] = ['thread', 'accelerate', 'run', 'decelerate', 'tailout'];
    const changes: LineState[] = [];
    for (const s of tenMinutes) if (changes.at(-1)?.phase !== s.phase) changes.push(s);
    expect(changes.length).toBeGreaterThan(20);
    changes.forEach((s, i) => expect(s.phase).toBe(cycle[i % cycle.length]));
    // A new coil starts exactly when tailout hands over to thread.
    for (let i = 1; i < changes.length; i++) {
      const s = changes[i]!;
      const previous = changes[i - 1]!;
      expect(s.coilId).toBe(s.phase === 'thread' ? previous.coilId + 1 : previous.coilId);
    }
  });

  it('welds on a new coil every 60 to 90 s: id up, length back to 0, a weld pulse of about a second', () => {
    expect(tenMinutes[0]!.coilId).toBe(FIRST_COIL_ID);
    const starts = tenMinutes.filter((s, i) => i > 0 && s.coilId !== tenMinutes[i - 1]!.coilId);
    expect(starts.length).toBeGreaterThanOrEqual(6);
    for (const s of starts) {
      expect(s.coilId).toBe(tenMinutes[tenMinutes.indexOf(s) - 1]!.coilId + 1);
      expect(s.coilLength).toBeLessThan(0.1);
      expect(s.weldSeam).toBe(true);
    }
    const startTimes = [0, ...starts.map((s) => s.timeMs)];
    for (let i = 1; i < startTimes.length; i++) {
      const coilSeconds = (startTimes[i]! - startTimes[i - 1]!) / 1000;
      expect(coilSeconds).toBeGreaterThanOrEqual(60);
      expect(coilSeconds).toBeLessThanOrEqual(90);
    }
    // Rising edges of the weld bit are the coil starts, and each pulse lasts about one second.
    const rising = tenMinutes.filter((s, i) => s.weldSeam && (i === 0 || !tenMinutes[i - 1]!.weldSeam));
    expect(rising.map((s) => s.coilId)).toEqual([FIRST_COIL_ID, ...starts.map((s) => s.coilId)]);
    const weldSamples = tenMinutes.filter((s) => s.weldSeam).length;
    expect(weldSamples / rising.length).toBeGreaterThanOrEqual(9);
    expect(weldSamples / rising.length).toBeLessThanOrEqual(11);
  });

  it('integrates coil length from speed', () => {
    for (let i = 1; i < tenMinutes.length; i++) {
      const s = tenMinutes[i]!;
      const previous = tenMinutes[i - 1]!;
      if (s.coilId !== previous.coilId) continue;
      expect(s.coilLength).toBeGreaterThan(previous.coilLength);
      expect(s.coilLength - previous.coilLength).toBeCloseTo(((s.lineSpeed + previous.lineSpeed) / 2 / 60) * 0.1, 0);
    }
  });

  it('raises Tension High exactly when a tension is above the limit, and it does happen', () => {
    for (const s of tenMinutes) {
      expect(s.tensionHighAlarm).toBe(s.entryTension > TENSION_HIGH_LIMIT_KN || s.exitTension > TENSION_HIGH_LIMIT_KN);
    }
    const alarmed = tenMinutes.filter((s) => s.tensionHighAlarm);
    expect(alarmed.length).toBeGreaterThan(0);
    expect(alarmed.length).toBeLessThan(tenMinutes.length / 10);
    expect(alarmed.every((s) => s.phase === 'accelerate' || s.phase === 'run')).toBe(true);
  });

  it('stays within plausible ranges for ten minutes', () => {
    const ranges: Partial<Record<keyof LineState, [number, number]>> = {
      lineSpeed: [0, 620],
      entryTension: [10, 65],
      exitTension: [10, 65],
      thicknessDeviation: [-60, 60],
      stripWidth: [995, 1505],
      furnaceZone1Temp: [750, 810],
      furnaceZone2Temp: [795, 845],
      mainDriveCurrent: [0, 1600],
      coilLength: [0, 700],
    };
    const outside: string[] = [];
    for (const s of tenMinutes) {
      for (const [key, [low, high]] of Object.entries(ranges) as [keyof LineState, [number, number]][]) {
        const value = s[key] as number;
        if (!(value >= low && value <= high)) outside.push(`${key} = ${value} at ${s.timeMs} ms`);
      }
    }
    expect(outside).toEqual([]);
    const running = tenMinutes.filter((s) => s.phase === 'run');
    for (const s of running) {
      expect(s.lineSpeed).toBeGreaterThan(590);
      expect(s.entryTension).toBeGreaterThan(40);
      expect(s.exitTension).toBeGreaterThan(40);
    }
    const threading = tenMinutes.filter((s) => s.phase === 'thread');
    for (const s of threading) expect(s.lineSpeed).toBeLessThan(20);
  });

  it('keeps the strip width constant per coil and varies it between coils', () => {
    const widthByCoil = new Map<number, number[]>();
    for (const s of tenMinutes) widthByCoil.set(s.coilId, [...(widthByCoil.get(s.coilId) ?? []), s.stripWidth]);
    for (const widths of widthByCoil.values()) expect(Math.max(...widths) - Math.min(...widths)).toBeLessThan(5);
    const nominal = new Set([...widthByCoil.values()].map((w) => Math.round(w[0]! / 50) * 50));
    expect(nominal.size).toBeGreaterThan(1);
  });

  it('cools furnace zone 1 while the line speeds up', () => {
    const firstRun = tenMinutes.findIndex((s) => s.phase === 'run');
    const firstAccelerate = tenMinutes.findIndex((s) => s.phase === 'accelerate');
    expect(tenMinutes[firstRun]!.furnaceZone1Temp).toBeLessThan(tenMinutes[firstAccelerate]!.furnaceZone1Temp - 3);
  });

  it('shows off-gauge at the head of each coil', () => {
    const heads = tenMinutes.filter((s) => s.weldSeam).map((s) => Math.abs(s.thicknessDeviation));
    const body = tenMinutes.filter((s) => s.phase === 'run' && s.coilLength > 100).map((s) => Math.abs(s.thicknessDeviation));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(heads)).toBeGreaterThan(3 * mean(body));
    expect(mean(body)).toBeLessThan(5);
  });

  it('honours options and ignores a clock that goes backwards', () => {
    const line = new StripLine({ seed: 1, startMs: 1_000_000, runSpeed: 300, coilLengthM: 200, phaseDurationsS: { thread: 2 } });
    const states = record(line, 1_000_000 + 120_000, 100, 1_000_000);
    expect(Math.max(...states.map((s) => s.lineSpeed))).toBeLessThan(310);
    expect(states.find((s) => s.phase === 'accelerate')!.timeMs).toBe(1_002_000);
    expect(new Set(states.map((s) => s.coilId)).size).toBeGreaterThan(2);
    const last = states.at(-1)!;
    expect(line.step(1_000_000)).toEqual(last);
  });

  it('names every signal after a LineState field', () => {
    const sample = tenMinutes[0]!;
    expect(DEMO_SIGNALS).toHaveLength(12);
    for (const signal of DEMO_SIGNALS) expect(sample).toHaveProperty(signal.key);
    expect(new Set(DEMO_SIGNALS.map((s) => s.name)).size).toBe(DEMO_SIGNALS.length);
  });
});
