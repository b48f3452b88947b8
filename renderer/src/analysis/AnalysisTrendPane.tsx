/**
 * An analysis trend: signals dragged in from the signal tree, drawn from decimated queries
 * (analysis.query) that refetch at the new resolution on every zoom; x by absolute time (in a
 * chosen zone), relative to the batch start, or strip length; A/B cursors with a statistics
 * table; overlays of other coils aligned at the head and a golden envelope behind.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, ToolboxComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { IDockviewPanelProps } from 'dockview-react';
import type { CursorStats } from '../../../app/shared/contract/analysis';
import { useSession } from '../session-context';
import { DEFAULT_PANE, axisKind, useAnalysis, type AxisKind, type AxisMode, type Range } from './analysis-store';
import { SIGNAL_MIME, stepBatch } from './AnalysisBrowserPane';
import { COLORS, formatX, isDigital, trendOption, type TrendInput, type TrendSeries } from './trend-model';
import { listAnnotations } from './use-analysis-transport';
import './analysis.css';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, ToolboxComponent, MarkLineComponent, MarkAreaComponent, CanvasRenderer]);

/**
 * This page's mark on the `view` of its queries: two windows restoring one saved layout have
 * the same pane ids, and one's zoom must not supersede the other's queries.
 */
const PAGE = Math.random().toString(36).slice(2, 10);

const ZONES = ['UTC', '', 'Europe/Berlin', 'Europe/London', 'America/Chicago', 'Asia/Shanghai'];
const fmtNum = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1000 ? v.toFixed(1) : Number(v.toPrecision(6)).toString());

interface Drawn {
  series: TrendSeries[];
  envelope: TrendInput['envelope'];
  notes: TrendInput['notes'];
  alarms: TrendInput['alarms'];
  /** The axis kind the series and marks were fetched for: stale ones are not drawn on another axis. */
  kind: AxisKind | null;
  problem: string | null;
  lengthTo: number | null;
}

