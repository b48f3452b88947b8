/**
 * A live trend in a dashboard: the last N seconds of several signals, pause/resume, alarm
 * raises as markers, and "open in analysis" for the window on screen.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { useEchart } from '../../charts/use-echart';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { WidgetOf } from '../../../../app/shared/dashboards/schema';
import { useParx } from '../../store';
import { trendOption } from '../../panes/trend-option';
import { useDash, useEvery, useLive } from '../dash-context';
import { useAlarmMarkers } from '../alarms-store';
import { usePrefs } from '../prefs';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export const TREND_RATE = 10;
/** Five redraws a second: smooth enough for a scrolling minute, affordable for many trends on one dashboard. */
const REDRAW_MS = 200;

export function TrendWidget({ widget }: { widget: WidgetOf<'trend'> }): React.JSX.Element {
  const { subs, openAnalysis } = useDash();
  const all = useParx((s) => s.signals);
  const signals = useMemo(() => widget.signals.map((n) => all.find((s) => s.name === n)).filter((s) => s !== undefined), [all, widget.signals]);
  const missing = widget.signals.filter((n) => !all.some((s) => s.name === n));
  const names = useMemo(() => signals.map((s) => s.name), [signals]);
  useLive(names, TREND_RATE);
  const host = useRef<HTMLDivElement>(null);
  const [paused, setPaused] = useState<{ from: number; to: number } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const windowMs = widget.windowS * 1000;
  const theme = usePrefs((s) => s.prefs.theme);

  const chart = useEchart(host, signals.length === 0 ? null : (c) => {
    const opt = trendOption(signals);
    // trendOption draws for the dark theme; on the light one its grid lines would be too heavy.
    const grid = theme === 'light' ? '#e3e5e9' : '#333';
    c.setOption({
      ...opt,
      grid: { ...opt.grid, top: 28, bottom: 22 },
      legend: { ...opt.legend, textStyle: { color: '#999' } },
      xAxis: { ...opt.xAxis, splitLine: { show: true, lineStyle: { color: grid } } },
      yAxis: opt.yAxis.map((y) => ({ ...y, splitLine: { ...y.splitLine, lineStyle: { color: grid } } })),
    });
  }, [signals, theme]);

  // Alarm raises on these signals (limit alarms) as vertical markers on the first series.
  const markers = useAlarmMarkers(names);

  useEffect(() => {
    chart.current?.setOption({ series: [{ markLine: { symbol: 'none', silent: true, label: { show: false }, lineStyle: { color: '#ef5350', type: 'dashed' }, data: markers } }] });
  }, [chart, markers, signals, theme]);

  const draw = (): void => {
    const c = chart.current;
    const el = host.current;
    if (!c || !el || paused) return;
    const right = subs.data.engineNow();
    const from = right - windowMs;
    let points = 0;
    let newest = 0;
    const series = signals.map((s) => {
      const trace = subs.data.trace(s.name);
      const xy = trace ? trace.toXY(from) : new Float64Array(0);
      points += xy.length / 2;
      const last = trace?.latest();
      if (last && last.ts > newest) newest = last.ts;
      return { data: xy };
    });
    c.setOption({ series, xAxis: { min: from, max: right } }, { lazyUpdate: true });
    el.dataset.points = String(points);
    el.dataset.newest = String(newest);
  };
  useEvery(REDRAW_MS, draw);

  const togglePause = (): void => {
    if (paused) setPaused(null);
    else {
      const to = subs.data.engineNow();
      setPaused({ from: to - windowMs, to });
    }
  };
  const analyse = (): void => {
    const to = paused?.to ?? subs.data.engineNow();
    setNote(openAnalysis(names, to - windowMs, to));
  };

  return (
    <div className="w-trend">
      <div className="w-trend-bar">
        <button type="button" data-testid="trend-pause" onClick={togglePause} title={paused ? 'follow live data again' : 'hold this window'}>
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
        <button type="button" data-testid="trend-analysis" onClick={analyse} title="open these signals in analysis at this moment">
          Open in analysis
        </button>
        {missing.length ? <span className="w-problem">no signal named {missing.map((m) => `“${m}”`).join(', ')}</span> : null}
        {note ? <span className="w-note" data-testid="trend-note">{note}</span> : null}
      </div>
      {signals.length ? <div className="w-trend-chart" data-testid="dash-trend" data-paused={paused ? '1' : '0'} ref={host} /> : <div className="empty">Drop signals here.</div>}
    </div>
  );
}
