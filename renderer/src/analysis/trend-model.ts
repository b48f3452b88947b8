/**
 * The echarts option of an analysis trend, as a pure function of what it shows: main grid
 * (one y-axis per unit), a lane grid for digital signals, and a quality lane (gaps, stale,
 * bad periods). Data are flat [x, v, x, v…] Float64Arrays — echarts' fastest layout.
 */
import type { AxisMode, Cursors, Range } from './analysis-store';

export const COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8', '#fff176', '#4db6ac', '#f06292'];

export interface TrendSeries {
  name: string;
  unit: string;
  x: Float64Array;
  value: Float64Array;
  quality: Uint8Array;
  color: string;
  dashed?: boolean;
  digital: boolean;
}

export interface TrendInput {
  series: TrendSeries[];
  extent: Range;
  view: Range;
  axis: AxisMode;
  /** x of "0" on the relative axis (the batch start, ms). */
  origin: number;
  timeZone: string;
  cursors: Cursors;
  /** Batch open/close triggers and other instants. */
  markers: { x: number; label: string }[];
  /** Annotations: ranges with a note. */
  notes: { from: number; to: number; text: string }[];
  /** Alarm occurrences over the view (time axis only): raised at `from`, cleared at `to` (null = still open). */
  alarms: TrendAlarm[];
  envelope: { x: Float64Array; lower: Float64Array; upper: Float64Array; mean: Float64Array } | null;
}

export interface TrendAlarm {
  from: number;
  to: number | null;
  message: string;
  priority: number;
}

// Priorities run 1 (low) to 4 (critical), as in the alarm schema: critical and high red, medium orange, low amber.
const alarmColor = (priority: number): string => (priority >= 3 ? '#ef5350' : priority === 2 ? '#ff9800' : '#ffca28');

/** An empty series on the main grid that only carries vertical mark lines and shaded x ranges. */
function markSeries(name: string, lines: unknown[], areas: unknown[]) {
  return { type: 'line' as const, name, xAxisIndex: 0, yAxisIndex: 0, data: [], silent: true, markLine: { symbol: 'none', silent: true, animation: false, data: lines }, markArea: { silent: true, data: areas } };
}

/** [x0, v0, x1, v1, …] */
export function interleave(x: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(x.length * 2);
  for (let i = 0; i < x.length; i++) {
    out[2 * i] = x[i]!;
    out[2 * i + 1] = v[i]!;
  }
  return out;
}

/** A signal drawn as a lane: it only ever takes 0 and 1 (and has no unit). */
export function isDigital(unit: string, value: Float64Array): boolean {
  if (unit !== '' || value.length === 0) return false;
  for (const v of value) if (Number.isFinite(v) && v !== 0 && v !== 1) return false;
  return true;
}

export interface QualityRun {
  from: number;
  to: number;
  kind: 'gap' | 'stale' | 'bad';
}

/** Periods of a trace that are not good: a gap marker (no value), stale (2) or bad (3) quality. */
export function qualityRuns(x: Float64Array, value: Float64Array, quality: Uint8Array): QualityRun[] {
  const runs: QualityRun[] = [];
  let cur: QualityRun | null = null;
  for (let i = 0; i < x.length; i++) {
    const kind: QualityRun['kind'] | null = !Number.isFinite(value[i]!) ? 'gap' : quality[i]! >= 3 ? 'bad' : quality[i] === 2 ? 'stale' : null;
    if (cur && cur.kind === kind) {
      cur.to = x[i + 1] ?? x[i]!;
      continue;
    }
    if (cur) runs.push(cur);
    cur = kind ? { from: x[i]!, to: x[i + 1] ?? x[i]!, kind } : null;
  }
  if (cur) runs.push(cur);
  return runs;
}

const RUN_COLOR = { gap: 'rgba(160,160,160,0.6)', stale: 'rgba(255,183,77,0.7)', bad: 'rgba(229,115,115,0.8)' };

export function formatX(axis: AxisMode, origin: number, timeZone: string): (x: number) => string {
  if (axis === 'length') return (x) => `${Math.round(x * 10) / 10} m`;
  if (axis === 'relative') return (x) => `${Math.round((x - origin) / 100) / 10} s`;
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone || undefined, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return (x) => {
    const ms = Math.floor(x % 1000);
    return `${fmt.format(new Date(x))}${ms ? `.${String(ms).padStart(3, '0')}` : ''}`;
  };
}

