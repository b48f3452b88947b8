/**
 * A dashboard pane: a named, saved grid of live widgets. Edit mode has the palette, drag
 * and drop, widget settings and undo/redo; view mode locks the layout. While the pane is
 * hidden its widgets hold no live subscriptions.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { Layout } from 'react-grid-layout';
import { DASHBOARD_VERSION, type Dashboard, type Widget, type WidgetType } from '../../../app/shared/dashboards/schema';
import { makeTemplate, readTemplate, type TemplateReading } from '../../../app/shared/dashboards/template';
import { useSession } from '../session-context';
import { useParx, useReadOnly } from '../store';
import { PANE_KINDS } from '../panes/registry';
import { useAnalysis } from '../analysis/analysis-store';
import { Clock, DashCtx, type DashContext } from './dash-context';
import { liveSubscriptionsFor } from './subscriptions';
import { edit, redo, startHistory, undo, type EditHistory } from './history';
import { DashboardGrid, dragging } from './DashboardGrid';
import { WidgetEditor } from './WidgetEditor';
import { ImportDialog } from './ImportDialog';
import { dropSignalOn, duplicateWidget, gaugeRange, newWidget, PALETTE } from './widget-defaults';
import { WIDGET_MIME } from './dnd';
import { shareLink } from './share';
import { followAlarms } from './alarms-store';
import { forgetImage } from './widgets/ImageWidget';
import './dashboards.css';

export interface DashboardParams {
  name?: string;
  view?: boolean;
  /** Opened through a share link: view only, no way into edit mode. */
  locked?: boolean;
}

