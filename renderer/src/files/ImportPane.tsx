/**
 * Opening a CSV or Parquet file ParX did not write: a path (or a file dropped on the pane),
 * a preview of the first rows, the proposed mapping to check and change (time column,
 * signals, units; wide or long), then import into the workspace and open it for analysis.
 */
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../app/shared/contract';
import type { MappingIn, TimeUnit } from '../../../app/shared/contract/files';
import { useSession } from '../session-context';
import { openSource } from '../analysis/use-analysis-transport';
import { openAnalysisWorkspace } from '../analysis/layout';
import type { IDockviewPanelProps } from 'dockview-react';
import './files.css';

type Inspected = ResultOf<'files.inspect'>;
type Report = ResultOf<'files.import'>;

const TIME_UNITS: { value: TimeUnit; label: string }[] = [
  { value: 'iso', label: 'date/time text (UTC unless stated)' },
  { value: 's', label: 'seconds since 1970' },
  { value: 'ms', label: 'ms since 1970' },
  { value: 'us', label: 'µs since 1970' },
  { value: 'relative-s', label: 'seconds from a start time' },
];

const UPLOAD_LIMIT = 50 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function ImportPane(props: Partial<IDockviewPanelProps>): React.JSX.Element {
  const { transport } = useSession();
  const [path, setPath] = useState('');
  const [inspected, setInspected] = useState<Inspected | null>(null);
  const [mapping, setMapping] = useState<MappingIn | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number; phase: string } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const [job] = useState(() => `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`);

  useEffect(() => {
    const d = transport.on('files.import.progress', (p) => {
      if (p.job === job) setProgress(p);
    });
    return () => d.dispose();
  }, [transport, job]);

  const inspect = async (p: string): Promise<void> => {
    setBusy('reading the file…');
    setError(null);
    setReport(null);
    setOpened(null);
    const r = await transport.call('files.inspect', { path: p });
    setBusy(null);
    if (!r.ok) {
      setInspected(null);
      setError(r.error.message);
      return;
    }
    setInspected(r.value);
    setMapping(r.value.mapping);
    setName(
      r.value.path
        .split(/[\\/]/)
        .pop()
        ?.replace(/\.[^.]+$/, '') ?? '',
    );
  };

  const onDrop = async (e: React.DragEvent): Promise<void> => {
    e.preventDefault();
    setDragOver(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    // Electron gives the file's path; a browser gives only its contents, which we upload.
    const native = (file as File & { path?: string }).path;
    if (native) {
      setPath(native);
      return void inspect(native);
    }
    if (file.size > UPLOAD_LIMIT) return setError(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB: too large to upload from the browser (limit 50 MB) — type its path on the engine's computer instead`);
    setBusy(`uploading ${file.name}…`);
    const up = await transport.call('files.upload', { name: file.name, base64: toBase64(new Uint8Array(await file.arrayBuffer())) });
    setBusy(null);
    if (!up.ok) return setError(up.error.message);
    setPath(up.value.path);
    await inspect(up.value.path);
  };

  const doImport = async (): Promise<void> => {
    if (!inspected || !mapping) return;
    setBusy('importing…');
    setError(null);
    setProgress(null);
    const r = await transport.call('files.import', { path: inspected.path, mapping, name: name || undefined, job });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    setReport(r.value);
  };

  const open = async (): Promise<void> => {
    if (!report) return;
    const r = await openSource(transport, report.folder);
    if (!r.ok) setError(r.message);
    else {
      setOpened(`opened ${r.source.name}: ${r.source.batches.length} batch(es), ${r.source.signals.length} signal(s)`);
      // Straight to the batch list and a trend, as for a recording.
      if (props.containerApi) openAnalysisWorkspace(props.containerApi);
    }
  };

  const m = mapping;
  const header = inspected?.preview.header ?? [];
  const isSignal = (col: string): boolean => (m?.layout === 'wide' ? (m.signals ?? []).some((s) => s.column === col) : m?.long?.value === col);
  const setSignal = (col: string, on: boolean): void => {
    if (!m) return;
    const c = inspected?.columns.find((x) => x.name === col);
    const rest = (m.signals ?? []).filter((s) => s.column !== col);
    setMapping({ ...m, signals: on ? [...rest, { column: col, name: col.replace(/\s*[[(][^\])]*[\])]\s*$/, ''), unit: c?.unit ?? '' }].sort((a, b) => header.indexOf(a.column) - header.indexOf(b.column)) : rest });
  };
  const patchSignal = (col: string, patch: { name?: string; unit?: string }): void => {
    if (!m) return;
    setMapping({ ...m, signals: (m.signals ?? []).map((s) => (s.column === col ? { ...s, ...patch } : s)) });
  };

  return (
    <div
      className={`files-pane${dragOver ? ' drag-over' : ''}`}
      data-testid="import-pane"
      onDragOver={(e) => {
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <div className="row">
        <input className="grow" data-testid="import-path" value={path} placeholder="path of a CSV or Parquet file on the engine's computer" onChange={(e) => setPath(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void inspect(path)} />
        <button type="button" data-testid="import-inspect" disabled={!path.trim() || busy !== null} onClick={() => void inspect(path)}>
          Preview
        </button>
      </div>
      {!inspected && !error ? <div className="drop-hint">…or drop a CSV / Parquet file here</div> : null}
      {busy ? <div className="muted">{busy}</div> : null}
      {error ? (
        <div className="error" data-testid="import-error">
          {error}
        </div>
      ) : null}
      {inspected && m ? (
        <>
          <div className="muted">
            {inspected.format.toUpperCase()} · {inspected.rows.toLocaleString()} rows · {header.length} columns
          </div>
          {inspected.notes.length > 0 ? (
            <ul className="notes" data-testid="import-notes">
              {inspected.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <h4>Preview (first rows)</h4>
          <div className="preview">
            <table data-testid="import-preview">
              <thead>
                <tr>
                  {header.map((h) => (
                    <th key={h} className={h === m.time ? 'time' : isSignal(h) ? 'signal' : ''}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {inspected.preview.rows.slice(0, 20).map((row, i) => (
                  <tr key={i}>
                    {row.map((c, j) => (
                      <td key={j} className={typeof c === 'number' ? 'num' : ''}>
                        {c === null ? '' : String(c)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4>Mapping</h4>
          <div className="row">
            <label>
              Layout{' '}
              <select data-testid="map-layout" value={m.layout} onChange={(e) => setMapping({ ...m, layout: e.target.value as 'wide' | 'long', long: m.long ?? { name: header[1] ?? '', value: header[2] ?? '', unit: null } })}>
                <option value="wide">wide: one column per signal</option>
                <option value="long">long: a name column and a value column</option>
              </select>
            </label>
            <label>
              Time column{' '}
              <select data-testid="map-time" value={m.time ?? ''} onChange={(e) => setMapping({ ...m, time: e.target.value || null })}>
                <option value="">— choose —</option>
                {header.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <label>
              as{' '}
              <select data-testid="map-time-unit" value={m.timeUnit ?? 'iso'} onChange={(e) => setMapping({ ...m, timeUnit: e.target.value as TimeUnit })}>
                {TIME_UNITS.map((u) => (
                  <option key={u.value} value={u.value}>
                    {u.label}
                  </option>
                ))}
              </select>
            </label>
            {m.timeUnit === 'relative-s' ? (
              <label>
                start (UTC){' '}
                <input type="datetime-local" step="0.001" onChange={(e) => setMapping({ ...m, origin: e.target.value ? Date.parse(`${e.target.value}Z`) : undefined })} />
              </label>
            ) : null}
          </div>
          {m.layout === 'wide' ? (
            <table className="mapping" data-testid="map-signals">
              <tbody>
                {header
                  .filter((h) => h !== m.time)
                  .map((h) => {
                    const sig = (m.signals ?? []).find((s) => s.column === h);
                    return (
                      <tr key={h}>
                        <td>
                          <label>
                            <input type="checkbox" checked={!!sig} onChange={(e) => setSignal(h, e.target.checked)} /> {h}
                          </label>
                        </td>
                        <td>{sig ? <input aria-label={`signal name for ${h}`} value={sig.name} onChange={(e) => patchSignal(h, { name: e.target.value })} /> : null}</td>
                        <td>{sig ? <input className="unit" aria-label={`unit for ${h}`} placeholder="unit" value={sig.unit ?? ''} onChange={(e) => patchSignal(h, { unit: e.target.value })} /> : null}</td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          ) : (
            <div className="row">
              {(['name', 'value', 'unit'] as const).map((k) => (
                <label key={k}>
                  {k === 'name' ? 'Signal names in' : k === 'value' ? 'Values in' : 'Units in'}{' '}
                  <select value={(m.long?.[k] ?? '') as string} onChange={(e) => setMapping({ ...m, long: { name: m.long?.name ?? '', value: m.long?.value ?? '', unit: m.long?.unit ?? null, [k]: e.target.value || (k === 'unit' ? null : '') } })}>
                    {k === 'unit' ? <option value="">(none)</option> : null}
                    {header.map((h) => (
                      <option key={h} value={h}>
                        {h}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          )}
          <div className="row">
            <label>
              Import as <input data-testid="import-name" value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <button type="button" data-testid="import-run" disabled={busy !== null || !m.time} onClick={() => void doImport()}>
              Import
            </button>
            {progress && busy ? <progress data-testid="import-progress" max={progress.total || 1} value={progress.done} /> : null}
          </div>
        </>
      ) : null}
      {report ? (
        <div data-testid="import-report">
          <div className="ok">
            Imported {report.rows.toLocaleString()} rows → {report.samples.toLocaleString()} samples of {report.signals.length} signal(s), {new Date(report.start).toISOString()} → {new Date(report.end).toISOString()}
          </div>
          <div className="muted mono">{report.folder}</div>
          {report.warnings.length > 0 ? (
            <ul className="notes">
              {report.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
              {report.firstSkipped.map((s) => (
                <li key={s.line}>
                  line {s.line}: {s.reason}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="row">
            <button type="button" data-testid="import-open" onClick={() => void open()}>
              Open for analysis
            </button>
            {opened ? <span className="ok">{opened}</span> : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