export function AnalysisTrendPane(props: IDockviewPanelProps): React.JSX.Element {
  const id = props.api.id;
  const { transport } = useSession();
  const pane = useAnalysis((s) => s.panes[id] ?? DEFAULT_PANE);
  const update = useAnalysis((s) => s.updatePane);
  const sources = useAnalysis((s) => s.sources);
  const sourceId = useAnalysis((s) => s.sourceId);
  const batchKey = useAnalysis((s) => s.batchKey);
  const kind = axisKind(pane.axis);
  const shared = useAnalysis((s) => s.ranges[kind]);
  const cursors = useAnalysis((s) => s.cursors[kind]);
  const source = sources.find((s) => s.id === sourceId) ?? null;
  const batch = source?.batches.find((b) => b.key === batchKey) ?? null;
  const [drawn, setDrawn] = useState<Drawn>({ series: [], envelope: null, notes: [], alarms: [], kind: null, problem: null, lengthTo: null });
  const [stats, setStats] = useState<CursorStats[] | null>(null);
  const [placing, setPlacing] = useState<'a' | 'b' | null>(null);
  const [width, setWidth] = useState(1000);
  const [dragOver, setDragOver] = useState(false);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const seq = useRef(0);

  const extent: Range | null = useMemo(() => {
    if (!source) return null;
    if (kind === 'length') return batch ? { from: 0, to: batch.lengthM ?? drawn.lengthTo ?? 1 } : null;
    return batch ? { from: batch.start, to: batch.end } : source.start !== null && source.end !== null ? { from: source.start, to: source.end } : null;
  }, [source, batch, kind, drawn.lengthTo]);
  const own = pane.sync ? shared : pane.range;
  const view = useMemo(() => (own && extent ? { from: Math.max(extent.from, own.from), to: Math.min(extent.to, own.to) } : extent), [own, extent]);
  const origin = batch?.start ?? source?.start ?? 0;

  const setView = (r: Range): void => {
    if (pane.sync) useAnalysis.getState().setRange(kind, r);
    else update(id, { range: r });
  };

  // Data: refetched when the view, the signals or the coil change (debounced while zooming).
  const viewFrom = view?.from;
  const viewTo = view?.to;
  useEffect(() => {
    if (!source || pane.signals.length === 0 || viewFrom === undefined || viewTo === undefined) {
      setDrawn((d) => ({ ...d, series: [], problem: null }));
      return;
    }
    if (kind === 'length' && !batch) {
      setDrawn((d) => ({ ...d, series: [], problem: 'the length axis shows one coil: choose one in the batch list' }));
      return;
    }
    const my = ++seq.current;
    const pixels = Math.max(100, Math.min(4000, Math.round(width)));
    const timer = setTimeout(() => {
      void (async () => {
        const axis = kind;
        // Notes and alarms of the view are fetched beside the data, not after it (one round trip, not three).
        const notesP = listAnnotations(transport, source.id, viewFrom, viewTo);
        const alarmsP = axis === 'time' ? transport.call('alarms.history', { from: viewFrom, to: viewTo, limit: 500 }) : null;
        // `view`: the worker drops this pane's queries still queued when a newer one comes (a fast zoom).
        const main = await transport.call('analysis.query', { source: source.id, signals: pane.signals, from: viewFrom, to: viewTo, pixels, axis, ...(batch ? { batch: batch.key } : {}), view: `${PAGE} ${id}` });
        if (my !== seq.current) return;
        if (!main.ok) {
          setDrawn((d) => ({ ...d, series: [], problem: main.error.message }));
          return;
        }
        // Dropped for a newer query of this pane: that one draws.
        if (main.value.superseded) return;
        const units = new Map(source.signals.map((s) => [s.name, s.unit]));
        const series: TrendSeries[] = main.value.series.map((s, k) => ({ name: s.signal, unit: units.get(s.signal) ?? '', x: s.x, value: s.value, quality: s.quality, color: COLORS[k % COLORS.length]!, digital: isDigital(units.get(s.signal) ?? '', s.value) }));
        // Other coils over this one, aligned at the head (t = 0 or length = 0).
        for (const key of pane.overlays) {
          const other = source.batches.find((b) => b.key === key);
          if (!other || !batch || other.key === batch.key) continue;
          const shift = axis === 'time' ? batch.start - other.start : 0;
          const r = await transport.call('analysis.query', { source: source.id, signals: pane.signals, from: viewFrom - shift, to: viewTo - shift, pixels, axis, batch: other.key, view: `${PAGE} ${id} overlay ${other.key}` });
          if (my !== seq.current || (r.ok && r.value.superseded)) return;
          if (!r.ok) continue;
          r.value.series.forEach((s, k) => {
            const unit = units.get(s.signal) ?? '';
            series.push({ name: `${s.signal} · coil ${other.coil || other.id}`, unit, x: shift ? s.x.map((x) => x + shift) : s.x, value: s.value, quality: s.quality, color: COLORS[k % COLORS.length]!, dashed: true, digital: isDigital(unit, s.value) });
          });
        }
        const notes = (await notesP).filter((a) => a.axis === axis && (axis === 'time' || !batch || a.batchId === null || a.batchId === batch.id)).map((a) => ({ from: a.from, to: a.to, text: a.text }));
        // Alarms from the workspace's alarm history, on the time axis (a length axis has no wall time).
        const alarms: TrendInput['alarms'] = [];
        const h = await alarmsP;
        if (h?.ok) for (const o of h.value) alarms.push({ from: o.activeAt, to: o.clearedAt, message: o.message, priority: o.priority });
        if (my !== seq.current) return;
        setDrawn((d) => ({ ...d, series, notes, alarms, kind: axis, problem: null, lengthTo: axis === 'length' ? main.value.to : d.lengthTo }));
      })();
    }, 60);
    return () => clearTimeout(timer);
  }, [transport, id, source, batch, kind, pane.signals, pane.overlays, viewFrom, viewTo, width]);

  // The golden envelope behind the first signal: fetched when its coils or the current coil change, not on zoom.
  useEffect(() => {
    const env = pane.envelope;
    const first = pane.signals[0];
    if (!source || !env || !first || env.batches.length === 0) {
      setDrawn((d) => ({ ...d, envelope: null }));
      return;
    }
    let live = true;
    void transport.call('analysis.envelope', { source: source.id, signal: first, batches: env.batches, axis: kind, k: env.k, points: 1000 }).then((r) => {
      if (!live) return;
      const shift = kind === 'time' ? origin : 0;
      setDrawn((d) => ({ ...d, envelope: r.ok ? { x: r.value.x.map((x) => x + shift), lower: r.value.lower, upper: r.value.upper, mean: r.value.mean } : null, problem: r.ok ? d.problem : r.error.message }));
    });
    return () => {
      live = false;
    };
  }, [transport, source, kind, pane.envelope, pane.signals, origin]);

  // Cursor statistics: exact, from the engine, whenever A, B or the signals change.
  useEffect(() => {
    if (!source || pane.signals.length === 0 || cursors.a === null || cursors.b === null || (kind === 'length' && !batch)) {
      setStats(null);
      return;
    }
    let live = true;
    void transport.call('analysis.stats', { source: source.id, signals: pane.signals, a: cursors.a, b: cursors.b, axis: kind, ...(batch && kind === 'length' ? { batch: batch.key } : {}) }).then((r) => {
      if (live) setStats(r.ok ? r.value : null);
    });
    return () => {
      live = false;
    };
  }, [transport, source, batch, kind, pane.signals, cursors.a, cursors.b]);

  // The chart: made once, redrawn as a pure function of what it shows.
  const viewRef = useRef({ extent, setView, placing, kind });
  viewRef.current = { extent, setView, placing, kind };
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('datazoom', () => {
      const ext = viewRef.current.extent;
      const dz = (c.getOption() as { dataZoom?: { start?: number; end?: number }[] }).dataZoom?.[0];
      if (!ext || !dz || dz.start === undefined || dz.end === undefined) return;
      const span = ext.to - ext.from;
      viewRef.current.setView({ from: ext.from + (dz.start / 100) * span, to: ext.from + (dz.end / 100) * span });
    });
    c.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
      const which = viewRef.current.placing;
      if (!which) return;
      if (!c.containPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY])) return;
      const [x] = c.convertFromPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY]) as number[];
      if (x === undefined || !Number.isFinite(x)) return;
      useAnalysis.getState().setCursor(viewRef.current.kind, which, x);
      setPlacing(which === 'a' ? 'b' : null);
    });
    const resize = new ResizeObserver(() => {
      c.resize();
      setWidth(el.clientWidth);
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c || !extent || !view) return;
    const markers: TrendInput['markers'] = [];
    if (source && kind === 'time') {
      for (const b of source.batches) {
        if (b.start >= view.from && b.start <= view.to) markers.push({ x: b.start, label: `▶ ${b.coil || b.id}` });
        if (b.end >= view.from && b.end <= view.to && (!batch || b.key === batch.key)) markers.push({ x: b.end, label: `■ ${b.coil || b.id}` });
      }
    }
    // Right after an axis switch the series still hold the other axis's x: draw nothing until the refetch lands.
    const fresh = drawn.kind === kind;
    const series = fresh ? drawn.series : [];
    const notes = fresh ? drawn.notes : [];
    const alarms = fresh ? drawn.alarms : [];
    c.setOption(trendOption({ series, extent, view, axis: pane.axis, origin, timeZone: pane.timeZone, cursors, markers, notes, alarms, envelope: drawn.envelope }), { notMerge: true });
    const el = host.current;
    if (el) {
      el.dataset.kind = fresh ? kind : '';
      el.dataset.points = String(series.reduce((s, x) => s + x.x.length, 0));
      el.dataset.series = String(series.length);
      el.dataset.alarms = String(alarms.length);
      el.dataset.notes = String(notes.length);
      el.dataset.from = String(view.from);
      el.dataset.to = String(view.to);
    }
  }, [drawn, extent, view, pane.axis, pane.timeZone, origin, cursors, source, batch, kind]);

  const drop = (e: React.DragEvent): void => {
    e.preventDefault();
    setDragOver(false);
    const name = e.dataTransfer.getData(SIGNAL_MIME) || e.dataTransfer.getData('text/plain');
    if (name && source?.signals.some((s) => s.name === name) && !pane.signals.includes(name)) update(id, { signals: [...pane.signals, name] });
  };

  const overlayNext = (): void => {
    if (!source || !batch) return;
    const i = source.batches.findIndex((b) => b.key === batch.key);
    const next = source.batches[i + 1] ?? source.batches[i - 1];
    if (!next || pane.overlays.includes(next.key)) return;
    update(id, { overlays: [...pane.overlays, next.key], axis: pane.axis === 'time' ? 'relative' : pane.axis });
  };

  const label = formatX(pane.axis, origin, pane.timeZone);
  const dx = cursors.a !== null && cursors.b !== null ? cursors.b - cursors.a : null;
  const history = useAnalysis((s) => s.history[kind]?.length ?? 0);

  return (
    <div
      className={`analysis-trend${dragOver ? ' drag-over' : ''}`}
      data-testid="trend-drop"
      onDragOver={(e) => {
        if (![...e.dataTransfer.types].includes(SIGNAL_MIME) && ![...e.dataTransfer.types].includes('text/plain')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={drop}
    >
      <div className="trend-toolbar">
        <select aria-label="x axis" data-testid="axis-mode" value={pane.axis} onChange={(e) => update(id, { axis: e.target.value as AxisMode })}>
          <option value="time">absolute time</option>
          <option value="relative">relative to batch start</option>
          <option value="length">strip length</option>
        </select>
        {pane.axis === 'time' ? (
          <select aria-label="time zone" value={pane.timeZone} onChange={(e) => update(id, { timeZone: e.target.value })}>
            {ZONES.map((z) => (
              <option key={z} value={z}>
                {z || 'local'}
              </option>
            ))}
          </select>
        ) : null}
        <label title="follow the x range of the other trends">
          <input type="checkbox" checked={pane.sync} onChange={(e) => update(id, { sync: e.target.checked, range: e.target.checked ? null : (view ?? null) })} /> sync x
        </label>
        <button type="button" data-testid="zoom-undo" disabled={pane.sync ? history === 0 : !pane.range} onClick={() => (pane.sync ? useAnalysis.getState().undoRange(kind) : update(id, { range: null }))}>
          ↶ zoom
        </button>
        <button type="button" onClick={() => (pane.sync ? useAnalysis.getState().setRange(kind, null) : update(id, { range: null }))}>
          all
        </button>
        <button type="button" data-testid="place-a" className={placing === 'a' ? 'on' : ''} onClick={() => setPlacing(placing === 'a' ? null : 'a')}>
          A
        </button>
        <button type="button" data-testid="place-b" className={placing === 'b' ? 'on' : ''} onClick={() => setPlacing(placing === 'b' ? null : 'b')}>
          B
        </button>
        <span className="sep" />
        <button type="button" onClick={() => stepBatch(-1)} title="previous coil">
          ◀
        </button>
        <span className="muted" data-testid="trend-coil">
          {batch ? `coil ${batch.coil || batch.id}` : source ? 'all batches' : ''}
        </span>
        <button type="button" onClick={() => stepBatch(1)} title="next coil">
          ▶
        </button>
        <button type="button" data-testid="overlay-next" disabled={!batch} onClick={overlayNext} title="draw the next coil over this one, aligned at the head">
          overlay next
        </button>
        {pane.overlays.length ? (
          <button type="button" onClick={() => update(id, { overlays: [] })}>
            clear overlays ({pane.overlays.length})
          </button>
        ) : null}
        <button
          type="button"
          data-testid="envelope"
          disabled={!source || !batch}
          className={pane.envelope ? 'on' : ''}
          title="golden envelope: mean ± 2σ of the other coils behind the first signal"
          onClick={() => update(id, { envelope: pane.envelope ? null : { batches: (source?.batches ?? []).filter((b) => b.key !== batch?.key).map((b) => b.key), k: 2 } })}
        >
          envelope ±2σ
        </button>
        <span className="signals">
          {pane.signals.map((s) => (
            <span key={s} className="chip">
              {s}
              <button type="button" aria-label={`remove ${s}`} onClick={() => update(id, { signals: pane.signals.filter((x) => x !== s) })}>
                ×
              </button>
            </span>
          ))}
        </span>
      </div>
      {drawn.problem ? <div className="reason" data-testid="trend-problem">{drawn.problem}</div> : null}
      <div className="trend-body">
        <div className="analysis-chart" data-testid="analysis-chart" ref={host} />
        {pane.signals.length === 0 ? <div className="drop-hint">{source ? 'Drag signals here from the signal tree.' : 'Open a recordings folder first (Analysis browser).'}</div> : null}
      </div>
      {pane.signals.length > 0 ? (
        <div className="table-wrap">
        <table className="cursor-table" data-testid="cursor-table">
          <thead>
            <tr>
              <th>signal</th>
              <th>A {cursors.a !== null ? label(cursors.a).replace('\n', ' ') : '—'}</th>
              <th>B {cursors.b !== null ? label(cursors.b).replace('\n', ' ') : '—'}</th>
              <th>Δ{kind === 'length' ? 'x' : 't'} = {dx === null ? '—' : kind === 'length' ? `${fmtNum(dx)} m` : `${fmtNum(dx / 1000)} s`}</th>
              <th>min</th>
              <th>max</th>
              <th>mean</th>
              <th>std</th>
              <th>n</th>
            </tr>
          </thead>
          <tbody>
            {pane.signals.map((s) => {
              const st = stats?.find((x) => x.signal === s);
              return (
                <tr key={s} data-signal={s}>
                  <td>{s}</td>
                  <td className="num">{fmtNum(st?.a?.value)}</td>
                  <td className="num">{fmtNum(st?.b?.value)}</td>
                  <td className="num">{st?.a && st.b ? fmtNum(st.b.value - st.a.value) : '—'}</td>
                  <td className="num">{fmtNum(st?.min)}</td>
                  <td className="num">{fmtNum(st?.max)}</td>
                  <td className="num">{fmtNum(st?.mean)}</td>
                  <td className="num">{fmtNum(st?.std)}</td>
                  <td className="num">{st ? st.count : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      ) : null}
      {placing ? <div className="muted hint">click the trend to place cursor {placing.toUpperCase()}</div> : null}
    </div>
  );
}
