/** A value between min and max: an echarts gauge with the limit bands on its arc, or a plain progress bar. */
import { useRef } from 'react';
import * as echarts from 'echarts/core';
import { useEchart } from '../../charts/use-echart';
import { GaugeChart } from 'echarts/charts';
import { CanvasRenderer } from 'echarts/renderers';
import type { Limits, WidgetOf } from '../../../../app/shared/dashboards/schema';
import { useDash, useEvery, useLive } from '../dash-context';
import { formatNumber, limitLevel } from '../format';
import { usePrefs } from '../prefs';
import { latestOf, useKnownSignals, useSignalInfo } from './common';

echarts.use([GaugeChart, CanvasRenderer]);

export const GAUGE_RATE = 5;
const GOOD = '#66bb6a';
const WARN = '#ffb74d';
const BAD = '#ef5350';

/** The arc's colour stops (fractions of min…max) from the limits. */
export function gaugeBands(min: number, max: number, l: Limits): [number, string][] {
  const f = (v: number): number => Math.min(1, Math.max(0, (v - min) / (max - min)));
  const stops: [number, string][] = [];
  if (l.loLo !== null) stops.push([f(l.loLo), BAD]);
  if (l.lo !== null) stops.push([f(l.lo), WARN]);
  stops.push([l.hi !== null ? f(l.hi) : l.hiHi !== null ? f(l.hiHi) : 1, GOOD]);
  if (l.hi !== null) stops.push([l.hiHi !== null ? f(l.hiHi) : 1, WARN]);
  if (l.hiHi !== null) stops.push([1, BAD]);
  return stops;
}

export function GaugeWidget({ widget }: { widget: WidgetOf<'gauge'> }): React.JSX.Element {
  const { subs } = useDash();
  const info = useSignalInfo(widget.signal);
  const { known } = useKnownSignals([widget.signal]);
  useLive(known, GAUGE_RATE);
  const numberFormat = usePrefs((s) => s.prefs.numberFormat);
  const host = useRef<HTMLDivElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const shown = useRef(NaN);

  const chart = useEchart(host, widget.style !== 'gauge' ? null : (c) => {
    c.setOption({
      animation: false,
      series: [
        {
          type: 'gauge',
          min: widget.min,
          max: widget.max,
          radius: '95%',
          center: ['50%', '58%'],
          axisLine: { lineStyle: { width: 10, color: gaugeBands(widget.min, widget.max, widget.limits) } },
          axisTick: { show: false },
          splitLine: { length: 8, lineStyle: { color: '#888' } },
          splitNumber: 4,
          axisLabel: { color: '#999', fontSize: 9, distance: 14 },
          pointer: { width: 4, itemStyle: { color: 'auto' } },
          detail: { show: false },
          data: [{ value: widget.min }],
        },
      ],
    });
    shown.current = NaN;
  }, [widget.style, widget.min, widget.max, widget.limits]);

  useEvery(1000 / GAUGE_RATE, () => {
    const s = latestOf(subs.data, widget.signal, info?.timebaseMs);
    const v = Number.isFinite(s.value) ? Math.min(widget.max, Math.max(widget.min, s.value)) : widget.min;
    const text = `${formatNumber(s.value, widget.decimals, numberFormat)} ${info?.unit ?? ''}`;
    if (label.current && label.current.textContent !== text) label.current.textContent = text;
    if (box.current) {
      box.current.dataset.quality = s.quality;
      box.current.dataset.level = Number.isFinite(s.value) ? limitLevel(s.value, widget.limits) : 'normal';
    }
    if (v === shown.current) return;
    shown.current = v;
    if (chart.current) chart.current.setOption({ series: [{ data: [{ value: v }] }] }, { lazyUpdate: true });
    if (bar.current) bar.current.style.width = `${((v - widget.min) / (widget.max - widget.min)) * 100}%`;
  });

  return (
    <div className="w-gauge" ref={box} data-testid="gauge" data-quality="none">
      <div className="w-value-name">{widget.title || widget.signal}</div>
      {widget.style === 'gauge' ? (
        <div className="w-gauge-chart" ref={host} />
      ) : (
        <div className="w-bar">
          <div className="w-bar-fill" ref={bar} />
        </div>
      )}
      <div className="w-gauge-value" title={`range ${widget.min} … ${widget.max}`}>
        <span ref={label} data-testid="gauge-value">
          —
        </span>
      </div>
      {!info ? <div className="w-problem">no signal named “{widget.signal}”</div> : null}
    </div>
  );
}
