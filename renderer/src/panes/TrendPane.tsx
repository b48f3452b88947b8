/**
 * A live trend: the last minute of the chosen signals, redrawn on a fixed 40 ms cadence
 * (PlotJuggler's lesson) however fast samples arrive, scrolling with the clock.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { IDockviewPanelProps } from 'dockview-react';
import { useParx } from '../store';
import { useSession } from '../session-context';
import { trendOption } from './trend-option';
import { SIGNAL_MIME } from '../dashboards/dnd';
import { followAlarms, useAlarmMarkers } from '../dashboards/alarms-store';
import { MarkLineComponent } from 'echarts/components';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export interface TrendParams {
  signals: string[];
  windowMs?: number;
}

const REDRAW_MS = 40;

export function TrendPane(props: IDockviewPanelProps<TrendParams>): React.JSX.Element {
  const session = useSession();
  const all = useParx((s) => s.signals);
  const names = props.params.signals;
  const windowMs = props.params.windowMs ?? 60_000;
  const signals = useMemo(() => names.map((n) => all.find((s) => s.name === n)).filter((s) => s !== undefined), [all, names]);
  const host = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<echarts.ECharts | null>(null);
  useEffect(() => followAlarms(session.transport), [session]);
  const markers = useAlarmMarkers(names);

  useEffect(() => {
    const el = host.current;
    if (!el || signals.length === 0) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.setOption(trendOption(signals));
    setChart(chart);
    const timer = setInterval(() => {
      let points = 0;
      let gaps = 0;
      let newest = 0;
      const data = signals.map((s) => {
        const trace = session.live.trace(s.id);
        const last = trace?.latest();
        if (last && last.ts > newest) newest = last.ts;
        return trace;
      });
      // The right edge is now, not the newest sample: when data stop, the gap shows as it grows.
      const right = Math.max(newest, session.live.engineNow());
      const from = right - windowMs;
      const series = data.map((trace) => {
        const xy = trace ? trace.toXY(from) : new Float64Array(0);
        points += xy.length / 2;
        for (let i = 1; i < xy.length; i += 2) if (Number.isNaN(xy[i])) gaps++;
        return { data: xy };
      });
      chart.setOption({ series, xAxis: { min: from, max: right } }, { lazyUpdate: true });
      el.dataset.points = String(points);
      el.dataset.newest = String(newest);
      el.dataset.gaps = String(gaps);
    }, REDRAW_MS);
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      clearInterval(timer);
      resize.disconnect();
      setChart(null);
      chart.dispose();
    };
  }, [session, signals, windowMs]);

  // Raises of limit alarms on these signals, as lines on the first series.
  useEffect(() => {
    if (!chart) return;
    chart.setOption({ series: [{ markLine: { symbol: 'none', silent: true, animation: false, label: { formatter: '⚠ {b}', color: '#ef5350', fontSize: 10 }, lineStyle: { color: '#ef5350', type: 'dashed' }, data: markers } }] });
    if (host.current) host.current.dataset.alarms = String(markers.length);
  }, [chart, markers]);

  // A signal dragged from the Signals list joins the trend.
  const drop = {
    onDragOver: (e: React.DragEvent): void => {
      if (e.dataTransfer.types.includes(SIGNAL_MIME)) e.preventDefault();
    },
    onDrop: (e: React.DragEvent): void => {
      const name = e.dataTransfer.getData(SIGNAL_MIME);
      e.preventDefault();
      if (name && !names.includes(name)) props.api.updateParameters({ ...props.params, signals: [...names, name] });
    },
  };
  if (signals.length === 0) return <div className="empty" data-testid="trend-empty" {...drop}>No signals on this trend yet: drag one here from the Signals list.</div>;
  return <div className="trend" data-testid="trend" data-signals={names.join('|')} ref={host} {...drop} />;
}
