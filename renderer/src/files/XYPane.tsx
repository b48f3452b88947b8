/** Signal Y against signal X over a range (aligned and decimated by the engine), as a scatter. */
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useSession } from '../session-context';
import { chosenRange, RangePicker, SourcePicker, useBatches, type RangeMode } from './source-tools';
import './files.css';

echarts.use([ScatterChart, LineChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

/** [x0, y0, x1, y1, …]: the layout echarts draws fastest. */
export function interleave(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length * 2);
  for (let i = 0; i < x.length; i++) {
    out[2 * i] = x[i] as number;
    out[2 * i + 1] = y[i] as number;
  }
  return out;
}

export function SignalSelect({ label, value, signals, onChange, testid }: { label: string; value: string; signals: { name: string; unit: string }[]; onChange: (v: string) => void; testid: string }): React.JSX.Element {
  return (
    <label>
      {label}{' '}
      <select data-testid={testid} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">— signal —</option>
        {signals.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
            {s.unit ? ` [${s.unit}]` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

export function XYPane(): React.JSX.Element {
  const { transport } = useSession();
  const [source, setSource] = useState('');
  const { signals, error: sourceError } = useBatches(source);
  const [x, setX] = useState('');
  const [y, setY] = useState('');
  const [mode, setMode] = useState<RangeMode>('all');
  const [info, setInfo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    chart.current = echarts.init(el, undefined, { renderer: 'canvas' });
    const ro = new ResizeObserver(() => chart.current?.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  const draw = async (): Promise<void> => {
    const range = chosenRange(mode);
    if (range.problem) return setError(range.problem);
    setError(null);
    const r = await transport.call('files.xy', { source, x, y, ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}), ...(range.batches ? { batches: range.batches } : {}) });
    if (!r.ok) return setError(r.error.message);
    const unit = (n: string): string => signals.find((s) => s.name === n)?.unit ?? '';
    setInfo(`${r.value.x.length.toLocaleString()} points${r.value.total > r.value.x.length ? ` of ${r.value.total.toLocaleString()}` : ''}`);
    if (host.current) host.current.dataset.points = String(r.value.x.length);
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 60, right: 20, top: 20, bottom: 45 },
        tooltip: { trigger: 'item' },
        xAxis: { splitLine: { lineStyle: { color: '#3a3c41' } }, type: 'value', name: `${x}${unit(x) ? ` [${unit(x)}]` : ''}`, nameLocation: 'middle', nameGap: 28, scale: true },
        yAxis: { splitLine: { lineStyle: { color: '#3a3c41' } }, type: 'value', name: `${y}${unit(y) ? ` [${unit(y)}]` : ''}`, scale: true },
        series: [{ type: 'scatter', symbolSize: 3, large: true, largeThreshold: 2000, data: interleave(r.value.x, r.value.y), itemStyle: { color: '#4fc3f7', opacity: 0.6 } }],
      },
      true,
    );
  };

  return (
    <div className="files-pane" data-testid="xy-pane">
      <SourcePicker value={source} onChange={setSource} />
      {sourceError ? <div className="error">{sourceError}</div> : null}
      <div className="row">
        <SignalSelect label="X" value={x} signals={signals} onChange={setX} testid="xy-x" />
        <SignalSelect label="Y" value={y} signals={signals} onChange={setY} testid="xy-y" />
        <button type="button" data-testid="xy-draw" disabled={!x || !y || !source} onClick={() => void draw()}>
          Plot
        </button>
        {info ? <span className="muted">{info}</span> : null}
      </div>
      <RangePicker mode={mode} onChange={setMode} />
      {error ? <div className="error">{error}</div> : null}
      <div className="chart" data-testid="xy-chart" ref={host} />
    </div>
  );
}
