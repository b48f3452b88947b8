/**
 * Recordings: every batch file from the catalog, newest first, with the batch being written
 * on top (status "recording"); start/stop by hand, "save the last X minutes", and a cleanup
 * that first shows what the retention rules would archive and delete, then runs on request.
 */
import { useCallback, useEffect, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { ResultOf } from '../../../app/shared/contract';
import { useSession } from '../session-context';
import './recordings.css';

type Status = ResultOf<'recording.status'>;
type Batches = ResultOf<'catalog.batches'>;
import { formatBytes } from '../format-bytes';

type Cleanup = ResultOf<'catalog.cleanup'>;

export { formatBytes };

export function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const when = (ms: number): string => new Date(ms).toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const base = (f: string): string => f.split(/[\\/]/).pop() ?? f;

export function RecordingsPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const [status, setStatus] = useState<Status | null>(null);
  const [batches, setBatches] = useState<Batches | null>(null);
  const [coil, setCoil] = useState('');
  const [minutes, setMinutes] = useState('5');
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [preview, setPreview] = useState<Cleanup | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const [s, b] = await Promise.all([transport.call('recording.status', {}), transport.call('catalog.batches', { limit: 1000, ...(coil ? { coil } : {}) })]);
    if (s.ok) setStatus(s.value);
    if (b.ok) setBatches(b.value);
    else setMessage({ text: b.error.message, bad: true });
  }, [transport, coil]);

  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), 1000);
    return () => clearInterval(t);
  }, [load]);

  const act = async (what: () => Promise<string>): Promise<void> => {
    setBusy(true);
    try {
      setMessage({ text: await what(), bad: false });
    } catch (e) {
      setMessage({ text: (e as Error).message, bad: true });
    } finally {
      setBusy(false);
      void load();
    }
  };
  const command = (action: 'start' | 'stop') =>
    act(async () => {
      const r = await transport.call('recording.command', { action, reason: 'operator' });
      if (!r.ok) throw new Error(r.error.message);
      return action === 'start' ? 'New batch started.' : 'Batch stopped and closed.';
    });
  const capture = () =>
    act(async () => {
      const m = Number(minutes);
      if (!Number.isFinite(m) || m <= 0) throw new Error('Minutes must be a positive number.');
      const r = await transport.call('recording.capture', { minutes: m, reason: 'operator' });
      if (!r.ok) throw new Error(r.error.message);
      return `Saved the last ${m} min: ${base(r.value.file)} (${r.value.rows} samples).`;
    });
  const cleanup = (dryRun: boolean) =>
    act(async () => {
      const r = await transport.call('catalog.cleanup', { dryRun });
      if (!r.ok) throw new Error(r.error.message);
      if (dryRun) {
        setPreview(r.value);
        return r.value.actions.length ? `Cleanup would remove ${r.value.actions.length} batch file(s) — review below.` : 'Nothing to clean up: every batch is within the retention rules.';
      }
      setPreview(null);
      const failed = r.value.actions.filter((a) => !a.done);
      if (failed.length) throw new Error(`Cleaned up ${r.value.actions.length - failed.length}; kept ${failed.length}: ${failed[0]?.error ?? ''}`);
      return `Cleaned up ${r.value.actions.length} batch file(s).`;
    });

  const open = status?.open ?? null;
  const recording = status?.enabled ?? false;
  return (
    <div className="recordings-pane" data-testid="recordings-pane">
      <div className="recordings-bar">
        <button type="button" data-testid="rec-start" disabled={busy || !recording} onClick={() => void command('start')} title="Close the open batch (if any) and start a new one">
          ● Start
        </button>
        <button type="button" data-testid="rec-stop" disabled={busy || !open} onClick={() => void command('stop')}>
          ■ Stop
        </button>
        <span className="sep" />
        <label>
          Save last{' '}
          <input data-testid="rec-capture-minutes" className="minutes" value={minutes} onChange={(e) => setMinutes(e.target.value)} inputMode="decimal" /> min
        </label>
        <button type="button" data-testid="rec-capture" disabled={busy} onClick={() => void capture()}>
          Save
        </button>
        <span className="sep" />
        <button type="button" data-testid="rec-cleanup" disabled={busy} onClick={() => void cleanup(true)} title="Show what the retention rules would archive and delete">
          Clean up…
        </button>
        <input data-testid="rec-coil-filter" className="filter" placeholder="Filter coil id" value={coil} onChange={(e) => setCoil(e.target.value)} />
        <span className="muted count">{batches ? `${batches.total} batch${batches.total === 1 ? '' : 'es'}` : ''}</span>
      </div>
      {!recording ? <div className="muted note">Recording is off: enable it in Storage rules. Files recorded earlier are listed below.</div> : null}
      {message ? (
        <div data-testid="recordings-message" className={message.bad ? 'reason note' : 'muted note'}>
          {message.text}
        </div>
      ) : null}
      {preview && preview.actions.length > 0 ? (
        <div className="cleanup-preview" data-testid="cleanup-preview">
          <div>
            <strong>Retention would {preview.actions.some((a) => a.archivedTo) ? 'archive, then delete' : 'delete'}:</strong>
          </div>
          <ul>
            {preview.actions.map((a) => (
              <li key={a.file}>
                <span className="mono">{base(a.file)}</span> — {formatBytes(a.bytes)}, {a.reason}
                {a.archivedTo ? <span className="muted"> → {a.archivedTo}</span> : null}
              </li>
            ))}
          </ul>
          <button type="button" data-testid="cleanup-run" disabled={busy} onClick={() => void cleanup(false)}>
            Run cleanup
          </button>{' '}
          <button type="button" onClick={() => setPreview(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>coil</th>
            <th>status</th>
            <th>start</th>
            <th>duration</th>
            <th>size</th>
            <th>samples</th>
            <th>file</th>
          </tr>
        </thead>
        <tbody>
          {open ? (
            <tr data-testid="recordings-row" data-status="recording" className="open">
              <td>{open.coil ?? '—'}</td>
              <td>
                <span className="dot recording" /> recording
              </td>
              <td>{when(open.openedAt)}</td>
              <td>{formatDuration(Math.max(0, (Date.now() - open.openedAt) / 1000))}</td>
              <td className="muted">—</td>
              <td>{open.samples}</td>
              <td className="mono muted">{open.id}</td>
            </tr>
          ) : null}
          {batches?.batches.map((b) => (
            <tr key={b.file} data-testid="recordings-row" data-status={b.status} title={`${b.openedBy} → ${b.closedBy}`}>
              <td>{b.coil ?? '—'}</td>
              <td>
                <span className={`dot ${b.status}`} /> {b.status}
              </td>
              <td>{when(b.start)}</td>
              <td>{formatDuration(b.durationS)}</td>
              <td>{formatBytes(b.bytes)}</td>
              <td>{b.rows}</td>
              <td className="mono">{base(b.file)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {batches && batches.total === 0 && !open ? <div className="empty">No batch files yet.</div> : null}
    </div>
  );
}
