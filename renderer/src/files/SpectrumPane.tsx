/** Amplitude spectrum (FFT, Hann window) of one signal over a range, computed by the engine. */
import { useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useSession } from '../session-context';
import { chosenRange, rangeParams, RangePicker, SignalSelect, SourcePicker, useBatches, useFilesChart, type RangeMode } from './source-tools';
import { interleave } from '../analysis/trend-model';
import './files.css';

echarts.use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export function SpectrumPane(): React.JSX.Element {
  const { transport } = useSession();
  const [source, setSource] = useState('');
  const { signals, error: sourceError } = useBatches(source);
  const [signal, setSignal] = useState('');
  const [mode, setMode] = useState<RangeMode>('all');
  const [rate, setRate] = useState('');
  const [log, setLog] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { host, chart } = useFilesChart();

  const draw = async (): Promise<void> => {
    const range = chosenRange(mode);
    if (range.problem) return setError(range.problem);
    const rateHz = rate.trim() ? Number(rate) : undefined;
    if (rateHz !== undefined && !(rateHz > 0)) return setError('the sample rate must be a number of Hz above 0 (empty: the signal’s own rate)');
    setError(null);
    const r = await transport.call('files.spectrum', {
      source,
      signal,
      ...(rateHz !== undefined ? { rateHz } : {}),
      ...rangeParams(range),
    });
    if (!r.ok) return setError(r.error.message);
    const v = r.value;
    // Skip the DC bin: it is the mean, not a vibration, and would flatten the rest.
    const f = v.freq.subarray(1);
    const a = v.amplitude.subarray(1);
    let peak = 0;
    for (let k = 1; k < a.length; k++) if ((a[k] as number) > (a[peak] as number)) peak = k;
    const unit = signals.find((s) => s.name === signal)?.unit ?? '';
    setInfo(`${v.samples.toLocaleString()} samples at ${v.rateHz.toPrecision(4)} Hz · peak ${(f[peak] ?? 0).toPrecision(4)} Hz, ${(a[peak] ?? 0).toPrecision(3)} ${unit}`);
    if (host.current) {
      host.current.dataset.peakHz = String(f[peak] ?? 0);
      host.current.dataset.bins = String(f.length);
    }
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 60, right: 20, top: 20, bottom: 60 },
        tooltip: { trigger: 'axis' },
        dataZoom: [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 4 }],
        xAxis: { splitLine: { lineStyle: { color: '#3a3c41' } }, type: 'value', name: 'Hz', nameLocation: 'middle', nameGap: 24, min: 0, max: v.rateHz / 2 },
        yAxis: { splitLine: { lineStyle: { color: '#3a3c41' } }, type: log ? 'log' : 'value', name: `amplitude${unit ? ` [${unit}]` : ''}` },
        series: [{ type: 'line', showSymbol: false, sampling: 'lttb', lineStyle: { width: 1, color: '#ffb74d' }, data: interleave(f, log ? a.map((x) => Math.max(x, 1e-12)) : a) }],
      },
      true,
    );
  };

  return (
    <div className="files-pane" data-testid="spectrum-pane">
      <SourcePicker value={source} onChange={setSource} />
      {sourceError ? <div className="error">{sourceError}</div> : null}
      <div className="row">
        <SignalSelect label="Signal" value={signal} signals={signals} onChange={setSignal} testid="spectrum-signal" />
        <label>
          rate <input className="narrow" value={rate} placeholder="auto" size={6} onChange={(e) => setRate(e.target.value)} /> Hz
        </label>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log
        </label>
        <button type="button" data-testid="spectrum-draw" disabled={!signal || !source} onClick={() => void draw()}>
          Spectrum
        </button>
      </div>
      <RangePicker mode={mode} onChange={setMode} />
      {info ? <div className="muted" data-testid="spectrum-info">{info}</div> : null}
      {error ? <div className="error">{error}</div> : null}
      <div className="chart" data-testid="spectrum-chart" ref={host} />
    </div>
  );
}
