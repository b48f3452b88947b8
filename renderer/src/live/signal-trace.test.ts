import { describe, expect, it } from 'vitest';
import { SignalTrace } from './signal-trace';

describe('SignalTrace', () => {
  it('keeps the newest samples when full, oldest first', () => {
    const t = new SignalTrace(3);
    for (let i = 1; i <= 5; i++) t.push(i, i * 10, 0);
    expect(Array.from(t.toXY())).toEqual([3, 30, 4, 40, 5, 50]);
    expect(t.latest()).toEqual({ ts: 5, value: 50, quality: 0 });
  });

  it('trims by time and selects a window', () => {
    const t = new SignalTrace(10);
    for (let i = 0; i < 6; i++) t.push(i * 100, i, 0);
    t.trimBefore(200);
    expect(t.size).toBe(4);
    expect(Array.from(t.toXY(400))).toEqual([400, 4, 500, 5]);
  });

  it('turns bad samples into NaN so the trend shows a gap', () => {
    const t = new SignalTrace(4);
    t.push(1, 5, 0);
    t.push(2, 7, 3);
    t.push(3, 9, 0);
    const xy = t.toXY();
    expect(xy[1]).toBe(5);
    expect(Number.isNaN(xy[3])).toBe(true);
    expect(xy[5]).toBe(9);
  });
});
