/**
 * One echarts instance on a host element: created (and set up) when the deps change, resized
 * with the element, disposed with the component. `setup` may return a cleanup (a timer); a
 * null setup means no chart for now (e.g. a widget drawn without echarts).
 */
import { useEffect, useRef, type DependencyList, type RefObject } from 'react';
import * as echarts from 'echarts/core';

export type ChartSetup = ((chart: echarts.ECharts, host: HTMLDivElement) => (() => void) | void) | null;

export function useEchart(host: RefObject<HTMLDivElement | null>, setup: ChartSetup, deps: DependencyList): RefObject<echarts.ECharts | null> {
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || !setup) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const cleanup = setup(c, el);
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      cleanup?.();
      c.dispose();
      chart.current = null;
    };
    // The caller's deps decide when the chart is made again (setup is a fresh closure each render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return chart;
}
