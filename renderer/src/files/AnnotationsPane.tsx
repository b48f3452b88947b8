/**
 * Notes on a source: listed by time, added for the cursor range (or the visible range),
 * edited and removed; clicking a note's time shows that range in the analysis trends.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Annotation } from '../../../app/shared/contract/files';
import { useSession } from '../session-context';
import { currentSelection, useAnalysis } from '../analysis/analysis-store';
import { SourcePicker } from './source-tools';
import './files.css';

const fmt = (a: Pick<Annotation, 'axis'>, v: number): string => (a.axis === 'time' ? new Date(v).toISOString().replace('T', ' ').replace('Z', '') : `${v.toFixed(1)} m`);

/** The range a new note covers: between the cursors, else the visible range. */
function proposedRange(): { axis: 'time'; from: number; to: number } | null {
  const s = useAnalysis.getState();
  const { a, b } = s.cursors.time;
  if (a !== null && b !== null) return { axis: 'time', from: Math.min(a, b), to: Math.max(a, b) };
  if (a !== null) return { axis: 'time', from: a, to: a };
  const r = s.ranges.time;
  return r ? { axis: 'time', from: r.from, to: r.to } : null;
}

const toLocalInput = (ms: number): string => new Date(ms).toISOString().slice(0, 23);
const fromLocalInput = (s: string): number => Date.parse(`${s}Z`);

export function AnnotationsPane(): React.JSX.Element {
  const { transport } = useSession();
  const [source, setSource] = useState('');
  const [list, setList] = useState<Annotation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [author, setAuthor] = useState(() => localStorage.getItem('parx.author') ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const cursors = useAnalysis((s) => s.cursors.time);
  const visible = useAnalysis((s) => s.ranges.time);

  const load = useCallback(async () => {
    if (!source.trim()) return setList([]);
    const r = await transport.call('annotations.list', { source });
    if (r.ok) {
      setList(r.value);
      setError(null);
    } else setError(r.error.message);
  }, [transport, source]);

  useEffect(() => {
    void load();
    const d = transport.on('annotations.changed', () => void load());
    return () => d.dispose();
  }, [transport, load]);

  // Follow the cursors (or the visible range) until the user types a range.
  useEffect(() => {
    const p = proposedRange();
    if (p) {
      setFrom(toLocalInput(p.from));
      setTo(toLocalInput(p.to));
    }
  }, [cursors, visible]);

  const add = async (): Promise<void> => {
    const f = fromLocalInput(from);
    const t = fromLocalInput(to || from);
    if (Number.isNaN(f) || Number.isNaN(t)) return setError('give the note a time range (YYYY-MM-DDThh:mm:ss.sss, UTC), or place the cursors on a trend');
    localStorage.setItem('parx.author', author);
    const { batch } = currentSelection();
    const r = await transport.call('annotations.add', { source, batchId: batch?.id ?? null, axis: 'time', from: Math.min(f, t), to: Math.max(f, t), text, ...(author.trim() ? { author } : {}) });
    if (!r.ok) return setError(r.error.message);
    setText('');
    setError(null);
    await load();
  };

  const save = async (): Promise<void> => {
    if (!editing) return;
    const r = await transport.call('annotations.update', { id: editing.id, text: editing.text });
    if (!r.ok) return setError(r.error.message);
    setEditing(null);
    await load();
  };

  const remove = async (id: string): Promise<void> => {
    const r = await transport.call('annotations.remove', { id });
    if (!r.ok) setError(r.error.message);
    await load();
  };

  const show = (a: Annotation): void => {
    // A point note gets a little room either side so it is visible.
    const pad = a.to === a.from ? 5000 : (a.to - a.from) * 0.1;
    useAnalysis.getState().setRange(a.axis, { from: a.from - pad, to: a.to + pad });
  };

  return (
    <div className="files-pane" data-testid="annotations-pane">
      <SourcePicker value={source} onChange={setSource} />
      <h4>Add a note</h4>
      <div className="row">
        <input type="text" data-testid="annotation-from" value={from} size={24} placeholder="from (UTC)" onChange={(e) => setFrom(e.target.value)} aria-label="from" />
        →
        <input type="text" data-testid="annotation-to" value={to} size={24} placeholder="to (UTC)" onChange={(e) => setTo(e.target.value)} aria-label="to" />
      </div>
      <div className="row">
        <input className="grow" data-testid="annotation-text" value={text} placeholder="what happened here" onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && text.trim() && void add()} />
        <input data-testid="annotation-author" value={author} placeholder="author" size={12} onChange={(e) => setAuthor(e.target.value)} />
        <button type="button" data-testid="annotation-add" disabled={!text.trim() || !source.trim()} onClick={() => void add()}>
          Add
        </button>
      </div>
      {error ? <div className="error">{error}</div> : null}
      <h4>Notes ({list.length})</h4>
      <div data-testid="annotation-list">
        {list.map((a) => (
          <div className="annotation" key={a.id} data-testid="annotation">
            <span className="when" title="show in the trends" onClick={() => show(a)}>
              {fmt(a, a.from)}
              {a.to !== a.from ? ` → ${fmt(a, a.to).slice(11)}` : ''}
            </span>
            {editing?.id === a.id ? (
              <>
                <input className="text" value={editing.text} onChange={(e) => setEditing({ id: a.id, text: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && void save()} />
                <button type="button" onClick={() => void save()}>
                  Save
                </button>
              </>
            ) : (
              <span className="text" onDoubleClick={() => setEditing({ id: a.id, text: a.text })}>
                {a.text}
              </span>
            )}
            <span className="muted">
              {a.author} · {new Date(a.createdAt).toLocaleString()}
            </span>
            {a.id.startsWith('file:') ? (
              <span className="muted" title="carried inside the batch file (parx.annotations); read-only">
                in file
              </span>
            ) : (
              <>
                <button type="button" title="edit" onClick={() => setEditing({ id: a.id, text: a.text })}>
                  ✎
                </button>
                <button type="button" title="delete" onClick={() => void remove(a.id)}>
                  ✕
                </button>
              </>
            )}
          </div>
        ))}
        {list.length === 0 && source ? <div className="muted">no notes on this source yet</div> : null}
      </div>
    </div>
  );
}
