import { describe, expect, it } from 'vitest';
import { interleave, isDigital, qualityRuns, trendOption } from './trend-model';

describe('analysis trend model', () => {
  it('interleaves x and value into one flat array (echarts’ fast layout)', () => {
    expect([...interleave(Float64Array.from([1, 2]), Float64Array.from([10, 20]))]).toEqual([1, 10, 2, 20]);
  });

  it('draws a signal as a lane only when it has no unit and takes only 0 and 1', () => {
    expect(isDigital('', Float64Array.from([0, 1, NaN, 1]))).toBe(true);
    expect(isDigital('', Float64Array.from([0, 2]))).toBe(false);
    expect(isDigital('bar', Float64Array.from([0, 1]))).toBe(false);
  });

  it('finds gap, stale and bad periods for the quality lane', () => {
    const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6]);
    const v = Float64Array.from([1, NaN, 1, 1, 1, 1, 1]);
    const q = Uint8Array.from([0, 0, 2, 2, 0, 3, 0]);
    expect(qualityRuns(x, v, q)).toEqual([
      { from: 1, to: 2, kind: 'gap' },
      { from: 2, to: 4, kind: 'stale' },
      { from: 5, to: 6, kind: 'bad' },
    ]);
  });

  it('puts one y-axis per unit, digital signals in the lane grid, cursors as mark lines', () => {
    const s = (name: string, unit: string, digital = false) => ({ name, unit, x: Float64Array.from([0, 1]), value: Float64Array.from([0, 1]), quality: new Uint8Array(2), color: '#fff', digital });
    const o = trendOption({
      series: [s('A', 'kN'), s('B', 'kN'), s('C', 'm/min'), s('D', '', true)],
      extent: { from: 0, to: 1 },
      view: { from: 0, to: 1 },
      axis: 'time',
      origin: 0,
      timeZone: 'UTC',
      cursors: { a: 0.25, b: 0.75 },
      markers: [],
      notes: [],
      alarms: [],
      envelope: null,
    });
    expect(o.yAxis.filter((y) => y.gridIndex === 0).map((y) => ('name' in y ? y.name : ''))).toEqual(['kN', 'm/min']);
    const lanes = o.series.filter((x) => x.xAxisIndex === 1);
    expect(lanes.map((x) => x.name)).toEqual(['D']);
    const marks = o.series.find((x) => x.name === 'markers') as { markLine: { data: { xAxis: number }[] } };
    expect(marks.markLine.data.map((d) => d.xAxis)).toEqual([0.25, 0.75]);
  });

  it('draws each alarm as a line where it was raised and a band while active; an open one reaches the view end', () => {
    const o = trendOption({
      series: [],
      extent: { from: 0, to: 100 },
      view: { from: 10, to: 90 },
      axis: 'time',
      origin: 0,
      timeZone: 'UTC',
      cursors: { a: null, b: null },
      markers: [],
      notes: [],
      alarms: [
        { from: 20, to: 30, message: 'Exit tension high', priority: 4 },
        { from: 60, to: null, message: 'Line stopped', priority: 1 },
      ],
      envelope: null,
    });
    const s = o.series.find((x) => x.name === 'alarms') as { markLine: { data: { xAxis: number; label: { formatter: string; color: string } }[] }; markArea: { data: [{ xAxis: number }, { xAxis: number }][] } };
    expect(s.markLine.data.map((d) => [d.xAxis, d.label.formatter])).toEqual([[20, '⚠ Exit tension high'], [60, '⚠ Line stopped']]);
    expect(s.markLine.data.map((d) => d.label.color)).toEqual(['#ef5350', '#ffca28']); // critical red, low amber
    expect(s.markArea.data.map(([a, b]) => [a.xAxis, b.xAxis])).toEqual([[20, 30], [60, 90]]);
  });
});
