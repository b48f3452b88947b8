/**
 * What the files panes share: choosing a source (an open analysis source, or a path typed in),
 * the signals and batches it has (files.batches), and a time range taken from the analysis
 * panes (visible range, A/B cursors, current batch) when they have one.
 */
import { useEffect, useRef, useState } from 'react';
import type * as echarts from 'echarts/core';
import { useEchart } from '../charts/use-echart';
import type { ResultOf } from '../../../app/shared/contract';
import { useSession } from '../session-context';
import { currentSelection, useAnalysis } from '../analysis/analysis-store';

export type BatchList = ResultOf<'files.batches'>;

export function SourcePicker({ value, onChange }: { value: string; onChange: (v: string) => void }): React.JSX.Element {
  const sources = useAnalysis((s) => s.sources);
  const current = useAnalysis((s) => s.sourceId);
  useEffect(() => {
    if (!value && current) onChange(current);
  }, [value, current, onChange]);
  return (
    <span className="row">
      <label>
        Source{' '}
        <input className="grow" data-testid="source-path" list="files-open-sources" value={value} placeholder="folder or .parquet file (open one in Analysis, or type a path)" onChange={(e) => onChange(e.target.value)} size={40} />
      </label>
      <datalist id="files-open-sources">
        {sources.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </datalist>
    </span>
  );
}

/** The batches and signals of a source, reloaded when it changes. */
export function useBatches(source: string): { batches: BatchList; signals: { name: string; unit: string }[]; error: string | null } {
  const { transport } = useSession();
  const [state, setState] = useState<{ batches: BatchList; error: string | null }>({ batches: [], error: null });
  useEffect(() => {
    if (!source.trim()) {
      setState({ batches: [], error: null });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void transport.call('files.batches', { source }).then((r) => {
        if (live) setState(r.ok ? { batches: r.value, error: null } : { batches: [], error: r.error.message });
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [transport, source]);
  const seen = new Map<string, string>();
  for (const b of state.batches) for (const s of b.signals) if (!seen.has(s.name)) seen.set(s.name, s.unit);
  return { batches: state.batches, signals: [...seen].map(([name, unit]) => ({ name, unit })), error: state.error };
}

export type RangeMode = 'all' | 'visible' | 'cursors' | 'batch';

export interface ChosenRange {
  from?: number;
  to?: number;
  batches?: string[];
  /** In words, for the dialog. */
  label: string;
  problem: string | null;
}

const fmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The range a mode stands for right now, from the analysis store (time axis). */
export function chosenRange(mode: RangeMode): ChosenRange {
  const s = useAnalysis.getState();
  if (mode === 'visible') {
    const r = s.ranges.time;
    return r ? { from: r.from, to: r.to, label: `${fmt(r.from)} → ${fmt(r.to)}`, problem: null } : { label: '', problem: 'no trend shows a range yet: open an analysis trend, or export everything' };
  }
  if (mode === 'cursors') {
    const { a, b } = s.cursors.time;
    return a !== null && b !== null ? { from: Math.min(a, b), to: Math.max(a, b), label: `${fmt(Math.min(a, b))} → ${fmt(Math.max(a, b))}`, problem: null } : { label: '', problem: 'place both cursors A and B on an analysis trend first' };
  }
  if (mode === 'batch') {
    const { batch } = currentSelection(s);
    return batch ? { batches: [batch.id], label: `batch ${batch.id}${batch.coil ? ` (coil ${batch.coil})` : ''}`, problem: null } : { label: '', problem: 'no batch is selected in Analysis' };
  }
  return { label: 'every sample of the source', problem: null };
}

export function RangePicker({ mode, onChange }: { mode: RangeMode; onChange: (m: RangeMode) => void }): React.JSX.Element {
  // Re-render when the analysis panes move, so the label follows.
  useAnalysis((s) => s.ranges.time);
  useAnalysis((s) => s.cursors.time);
  useAnalysis((s) => s.batchKey);
  const r = chosenRange(mode);
  return (
    <span className="row">
      <label>
        Range{' '}
        <select data-testid="range-mode" value={mode} onChange={(e) => onChange(e.target.value as RangeMode)}>
          <option value="all">whole source</option>
          <option value="batch">current batch</option>
          <option value="visible">visible range</option>
          <option value="cursors">between cursors A–B</option>
        </select>
      </label>
      <span className={r.problem ? 'warn' : 'muted'}>{r.problem ?? r.label}</span>
    </span>
  );
}

/** The range as request parameters (files.export, files.xy, files.spectrum): only what it sets. */
export function rangeParams(r: ChosenRange): { from?: number; to?: number; batches?: string[] } {
  return { ...(r.from !== undefined ? { from: r.from } : {}), ...(r.to !== undefined ? { to: r.to } : {}), ...(r.batches ? { batches: r.batches } : {}) };
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

/** An echarts instance on the returned host element, resized with it and disposed with the pane. */
export function useFilesChart(): { host: React.RefObject<HTMLDivElement | null>; chart: React.RefObject<echarts.ECharts | null> } {
  const host = useRef<HTMLDivElement>(null);
  const chart = useEchart(host, () => undefined, []);
  return { host, chart };
}