const empty = (name: string): Dashboard => ({ version: DASHBOARD_VERSION, name, widgets: [] });

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function DashboardPane(props: IDockviewPanelProps<DashboardParams>): React.JSX.Element {
  const session = useSession();
  const { transport } = session;
  const signals = useParx((s) => s.signals);
  const viewerToken = useParx((s) => s.engine?.viewerToken ?? null);
  // A viewer's dashboards are locked too (the role arrives with engine.info, after the first render).
  const readOnly = useReadOnly();
  const locked = props.params.locked === true || readOnly;
  const [history, setHistory] = useState<EditHistory<Dashboard>>(() => startHistory(empty(props.params.name ?? 'Dashboard')));
  const [savedVersion, setSavedVersion] = useState<Dashboard | null>(null);
  const [editing, setEditing] = useState(!locked && props.params.view !== true);
  useEffect(() => {
    if (locked) setEditing(false);
  }, [locked]);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ name: string; widgets: number }[]>([]);
  const [importing, setImporting] = useState<TemplateReading | null>(null);
  const [share, setShare] = useState<string | null>(null);
  const [active, setActive] = useState(props.api.isVisible);
  const fileInput = useRef<HTMLInputElement>(null);
  const clock = useMemo(() => new Clock(), []);
  const subs = useMemo(() => liveSubscriptionsFor(transport), [transport]);
  const dashboard = history.present;
  const dirty = savedVersion !== dashboard;

  useEffect(() => {
    const d = props.api.onDidVisibilityChange((e) => setActive(e.isVisible));
    return () => d.dispose();
  }, [props.api]);
  useEffect(() => clock.setRunning(active), [clock, active]);
  useEffect(() => () => clock.dispose(), [clock]);
  useEffect(() => followAlarms(transport), [transport]);
  useEffect(() => props.api.setTitle(`${dashboard.name}${dirty && !locked ? ' •' : ''}`), [props.api, dashboard.name, dirty, locked]);

  const refreshList = useCallback(async () => {
    const r = await transport.call('dashboards.list', {});
    if (r.ok) setSaved(r.value);
  }, [transport]);

  const load = useCallback(
    async (name: string) => {
      const r = await transport.call('dashboards.get', { name });
      if (r.ok) {
        setHistory(startHistory(r.value.dashboard));
        setSavedVersion(r.value.dashboard);
        setMessage(null);
      } else {
        const fresh = empty(name);
        setHistory(startHistory(fresh));
        setSavedVersion(null);
        setMessage(r.error.kind === 'not-found' ? `new dashboard “${name}” (not saved yet)` : r.error.message);
      }
      setSelected(null);
    },
    [transport],
  );

  useEffect(() => {
    void refreshList();
    if (props.params.name) void load(props.params.name);
  }, [load, refreshList, props.params.name]);

  const change = useCallback((fn: (d: Dashboard) => Dashboard) => setHistory((h) => edit(h, fn(h.present))), []);
  const setWidgets = (fn: (ws: Widget[]) => Widget[]): void => change((d) => ({ ...d, widgets: fn(d.widgets) }));

  // Ctrl+Z / Ctrl+Y (and Ctrl+Shift+Z) while editing this visible pane, but not inside a text field.
  useEffect(() => {
    if (!editing || !active) return;
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) setHistory(undo);
      else if (k === 'y' || (k === 'z' && e.shiftKey)) setHistory(redo);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, active]);

  const onLayout = (layout: Layout): void => {
    const at = new Map(layout.map((l) => [l.i, l]));
    const moved = dashboard.widgets.some((w) => {
      const l = at.get(w.id);
      return l && (l.x !== w.x || l.y !== w.y || l.w !== w.w || l.h !== w.h);
    });
    if (!moved) return;
    setWidgets((ws) =>
      ws.map((w) => {
        const l = at.get(w.id);
        return l ? { ...w, x: l.x, y: l.y, w: l.w, h: l.h } : w;
      }),
    );
  };

  const firstSignal = signals[0]?.name ?? '';
  const addWidget = (type: WidgetType, at: { x: number; y: number }, signal = '', style?: 'bar'): void => {
    const name = signal || (type === 'alarms' || type === 'image' || type === 'markdown' ? '' : firstSignal);
    let w = newWidget(type, at, name, style);
    // A gauge starts with a range that fits the signal's present value, not 0…100 for a 600 m/min line.
    const id = signals.find((x) => x.name === name)?.id;
    const now = id === undefined ? undefined : session.live.trace(id)?.latest()?.value;
    if (w.type === 'gauge' && now !== undefined && Number.isFinite(now)) w = { ...w, ...gaugeRange(now) };
    setWidgets((ws) => [...ws, w]);
    if (type === 'image') setSelected(w.id);
  };
  const onDropNew = (payload: { widget?: string; signal?: string }, at: { x: number; y: number }): void => {
    if (payload.widget) {
      const [type, style] = payload.widget.split(':') as [WidgetType, string | undefined];
      addWidget(type, at, payload.signal, style === 'bar' ? 'bar' : undefined);
    } else if (payload.signal) addWidget('value', at, payload.signal);
  };
  const bottom = (): number => dashboard.widgets.reduce((m, w) => Math.max(m, w.y + w.h), 0);

  const save = async (): Promise<void> => {
    const r = await transport.call('dashboards.save', { dashboard });
    if (r.ok) {
      setSavedVersion(dashboard);
      setMessage(`saved ${new Date(r.value.savedAt).toLocaleTimeString()}`);
      void refreshList();
    } else setMessage(`not saved: ${r.error.message}`);
  };

  const exportTemplate = async (): Promise<void> => {
    const images: Record<string, string> = {};
    const missing: string[] = [];
    for (const w of dashboard.widgets) {
      if (w.type !== 'image' || !w.image || images[w.image]) continue;
      const r = await transport.call('dashboards.getImage', { name: w.image });
      if (r.ok) images[w.image] = r.value.dataUrl;
      else missing.push(w.image);
    }
    download(`${dashboard.name.replace(/[^A-Za-z0-9 ._-]/g, '_')}.parx-dashboard.json`, JSON.stringify(makeTemplate(dashboard, images), null, 2));
    setMessage(`exported${missing.length ? ` — image(s) not found: ${missing.join(', ')}` : ''}`);
  };

  const readFile = async (file: File): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch (e) {
      setImporting({ dashboard: null, images: {}, problems: [{ item: file.name, message: `not JSON: ${(e as Error).message}` }], unknownSignals: [] });
      return;
    }
    const imgs = await transport.call('dashboards.listImages', {});
    setImporting(readTemplate(raw, { signals: new Set(signals.map((s) => s.name)), images: new Set(imgs.ok ? imgs.value : []) }));
  };

  const loadImported = async (d: Dashboard, images: Record<string, string>): Promise<void> => {
    const problems: string[] = [];
    for (const [name, dataUrl] of Object.entries(images)) {
      const r = await transport.call('dashboards.putImage', { name, dataUrl });
      if (r.ok) forgetImage(r.value.name);
      else problems.push(`image ${name}: ${r.error.message}`);
    }
    const taken = new Set(saved.map((s) => s.name));
    let name = d.name;
    for (let i = 2; taken.has(name); i++) name = `${d.name} (${i})`;
    const next = { ...d, name };
    setHistory(startHistory(next));
    setSavedVersion(null);
    setImporting(null);
    setEditing(!locked);
    setMessage(`imported “${name}” — not saved yet${problems.length ? `; ${problems.join('; ')}` : ''}`);
  };

  const openAnalysis = useCallback(
    (names: string[], from: number, to: number): string | null => {
      const kind = PANE_KINDS.find((k) => k.component === 'analysis-trend');
      const range = `${new Date(from).toISOString()} … ${new Date(to).toISOString()}`;
      if (!kind) return `The analysis pane is not part of this build; the moment was ${range}.`;
      const id = `analysis-trend-${Date.now().toString(36)}`;
      // The analysis trend keeps its state in the analysis store, keyed by pane id: its own range, not the shared one.
      useAnalysis.getState().updatePane(id, { signals: names, axis: 'time', sync: false, range: { from, to } });
      props.containerApi.addPanel({ id, component: kind.component, title: kind.title, params: kind.params ?? {}, position: { referencePanel: props.api.id, direction: 'right' } });
      return `opened in analysis at ${range} (recorded data: choose the recording that covers it)`;
    },
    [props.containerApi, props.api.id],
  );

  const ctx: DashContext = useMemo(() => ({ transport, subs, active, clock, openAnalysis }), [transport, subs, active, clock, openAnalysis]);
  const selectedWidget = dashboard.widgets.find((w) => w.id === selected) ?? null;

  // For tests and the benchmark: how many live subscriptions the window's dashboards hold.
  const stats = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const t = setInterval(() => {
      const s = subs.stats();
      if (stats.current) {
        stats.current.dataset.subscriptions = String(s.subscriptions);
        stats.current.dataset.refs = String(s.refs);
        stats.current.dataset.calls = String(subs.subscribeCalls);
      }
    }, 500);
    return () => clearInterval(t);
  }, [subs]);

  return (
    <DashCtx.Provider value={ctx}>
      <div className={`dashboard ${editing ? 'editing' : 'viewing'}`} data-testid="dashboard" data-name={dashboard.name} data-mode={editing ? 'edit' : 'view'} data-active={active ? '1' : '0'}>
        <div className="dash-toolbar">
          {editing ? (
            <input aria-label="dashboard name" data-testid="dash-name" value={dashboard.name} onChange={(e) => change((d) => ({ ...d, name: e.target.value.slice(0, 120) || 'Dashboard' }))} />
          ) : (
            <strong>{dashboard.name}</strong>
          )}
          {!locked ? (
            <>
              <select aria-label="open a saved dashboard" data-testid="dash-open" value="" onChange={(e) => e.target.value && void load(e.target.value)}>
                <option value="">Open…</option>
                {saved.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name} ({s.widgets})
                  </option>
                ))}
              </select>
              <button type="button" data-testid="dash-mode" onClick={() => setEditing(!editing)}>
                {editing ? 'View' : 'Edit'}
              </button>
            </>
          ) : (
            <span className="muted">read-only</span>
          )}
          {editing ? (
            <>
              <button type="button" data-testid="dash-undo" disabled={history.past.length === 0} onClick={() => setHistory(undo)} title="Undo (Ctrl+Z)">
                ↶ Undo
              </button>
              <button type="button" data-testid="dash-redo" disabled={history.future.length === 0} onClick={() => setHistory(redo)} title="Redo (Ctrl+Y)">
                ↷ Redo
              </button>
              <button type="button" data-testid="dash-save" onClick={() => void save()} disabled={!dirty}>
                Save
              </button>
            </>
          ) : null}
          {!locked ? (
            <>
              <button type="button" data-testid="dash-export" onClick={() => void exportTemplate()}>
                Export
              </button>
              <button type="button" data-testid="dash-import" onClick={() => fileInput.current?.click()}>
                Import
              </button>
              <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="dash-import-file" onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void readFile(f);
              }} />
              <button type="button" data-testid="dash-share" onClick={() => setShare(share ? null : shareLink(window.location.origin, dashboard.name, viewerToken))}>
                Share
              </button>
            </>
          ) : null}
          <span className="muted" data-testid="dash-message" ref={stats}>
            {message}
          </span>
        </div>
        {share ? (
          <div className="dash-share">
            Read-only link{dirty ? ' (save first: the link shows the saved dashboard)' : ''}: <input readOnly data-testid="dash-share-link" value={share} onFocus={(e) => e.target.select()} />
          </div>
        ) : null}
        {editing ? (
          <div className="dash-palette" data-testid="palette">
            {PALETTE.map((p) => {
              const payload = p.style ? `${p.type}:${p.style}` : p.type;
              return (
                <span
                  key={payload}
                  className="palette-item"
                  draggable
                  data-testid="palette-item"
                  data-widget={payload}
                  title="drag onto the dashboard (or click to add at the bottom)"
                  onDragStart={(e) => {
                    dragging.type = p.type;
                    e.dataTransfer.setData(WIDGET_MIME, payload);
                    e.dataTransfer.setData('text/plain', payload);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onDragEnd={() => (dragging.type = null)}
                  onClick={() => addWidget(p.type, { x: 0, y: bottom() }, '', p.style)}
                >
                  {p.label}
                </span>
              );
            })}
            <span className="muted">Drag widgets here, or signals from the Signals pane (onto a widget to add them to it).</span>
          </div>
        ) : null}
        <div className="dash-main">
          <DashboardGrid
            widgets={dashboard.widgets}
            editing={editing}
            selected={selected}
            onLayout={onLayout}
            onDropNew={onDropNew}
            onDropSignal={(id, signal, at) => setWidgets((ws) => ws.map((w) => (w.id === id ? dropSignalOn(w, signal, at) : w)))}
            onSelect={(id) => setSelected(id)}
            onDuplicate={(id) => setWidgets((ws) => {
              const w = ws.find((x) => x.id === id);
              return w ? [...ws, duplicateWidget(w, ws)] : ws;
            })}
            onDelete={(id) => {
              setWidgets((ws) => ws.filter((w) => w.id !== id));
              if (selected === id) setSelected(null);
            }}
          />
          {editing && selectedWidget ? <WidgetEditor widget={selectedWidget} onChange={(w) => setWidgets((ws) => ws.map((x) => (x.id === w.id ? w : x)))} onClose={() => setSelected(null)} /> : null}
        </div>
        {dashboard.widgets.length === 0 ? <div className="empty dash-empty">{editing ? 'Empty dashboard: drag a widget from the palette above, or a signal from the Signals pane.' : 'This dashboard has no widgets.'}</div> : null}
        {importing ? <ImportDialog reading={importing} onLoad={(d, images) => void loadImported(d, images)} onCancel={() => setImporting(null)} /> : null}
      </div>
    </DashCtx.Provider>
  );
}