/** The date under an absolute time axis (ticks show the time of day only). */
export function formatDay(x: number, timeZone: string): string {
  return `${new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(x))} ${timeZone || 'local'}`;
}

export function trendOption(input: TrendInput) {
  const analog = input.series.filter((s) => !s.digital);
  const digital = input.series.filter((s) => s.digital);
  const units: string[] = [];
  for (const s of analog) if (!units.includes(s.unit)) units.push(s.unit);
  const lanes = digital.length > 0;
  const right = 24 + Math.max(0, Math.ceil(units.length / 2) - 1) * 56 + (units.length > 1 ? 40 : 0);
  const left = 64 + Math.max(0, Math.ceil(units.length / 2) - 1) * 56;
  const laneH = lanes ? 18 * digital.length + 8 : 0;
  const label = formatX(input.axis, input.origin, input.timeZone);
  const grids = [
    { left, right, top: 30, bottom: 74 + laneH + 22 },
    { left, right, height: Math.max(1, laneH - 8), bottom: 74 + 22 },
    { left, right, height: 14, bottom: 74 },
  ];
  const xAxis = grids.map((_, i) => ({
    type: 'value',
    gridIndex: i,
    min: input.extent.from,
    max: input.extent.to,
    axisLabel: { show: i === 2, color: '#aaa', hideOverlap: true, formatter: label },
    name: i === 2 && input.axis === 'time' ? formatDay(input.view.from, input.timeZone) : '',
    nameLocation: 'start',
    nameGap: 8,
    nameTextStyle: { color: '#888', fontSize: 10, verticalAlign: 'top', padding: [14, 0, 0, 0] },
    axisTick: { show: i === 2 },
    splitLine: { show: i === 0, lineStyle: { color: '#333' } },
    axisPointer: { label: { formatter: (p: { value: number }) => label(p.value).replace('\n', ' ') } },
  }));
  const yAxis = [
    ...(units.length ? units : ['']).map((unit, i) => ({
      type: 'value',
      gridIndex: 0,
      name: unit || '—',
      position: i % 2 === 0 ? 'left' : 'right',
      offset: Math.floor(i / 2) * 56,
      scale: true,
      nameTextStyle: { color: '#aaa' },
      axisLabel: { color: '#aaa' },
      axisLine: { show: true, lineStyle: { color: analog.find((s) => s.unit === unit)?.color ?? '#888' } },
      splitLine: { show: i === 0, lineStyle: { color: '#333' } },
    })),
    { type: 'value', gridIndex: 1, min: 0, max: Math.max(1, digital.length), show: false },
    { type: 'value', gridIndex: 2, min: 0, max: 1, show: false },
  ];
  const laneAxis = Math.max(1, units.length);
  const series: Record<string, unknown>[] = [];
  if (input.envelope) {
    const e = input.envelope;
    const width = Float64Array.from(e.upper, (u, i) => u - e.lower[i]!);
    const unitAxis = Math.max(0, units.indexOf(analog[0]?.unit ?? ''));
    series.push(
      { type: 'line', name: 'envelope', yAxisIndex: unitAxis, stack: 'envelope', showSymbol: false, silent: true, lineStyle: { opacity: 0 }, data: interleave(e.x, e.lower), dimensions: ['x', 'v'] },
      { type: 'line', name: 'envelope', yAxisIndex: unitAxis, stack: 'envelope', showSymbol: false, silent: true, lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(129,199,132,0.18)' }, data: interleave(e.x, width), dimensions: ['x', 'v'] },
      { type: 'line', name: 'envelope mean', yAxisIndex: unitAxis, showSymbol: false, silent: true, lineStyle: { width: 1, type: 'dotted', color: '#81c784' }, data: interleave(e.x, e.mean), dimensions: ['x', 'v'] },
    );
  }
  for (const s of analog) {
    series.push({
      type: 'line',
      name: s.unit ? `${s.name} [${s.unit}]` : s.name,
      xAxisIndex: 0,
      yAxisIndex: Math.max(0, units.indexOf(s.unit)),
      showSymbol: false,
      connectNulls: false,
      color: s.color,
      lineStyle: { width: s.dashed ? 1 : 1.5, type: s.dashed ? 'dashed' : 'solid' },
      data: interleave(s.x, s.value),
      dimensions: ['x', 'v'],
    });
  }
  digital.forEach((s, k) => {
    // Lane k: 0 → k + 0.1, 1 → k + 0.8.
    const v = Float64Array.from(s.value, (x) => (Number.isFinite(x) ? digital.length - 1 - k + 0.1 + 0.7 * x : NaN));
    series.push({ type: 'line', name: s.name, xAxisIndex: 1, yAxisIndex: laneAxis, step: 'end', showSymbol: false, color: s.color, lineStyle: { width: 1.5 }, data: interleave(s.x, v), dimensions: ['x', 'v'] });
  });
  const runs = input.series.filter((s) => !s.dashed).flatMap((s) => qualityRuns(s.x, s.value, s.quality).map((r) => ({ ...r, signal: s.name })));
  series.push({
    type: 'line',
    name: 'quality',
    xAxisIndex: 2,
    yAxisIndex: laneAxis + 1,
    data: [],
    silent: true,
    markArea: { silent: true, data: runs.map((r) => [{ xAxis: r.from, itemStyle: { color: RUN_COLOR[r.kind] }, name: '' }, { xAxis: Math.max(r.to, r.from + (input.view.to - input.view.from) / 800) }]) },
  });
  const cursorLines = (['a', 'b'] as const).flatMap((k) => (input.cursors[k] === null ? [] : [{ xAxis: input.cursors[k], label: { formatter: k.toUpperCase(), color: '#fff' }, lineStyle: { color: k === 'a' ? '#ffeb3b' : '#ff80ab', width: 1.5, type: 'solid' } }]));
  series.push(markSeries(
    'markers',
    [...input.markers.map((m) => ({ xAxis: m.x, label: { formatter: m.label, color: '#9e9e9e', fontSize: 10, position: 'insideEndTop' }, lineStyle: { color: '#757575', type: 'dashed', width: 1 } })), ...cursorLines],
    input.notes.map((n) => [{ xAxis: n.from, name: n.text, itemStyle: { color: 'rgba(100,181,246,0.12)' }, label: { color: '#90caf9', fontSize: 10 } }, { xAxis: Math.max(n.to, n.from) }]),
  ));
  // Alarms: a solid line where each was raised and a faint band while it was active (an open one runs to the view's end).
  series.push(markSeries(
    'alarms',
    input.alarms.map((a) => ({ xAxis: a.from, label: { formatter: `⚠ ${a.message}`, color: alarmColor(a.priority), fontSize: 10, position: 'insideEndBottom' }, lineStyle: { color: alarmColor(a.priority), type: 'solid', width: 1 } })),
    input.alarms.map((a) => [{ xAxis: a.from, itemStyle: { color: `${alarmColor(a.priority)}1f` }, name: '' }, { xAxis: Math.max(a.from, a.to ?? input.view.to) }]),
  ));
  const span = input.extent.to - input.extent.from || 1;
  return {
    animation: false,
    grid: grids,
    legend: { top: 2, textStyle: { color: '#ccc' }, data: input.series.map((s) => (s.unit && !s.digital ? `${s.name} [${s.unit}]` : s.name)) },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' }, valueFormatter: (v: number) => (Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '—') },
    toolbox: { right: 8, top: 0, feature: { dataZoom: { yAxisIndex: 'none', title: { zoom: 'box zoom', back: 'back' } } }, iconStyle: { borderColor: '#aaa' } },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis,
    yAxis,
    dataZoom: [
      // throttle 0: the pane debounces refetches itself; echarts' own throttle only added latency to every zoom.
      { type: 'inside', xAxisIndex: [0, 1, 2], filterMode: 'none', throttle: 0, startValue: input.view.from, endValue: input.view.to, minValueSpan: span / 1e7 },
      { type: 'slider', xAxisIndex: [0, 1, 2], filterMode: 'none', startValue: input.view.from, endValue: input.view.to, height: 18, bottom: 22, labelFormatter: (v: number) => label(v).replace('\n', ' '), textStyle: { color: '#aaa' } },
    ],
    series,
  };
}
