/**
 * The analysis workspace's persistence: the dock layout (dockview toJSON), the open sources,
 * the current batch, every analysis pane's contents and the cursors, saved in the workspace
 * (analysis.layout.save, debounced) and restored at start.
 */
import type { DockviewApi } from 'dockview-react';
import type { Transport } from '../transport/transport';
import { useAnalysis, type Cursors, type TrendPaneState } from './analysis-store';
import { loadSources, openSource } from './use-analysis-transport';

interface SavedLayout {
  version: 1;
  dock: unknown;
  sources: string[];
  sourceId: string | null;
  batchKey: string | null;
  panes: Record<string, TrendPaneState>;
  cursors: { time: Cursors; length: Cursors };
}

let seq = 0;

/** Adds the analysis panes (browser on the left, one trend) unless they are there already. */
export function openAnalysisWorkspace(api: DockviewApi): void {
  if (!api.getPanel('analysis-browser')) {
    const first = api.panels[0];
    api.addPanel({ id: 'analysis-browser', component: 'analysis-browser', title: 'Analysis', ...(first ? { position: { referencePanel: first.id, direction: 'within' as const } } : {}) });
  }
  const trends = api.panels.filter((p) => p.id.startsWith('analysis-trend'));
  if (trends.length === 0) {
    // Beside the browser, as a tab of the big group where the live trend is when there is one.
    const big = api.panels.find((p) => p.id !== 'analysis-browser' && p.group.id !== api.getPanel('analysis-browser')?.group.id);
    const position = big ? { referencePanel: big.id, direction: 'within' as const } : { referencePanel: 'analysis-browser', direction: 'right' as const };
    api.addPanel({ id: `analysis-trend-${Date.now().toString(36)}-${++seq}`, component: 'analysis-trend', title: 'Analysis trend', position });
    api.getPanel('analysis-browser')?.api.setSize({ width: 380 });
  } else trends[0]!.api.setActive();
  api.getPanel('analysis-browser')?.api.setActive();
  trends[0]?.api.setActive();
}

/** Restores the saved layout; false when there is none (or it does not load), so the caller lays out the default. */
export async function restoreLayout(api: DockviewApi, transport: Transport): Promise<boolean> {
  const r = await transport.call('analysis.layout.get', {});
  const saved = r.ok ? (r.value.layout as SavedLayout | null) : null;
  if (!saved || saved.version !== 1 || !saved.dock) return false;
  try {
    api.fromJSON(saved.dock as Parameters<DockviewApi['fromJSON']>[0]);
  } catch {
    return false;
  }
  const store = useAnalysis.getState();
  for (const id of saved.sources ?? []) await openSource(transport, id);
  await loadSources(transport);
  useAnalysis.setState({ panes: saved.panes ?? {}, cursors: saved.cursors ?? store.cursors });
  // Straight into the state: select() would move the restored cursors with the batch.
  if (saved.sourceId && useAnalysis.getState().sources.some((s) => s.id === saved.sourceId)) useAnalysis.setState({ sourceId: saved.sourceId, batchKey: saved.batchKey });
  return true;
}

/** Saves on every layout or analysis change, at most once a second. Returns the unsubscribe. */
export function persistLayout(api: DockviewApi, transport: Transport): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const s = useAnalysis.getState();
      const panes = Object.fromEntries(Object.entries(s.panes).filter(([id]) => api.getPanel(id)));
      const layout: SavedLayout = { version: 1, dock: api.toJSON(), sources: s.sources.map((x) => x.id), sourceId: s.sourceId, batchKey: s.batchKey, panes, cursors: s.cursors };
      void transport.call('analysis.layout.save', { layout });
    }, 1000);
  };
  const a = api.onDidLayoutChange(save);
  const b = useAnalysis.subscribe(save);
  return () => {
    a.dispose();
    b();
    if (timer) clearTimeout(timer);
  };
}

/** At start: the saved layout, or the default one — plus the analysis panes when the engine already has sources open (`parx serve --open`). */
export async function startLayout(api: DockviewApi, transport: Transport, fallback: () => void): Promise<void> {
  const restored = await restoreLayout(api, transport).catch(() => false);
  if (!restored) {
    if (api.panels.length === 0) fallback();
    const open = await transport.call('analysis.sources', {});
    if (open.ok && open.value.length > 0) {
      await loadSources(transport);
      openAnalysisWorkspace(api);
    }
  }
  persistLayout(api, transport);
}
