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

type NoteAxis = 'time' | 'length';

/** The range a new note covers on an axis: between its cursors, else its visible range. */
function proposedRange(axis: NoteAxis): { from: number; to: number } | null {
  const s = useAnalysis.getState();
  const { a, b } = s.cursors[axis];
  if (a !== null && b !== null) return { from: Math.min(a, b), to: Math.max(a, b) };
  if (a !== null) return { from: a, to: a };
  const r = s.ranges[axis];
  return r ? { from: r.from, to: r.to } : null;
}

const toLocalInput = (ms: number): string => new Date(ms).toISOString().slice(0, 23);
const fromLocalInput = (s: string): number => Date.parse(`${s}Z`);
/** Metres as typed: a plain number (a trailing "m" is fine). */
const fromMetres = (s: string): number => (/^\s*-?\d+(\.\d+)?\s*m?\s*$/.test(s) ? Number.parseFloat(s) : Number.NaN);

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
  const [axis, setAxis] = useState<NoteAxis>('time');
  const cursors = useAnalysis((s) => s.cursors[axis]);
  const visible = useAnalysis((s) => s.ranges[axis]);

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
    const p = proposedRange(axis);
    const show = axis === 'time' ? toLocalInput : (m: number): string => m.toFixed(2);
    setFrom(p ? show(p.from) : '');
    setTo(p ? show(p.to) : '');
  }, [axis, cursors, visible]);

  const add = async (): Promise<void> => {
    const parse = axis === 'time' ? fromLocalInput : fromMetres;
    const f = parse(from);
    const t = parse(to || from);
    if (Number.isNaN(f) || Number.isNaN(t)) {
      return setError(axis === 'time' ? 'give the note a time range (YYYY-MM-DDThh:mm:ss.sss, UTC), or place the cursors on a trend' : 'give the note a range in metres along the strip (e.g. 12.5 → 14), or place the cursors on a trend on the length axis');
    }
    const { batch } = currentSelection();
    // Metres count from the head of one coil: a length note belongs to a batch.
    if (axis === 'length' && !batch) return setError('a note in metres belongs to one coil: choose the coil in the batch list first');
    localStorage.setItem('parx.author', author);
    const r = await transport.call('annotations.add', { source, batchId: batch?.id ?? null, axis, from: Math.min(f, t), to: Math.max(f, t), text, ...(author.trim() ? { author } : {}) });
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
    const pad = a.to === a.from ? (a.axis === 'time' ? 5000 : 1) : (a.to - a.from) * 0.1;
    useAnalysis.getState().setRange(a.axis, { from: a.from - pad, to: a.to + pad });
  };

  return (
    <div className="files-pane" data-testid="annotations-pane">
      <SourcePicker value={source} onChange={setSource} />
      <h4>Add a note</h4>
      <div className="row">
        <select data-testid="annotation-axis" value={axis} onChange={(e) => setAxis(e.target.value as NoteAxis)} aria-label="note on">
          <option value="time">time (UTC)</option>
          <option value="length">strip length (m, this coil)</option>
        </select>
        <input type="text" data-testid="annotation-from" value={from} size={24} placeholder={axis === 'time' ? 'from (UTC)' : 'from (m)'} onChange={(e) => setFrom(e.target.value)} aria-label="from" />
        →
        <input type="text" data-testid="annotation-to" value={to} size={24} placeholder={axis === 'time' ? 'to (UTC)' : 'to (m)'} onChange={(e) => setTo(e.target.value)} aria-label="to" />
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
              {a.to !== a.from ? ` → ${a.axis === 'time' ? fmt(a, a.to).slice(11) : fmt(a, a.to)}` : ''}
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
