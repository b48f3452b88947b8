/**
 * The analysis workspace's left side: open a folder or file (or a recent one), the open
 * sources with their problems, the batch list / coil timeline with previous/next coil, and
 * the signal tree with search over name, unit and description. Signals are dragged onto
 * analysis trends.
 */
import { useEffect, useMemo, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import { useSession } from '../session-context';
import { useAnalysis, currentSelection } from './analysis-store';
import { loadSources, openSource } from './use-analysis-transport';
import './analysis.css';

export const SIGNAL_MIME = 'application/x-parx-signal';
const DERIVED_GROUP = 'Derived signals';

const fmtTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const fmtDuration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${(ms / 1000).toFixed(1)} s`;
};

/** Moves to the previous (−1) or next (+1) batch of the current source. */
export function stepBatch(dir: -1 | 1): void {
  const s = useAnalysis.getState();
  const { source } = currentSelection(s);
  if (!source || source.batches.length === 0) return;
  const i = source.batches.findIndex((b) => b.key === s.batchKey);
  const next = source.batches[Math.min(source.batches.length - 1, Math.max(0, (i < 0 ? (dir > 0 ? -1 : source.batches.length) : i) + dir))];
  if (next) s.select(source.id, next.key);
}

export function AnalysisBrowserPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const sources = useAnalysis((s) => s.sources);
  const sourceId = useAnalysis((s) => s.sourceId);
  const batchKey = useAnalysis((s) => s.batchKey);
  const select = useAnalysis((s) => s.select);
  const [path, setPath] = useState('');
  const [recent, setRecent] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState('');
  const source = sources.find((s) => s.id === sourceId) ?? null;

  useEffect(() => {
    void loadSources(transport);
    void transport.call('analysis.recent', {}).then((r) => r.ok && setRecent(r.value));
  }, [transport]);

  const open = async (p: string): Promise<void> => {
    if (!p.trim()) return;
    setBusy(true);
    setMessage(`opening ${p}…`);
    const r = await openSource(transport, p.trim());
    setBusy(false);
    if (!r.ok) setMessage(r.message);
    else {
      setMessage(`${r.source.batches.length} batch(es), ${r.source.signals.length} signal(s)${r.source.problems.length ? ` — ${r.source.problems.length} file(s) could not be read` : ''}`);
      const rr = await transport.call('analysis.recent', {});
      if (rr.ok) setRecent(rr.value);
    }
  };

  const close = async (id: string): Promise<void> => {
    await transport.call('analysis.close', { source: id });
    useAnalysis.getState().removeSource(id);
  };

  const signals = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = source?.signals ?? [];
    return q ? all.filter((s) => `${s.name} ${s.unit} ${s.description}`.toLowerCase().includes(q)) : all;
  }, [source, search]);
  // The tree: signals grouped by unit, so a drag finds its axis partners at a glance; the workspace's derived signals last, in their own group.
  const groups = useMemo(() => {
    const m = new Map<string, typeof signals>();
    for (const s of signals) {
      const key = s.formula !== undefined ? DERIVED_GROUP : s.unit || '(no unit)';
      m.set(key, [...(m.get(key) ?? []), s]);
    }
    return [...m.entries()].sort((a, b) => Number(a[0] === DERIVED_GROUP) - Number(b[0] === DERIVED_GROUP) || a[0].localeCompare(b[0]));
  }, [signals]);

  return (
    <div className="analysis-browser" data-testid="analysis-browser">
      <form
        className="open-row"
        onSubmit={(e) => {
          e.preventDefault();
          void open(path);
        }}
      >
        <input data-testid="analysis-path" placeholder="folder of batch files or a .parquet file" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit" data-testid="analysis-open" disabled={busy}>
          Open
        </button>
      </form>
      {recent.length > 0 ? (
        <select aria-label="recent" data-testid="analysis-recent" value="" onChange={(e) => void open(e.target.value)}>
          <option value="">Recent…</option>
          {recent.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      ) : null}
      {message ? <div className="message" data-testid="analysis-message">{message}</div> : null}
      {sources.length > 0 ? (
        <div className="sources">
          {sources.map((s) => (
            <div key={s.id} className={`source${s.id === sourceId ? ' current' : ''}`}>
              <button type="button" className="link" onClick={() => select(s.id, s.batches[0]?.key ?? null)} title={s.id}>
                {s.name}
              </button>
              <span className="muted"> {s.batches.length} batch(es)</span>
              <button type="button" className="x" aria-label={`close ${s.name}`} onClick={() => void close(s.id)}>
                ×
              </button>
            </div>
          ))}
        </div>
      ) : null}
      {source && source.problems.length > 0 ? (
        <ul className="problems" data-testid="analysis-problems">
          {source.problems.map((p) => (
            <li key={p.file}>
              <span className="mono">{p.file}</span>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {source ? (
        <>
          <div className="batch-nav">
            <strong>Coils</strong>
            <button type="button" data-testid="coil-prev" onClick={() => stepBatch(-1)}>
              ◀ previous
            </button>
            <button type="button" data-testid="coil-next" onClick={() => stepBatch(1)}>
              next ▶
            </button>
            <button type="button" className={batchKey === null ? 'on' : ''} onClick={() => select(source.id, null)} title="every batch on one time axis">
              all
            </button>
          </div>
          <div className="batch-list">
            <table data-testid="batch-list">
              <thead>
                <tr>
                  <th>coil</th>
                  <th>start (UTC)</th>
                  <th>duration</th>
                  <th>length</th>
                  <th>status</th>
                </tr>
              </thead>
              <tbody>
                {source.batches.map((b) => (
                  <tr key={b.key} className={b.key === batchKey ? 'current' : ''} data-batch={b.key} onClick={() => select(source.id, b.key)} title={`${b.file}\nopened: ${b.openedBy}\nclosed: ${b.closedBy}`}>
                    <td>{b.coil || b.id}</td>
                    <td className="mono">{fmtTime(b.start)}</td>
                    <td>{fmtDuration(b.end - b.start)}</td>
                    <td>{b.lengthM !== null ? `${b.lengthM.toFixed(1)} m` : '—'}</td>
                    <td className={b.status === 'complete' ? 'muted' : 'warn'}>{b.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <input className="search" data-testid="signal-search" placeholder="search signals (name, unit, description)" value={search} onChange={(e) => setSearch(e.target.value)} />
          <div className="signal-tree" data-testid="signal-tree">
            {groups.map(([unit, list]) => (
              <details key={unit} open>
                <summary>
                  {unit} <span className="muted">({list.length})</span>
                </summary>
                {list.map((s) => (
                  <div
                    key={s.name}
                    className={`signal${s.status ? ' unavailable' : ''}`}
                    draggable={!s.status}
                    data-testid="analysis-signal"
                    data-signal={s.name}
                    data-status={s.status}
                    title={s.formula !== undefined ? [`${s.name} = ${s.formula}`, s.description, s.status].filter(Boolean).join('\n') : s.description}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(SIGNAL_MIME, s.name);
                      e.dataTransfer.setData('text/plain', s.name);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                  >
                    {s.name} <span className="muted">{s.status ?? (s.formula !== undefined ? `${s.unit ? `[${s.unit}] ` : ''}${s.description}` : s.description)}</span>
                  </div>
                ))}
              </details>
            ))}
            {signals.length === 0 ? <div className="muted">no signal matches</div> : null}
          </div>
        </>
      ) : (
        <div className="empty">Open a recordings folder (e.g. the workspace’s recordings/) to analyse its coils.</div>
      )}
    </div>
  );
}
