/**
 * The echarts option of a live trend: one y-axis per unit (left, right, then further out),
 * time on x. Pure, so it is tested without a browser.
 */
import type { SignalInfo } from '../../../app/shared/contract';

export const TREND_COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8', '#fff176', '#4db6ac', '#f06292'];

export function unitAxes(signals: readonly SignalInfo[]): { units: string[]; axisOf: number[] } {
  const units: string[] = [];
  const axisOf = signals.map((s) => {
    let i = units.indexOf(s.unit);
    if (i < 0) i = units.push(s.unit) - 1;
    return i;
  });
  return { units, axisOf };
}

export function trendOption(signals: readonly SignalInfo[]) {
  const { units, axisOf } = unitAxes(signals);
  return {
    animation: false,
    color: TREND_COLORS,
    grid: { left: 56, right: 24 + Math.max(0, units.length - 1) * 56, top: 36, bottom: 28 },
    legend: { top: 4, textStyle: { color: '#ccc' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' } },
    xAxis: { type: 'time', axisLabel: { color: '#aaa', hideOverlap: true }, splitLine: { show: true, lineStyle: { color: '#333' } } },
    yAxis: units.map((unit, i) => ({
      type: 'value',
      name: unit || '—',
      position: i % 2 === 0 ? 'left' : 'right',
      offset: Math.floor(i / 2) * 56,
      scale: true,
      nameTextStyle: { color: '#aaa' },
      axisLabel: { color: '#aaa' },
      axisLine: { show: true, lineStyle: { color: TREND_COLORS[signals.findIndex((_, k) => axisOf[k] === i) % TREND_COLORS.length] } },
      splitLine: { show: i === 0, lineStyle: { color: '#333' } },
    })),
    series: signals.map((s, k) => ({
      type: 'line',
      name: s.unit ? `${s.name} [${s.unit}]` : s.name,
      yAxisIndex: axisOf[k],
      showSymbol: false,
      sampling: 'minmax',
      connectNulls: false,
      lineStyle: { width: 1.5 },
      dimensions: ['t', 'v'],
      data: new Float64Array(0),
    })),
  };
}
