/** Signal Y against signal X over a range (aligned and decimated by the engine), as a scatter. */
import { useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useSession } from '../session-context';
import { chosenRange, rangeParams, RangePicker, SignalSelect, SourcePicker, useBatches, useFilesChart, type RangeMode } from './source-tools';
import { interleave } from '../analysis/trend-model';
import './files.css';

echarts.use([ScatterChart, LineChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export function XYPane(): React.JSX.Element {
  const { transport } = useSession();
  const [source, setSource] = useState('');
  const { signals, error: sourceError } = useBatches(source);
  const [x, setX] = useState('');
  const [y, setY] = useState('');
  const [mode, setMode] = useState<RangeMode>('all');
  const [info, setInfo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { host, chart } = useFilesChart();

  const draw = async (): Promise<void> => {
    const range = chosenRange(mode);
    if (range.problem) return setError(range.problem);
    setError(null);
    const r = await transport.call('files.xy', { source, x, y, ...rangeParams(range) });
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
