import { DockviewReact, themeDark, type DockviewApi, type DockviewReadyEvent } from 'dockview-react';
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../app/shared/contract';
import { formatBytes } from './format-bytes';
import { useParx } from './store';
import { useSession } from './session-context';
import { PANE_KINDS, PANES } from './panes/registry';
import { openSharedDashboard } from './dashboards/open-shared';
import { PreferencesMenu } from './dashboards/PreferencesMenu';
import { AnalysisButton } from './analysis/AnalysisButton';
import { startLayout } from './analysis/layout';
import { CertificatePrompt } from './acquisition/CertificatePrompt';

/** The first layout: the signal list on the left, a live trend of speed and tension beside it. */
function defaultLayout(e: DockviewReadyEvent): void {
  e.api.addPanel({ id: 'signals', component: 'signals', title: 'Signals' });
  e.api.addPanel({
    id: 'trend-1',
    component: 'trend',
    title: 'Live trend',
    params: { signals: ['Line Speed', 'Entry Tension', 'Exit Tension'] },
    position: { referencePanel: 'signals', direction: 'right' },
  });
  e.api.addPanel({ id: 'connections', component: 'connections', title: 'I/O', position: { referencePanel: 'signals', direction: 'within' }, inactive: true });
  e.api.addPanel({ id: 'signal-table', component: 'signal-table', title: 'Signal table', position: { referencePanel: 'trend-1', direction: 'within' }, inactive: true });
  e.api.addPanel({ id: 'health', component: 'health', title: 'Health', position: { referencePanel: 'trend-1', direction: 'within' }, inactive: true });
  e.api.getPanel('signals')?.api.setSize({ width: 360 });
}

/** Samples received and, if this viewer could not keep up, how many the engine dropped for it. */
function LiveCounters(): React.JSX.Element {
  const { live } = useSession();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <span className="muted" data-testid="live-counters" data-dropped={live.dropped}>
      {live.received.toLocaleString()} samples{live.dropped > 0 ? ` · ${live.dropped.toLocaleString()} dropped (viewer too slow)` : ''}
    </span>
  );
}

/** Whether ParX is recording, and into which batch: what a commissioning engineer checks first. */
function RecordingIndicator(): React.JSX.Element | null {
  const { transport } = useSession();
  const [status, setStatus] = useState<ResultOf<'recording.status'> | null>(null);
  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      const r = await transport.call('recording.status', {});
      if (live && r.ok) setStatus(r.value);
    };
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [transport]);
  if (!status?.enabled) return <span className="muted" data-testid="recording" data-state="off">not recording</span>;
  if (status.alarm)
    return (
      <span data-testid="recording" data-state="alarm" className="rec-alarm" title={status.alarm.message}>
        {status.alarm.kind === 'losing'
          ? '■ SAMPLES LOST — the disk buffer cannot write (workspace disk full?) · recording goes on when it can'
          : `■ RECORDING STOPPED — disk full · ${formatBytes(status.backlogBytes)} waiting in the disk buffer · resumes when space returns`}
      </span>
    );
  const open = status.open;
  return (
    <span data-testid="recording" data-state={open ? 'recording' : 'idle'} className={open ? 'rec' : 'muted'}>
      {open ? `● REC ${open.coil ? `coil ${open.coil}` : open.id}` : 'recording armed'} · {status.files} file(s){status.errors ? ` · ${status.errors} error(s)` : ''}
    </span>
  );
}

/** Retro-capture: "something just happened — keep the last N minutes", from the disk buffer. */
function CaptureButton(): React.JSX.Element {
  const { transport } = useSession();
  const [minutes, setMinutes] = useState('30');
  const [result, setResult] = useState<string | null>(null);
  const capture = async (): Promise<void> => {
    setResult('saving…');
    const r = await transport.call('recording.capture', { minutes: Number(minutes), reason: 'operator (status bar)' });
    setResult(r.ok ? `saved ${r.value.rows.toLocaleString()} samples to ${r.value.file.split(/[\\/]/).pop() ?? r.value.file}` : r.error.message);
  };
  return (
    <span className="capture">
      <button type="button" data-testid="capture" onClick={() => void capture()}>
        Save last
      </button>
      <input className="narrow" aria-label="minutes to save" value={minutes} onChange={(e) => setMinutes(e.target.value)} /> min
      {result ? <span className="muted" data-testid="capture-result"> {result}</span> : null}
    </span>
  );
}

function StatusBar(): React.JSX.Element {
  const link = useParx((s) => s.link);
  const engine = useParx((s) => s.engine);
  const error = useParx((s) => s.error);
  return (
    <footer className="status-bar" data-testid="status-bar" data-link={link}>
      <span className={`dot ${link === 'open' ? 'connected' : 'disconnected'}`} />
      <span>{link === 'open' ? 'engine connected' : link === 'connecting' ? 'connecting to engine…' : 'engine link lost — retrying'}</span>
      {engine ? <span className="muted">ParX {engine.version} · {engine.mode} · {engine.workspace}</span> : null}
      {engine?.role === 'viewer' ? (
        <span className="read-only" data-testid="read-only" title="A read-only share link: it shows everything and changes nothing">
          read-only
        </span>
      ) : null}
      <LiveCounters />
      <RecordingIndicator />
      {engine?.role === 'viewer' ? null : <CaptureButton />}
      {error ? <span className="error">{error}</span> : null}
    </footer>
  );
}

let paneSeq = 0;

/** "Open …": a new pane of any openable kind beside the active one; a tool pane already open is brought forward instead. */
function OpenPaneMenu({ api }: { api: DockviewApi | null }): React.JSX.Element {
  const open = (component: string): void => {
    const kind = PANE_KINDS.find((k) => k.component === component);
    if (!api || !kind) return;
    const existing = kind.many ? undefined : api.panels.find((p) => p.api.component === component);
    if (existing) return existing.api.setActive();
    paneSeq += 1;
    const active = api.activePanel;
    api.addPanel({
      id: `${component}-${Date.now().toString(36)}-${paneSeq}`,
      component,
      title: kind.title,
      params: kind.params ?? {},
      ...(active ? { position: { referencePanel: active.id, direction: 'within' as const } } : {}),
    });
  };
  return (
    <select aria-label="open a pane" data-testid="open-pane" value="" onChange={(e) => open(e.target.value)}>
      <option value="">Open pane…</option>
      {PANE_KINDS.filter((k) => k.openable).map((k) => (
        <option key={k.component} value={k.component}>
          {k.title}
        </option>
      ))}
    </select>
  );
}

export function App(): React.JSX.Element {
  const [api, setApi] = useState<DockviewApi | null>(null);
  const session = useSession();
  const ready = (e: DockviewReadyEvent): void => {
    // The saved layout (analysis.layout.*) when there is one; the default otherwise.
    if (!openSharedDashboard(e.api)) void startLayout(e.api, session.transport, () => defaultLayout(e));
    setApi(e.api);
  };
  return (
    <div className="app">
      <header className="tool-bar" data-testid="tool-bar">
        <OpenPaneMenu api={api} />
        <PreferencesMenu />
        <AnalysisButton api={api} />
      </header>
      <div className="dock">
        <DockviewReact components={PANES} onReady={ready} theme={themeDark} />
      </div>
      <StatusBar />
      <CertificatePrompt />
    </div>
  );
}
