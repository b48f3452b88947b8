/**
 * Offline-analysis UI state, shared by every analysis pane — and read by other areas (the
 * export dialog takes the visible range and the cursors from here):
 *
 *   sources     the open sources (analysis.open), as the engine described them
 *   sourceId    the source the panes show; batchKey the current coil/batch in it (null = all)
 *   panes       per trend pane: its signals, x-axis mode, time zone, sync opt-out, overlays
 *   ranges      the visible x range per axis kind ('time': ms since the epoch, also for the
 *               "relative to batch start" mode, which only relabels; 'length': metres);
 *               synchronised panes share these, an opted-out pane keeps its own in panes[id].range
 *   cursors     A/B cursor positions per axis kind, in the same units as ranges
 *
 * Use `visibleRange()` and `cursorsFor()` rather than reading the maps directly.
 */
import { create } from 'zustand';
import type { AnalysisSource } from '../../../app/shared/contract/analysis';

export type AxisMode = 'time' | 'relative' | 'length';
export type AxisKind = 'time' | 'length';
export const axisKind = (m: AxisMode): AxisKind => (m === 'length' ? 'length' : 'time');

export interface Range {
  from: number;
  to: number;
}

export interface Cursors {
  a: number | null;
  b: number | null;
}

export interface TrendPaneState {
  signals: string[];
  axis: AxisMode;
  /** IANA zone for absolute time labels ('UTC', 'Europe/Berlin'…); '' = the browser's. */
  timeZone: string;
  /** Follows the shared x range (on by default). */
  sync: boolean;
  /** Its own range when not synchronised. */
  range: Range | null;
  /** Other batches drawn over the current one, aligned at the head. */
  overlays: string[];
  /** Golden envelope behind the first signal: the batches it is made of and k. */
  envelope: { batches: string[]; k: number } | null;
}

export const DEFAULT_PANE: TrendPaneState = { signals: [], axis: 'time', timeZone: 'UTC', sync: true, range: null, overlays: [], envelope: null };

export interface AnalysisState {
  sources: AnalysisSource[];
  sourceId: string | null;
  batchKey: string | null;
  panes: Record<string, TrendPaneState>;
  ranges: Partial<Record<AxisKind, Range>>;
  /** Earlier ranges, newest last, for zoom undo (per axis kind). */
  history: Partial<Record<AxisKind, Range[]>>;
  cursors: Record<AxisKind, Cursors>;
  setSources(sources: AnalysisSource[]): void;
  addSource(source: AnalysisSource): void;
  removeSource(id: string): void;
  select(sourceId: string | null, batchKey?: string | null): void;
  pane(id: string): TrendPaneState;
  updatePane(id: string, patch: Partial<TrendPaneState>): void;
  removePane(id: string): void;
  setRange(kind: AxisKind, range: Range | null, remember?: boolean): void;
  undoRange(kind: AxisKind): void;
  setCursor(kind: AxisKind, which: 'a' | 'b', x: number | null): void;
}

export const useAnalysis = create<AnalysisState>()((set, get) => ({
  sources: [],
  sourceId: null,
  batchKey: null,
  panes: {},
  ranges: {},
  history: {},
  cursors: { time: { a: null, b: null }, length: { a: null, b: null } },
  setSources: (sources) =>
    set((s) => ({ sources, sourceId: s.sourceId && sources.some((x) => x.id === s.sourceId) ? s.sourceId : (sources[0]?.id ?? null) })),
  addSource: (source) =>
    set((s) => ({ sources: [...s.sources.filter((x) => x.id !== source.id), source], sourceId: source.id, batchKey: source.batches[0]?.key ?? null, ranges: {}, history: {} })),
  removeSource: (id) =>
    set((s) => {
      const sources = s.sources.filter((x) => x.id !== id);
      return { sources, sourceId: s.sourceId === id ? (sources[0]?.id ?? null) : s.sourceId, batchKey: s.sourceId === id ? null : s.batchKey };
    }),
  // A new batch starts with its whole extent in view; the time cursors move with it (same offset
  // from the batch start), so A/B compare the same place of each coil. Length cursors stay put.
  select: (sourceId, batchKey = null) =>
    set((s) => {
      const { batch: old } = currentSelection(s);
      const next = s.sources.find((x) => x.id === sourceId)?.batches.find((b) => b.key === batchKey);
      const shift = old && next ? next.start - old.start : 0;
      const move = (x: number | null): number | null => (x === null ? null : x + shift);
      return { sourceId, batchKey, ranges: {}, history: {}, cursors: { ...s.cursors, time: { a: move(s.cursors.time.a), b: move(s.cursors.time.b) } } };
    }),
  pane: (id) => get().panes[id] ?? DEFAULT_PANE,
  updatePane: (id, patch) => set((s) => ({ panes: { ...s.panes, [id]: { ...(s.panes[id] ?? DEFAULT_PANE), ...patch } } })),
  removePane: (id) =>
    set((s) => {
      const panes = { ...s.panes };
      delete panes[id];
      return { panes };
    }),
  setRange: (kind, range, remember = true) =>
    set((s) => {
      const old = s.ranges[kind];
      if (old && range && old.from === range.from && old.to === range.to) return {};
      const history = remember && old ? { ...s.history, [kind]: [...(s.history[kind] ?? []), old].slice(-50) } : s.history;
      return { ranges: { ...s.ranges, [kind]: range ?? undefined }, history };
    }),
  undoRange: (kind) =>
    set((s) => {
      const h = s.history[kind] ?? [];
      const prev = h[h.length - 1];
      return { ranges: { ...s.ranges, [kind]: prev }, history: { ...s.history, [kind]: h.slice(0, -1) } };
    }),
  setCursor: (kind, which, x) => set((s) => ({ cursors: { ...s.cursors, [kind]: { ...s.cursors[kind], [which]: x } } })),
}));

/** The current source and batch objects. */
export function currentSelection(s: AnalysisState = useAnalysis.getState()): { source: AnalysisSource | null; batch: AnalysisSource['batches'][number] | null } {
  const source = s.sources.find((x) => x.id === s.sourceId) ?? null;
  const batch = source?.batches.find((b) => b.key === s.batchKey) ?? null;
  return { source, batch };
}

/** What a trend pane shows on x now (for export: "the visible range"). */
export function visibleRange(paneId: string, s: AnalysisState = useAnalysis.getState()): Range | null {
  const p = s.panes[paneId] ?? DEFAULT_PANE;
  return p.sync ? (s.ranges[axisKind(p.axis)] ?? null) : p.range;
}

/** The A/B cursors of a pane's axis kind (ms since the epoch, or metres on the length axis). */
export function cursorsFor(paneId: string, s: AnalysisState = useAnalysis.getState()): Cursors & { kind: AxisKind } {
  const kind = axisKind((s.panes[paneId] ?? DEFAULT_PANE).axis);
  return { ...s.cursors[kind], kind };
}
