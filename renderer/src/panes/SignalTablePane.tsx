/**
 * The signal table: every configured signal, editable in place; bulk edit of the selected
 * rows (timebase, connection, unit, delete); CSV export and import. Nothing changes in the
 * engine until Save, which the engine validates — a problem names its row and field.
 */
import { useEffect, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { FieldProblem, SignalConfig, WorkspaceConfig } from '../../../app/shared/contract';
import { useSession } from '../session-context';
import { mergeSignals, signalsFromCsv, signalsToCsv } from '../signals/signals-csv';

const COLUMNS: { key: keyof SignalConfig; label: string; numeric?: boolean; width?: number }[] = [
  { key: 'name', label: 'name', width: 160 },
  { key: 'unit', label: 'unit', width: 60 },
  { key: 'connection', label: 'connection', width: 110 },
  { key: 'address', label: 'address', width: 170 },
  { key: 'timebaseMs', label: 'timebase ms', numeric: true, width: 80 },
  { key: 'scale', label: 'scale', numeric: true, width: 60 },
  { key: 'offset', label: 'offset', numeric: true, width: 60 },
  { key: 'description', label: 'description', width: 220 },
];

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function SignalTablePane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const [config, setConfig] = useState<WorkspaceConfig | null>(null);
  const [rows, setRows] = useState<SignalConfig[]>([]);
  const [selected, setSelected] = useState(new Set<number>());
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const reload = async (): Promise<void> => {
    const r = await transport.call('config.get', {});
    if (!r.ok) return setMessage(r.error.message);
    setConfig(r.value.config);
    setRows(r.value.config.signals);
    setSelected(new Set());
  };
  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once; Reload button refreshes
  }, []);

  const edit = (i: number, key: keyof SignalConfig, raw: string, numeric?: boolean): void => {
    setRows(rows.map((r, k) => (k === i ? { ...r, [key]: numeric ? (raw === '' ? Number.NaN : Number(raw)) : raw } : r)));
  };
  const bulk = (patch: Partial<SignalConfig>): void => setRows(rows.map((r, k) => (selected.has(k) ? { ...r, ...patch } : r)));
  const problemAt = (i: number, key: string): string | undefined => problems.find((p) => p.path === `signals[${i}].${key}`)?.message;

  const save = async (): Promise<void> => {
    if (!config) return;
    const next = { ...config, signals: rows };
    const v = await transport.call('config.validate', { config: next });
    if (v.ok && v.value.problems.length) {
      setProblems(v.value.problems);
      const where = (path: string): string => path.replace(/^signals\[(\d+)\]\.(\w+)$/, (_m, i: string, f: string) => `${rows[Number(i)]?.name ?? `row ${Number(i) + 1}`} → ${f}`);
      setMessage(`Not saved: ${v.value.problems.map((p) => `${where(p.path)}: ${p.message}`).join('; ')}`);
      return;
    }
    const r = await transport.call('config.save', { config: next });
    setProblems([]);
    setMessage(r.ok ? `Saved ${rows.length} signals.` : r.error.message);
    if (r.ok) void reload();
  };

  const importCsv = async (file: File): Promise<void> => {
    const r = signalsFromCsv(await file.text());
    setRows(mergeSignals(rows, r.signals));
    setMessage(`${file.name}: ${r.signals.length} signal(s) read${r.problems.length ? `; ${r.problems.length} problem(s): ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` : ''}. Review, then Save.`);
  };

  const [bulkTimebase, setBulkTimebase] = useState('100');
  return (
    <div className="signal-table-pane" data-testid="signal-table">
      <div className="toolbar">
        <button type="button" onClick={() => void reload()}>Reload</button>
        <button type="button" data-testid="save-signals" onClick={() => void save()}>Save</button>
        <button type="button" data-testid="export-csv" onClick={() => download('signals.csv', signalsToCsv(rows))}>Export CSV</button>
        <label className="file-button">
          Import CSV
          <input type="file" accept=".csv,text/csv" data-testid="import-csv" onChange={(e) => e.target.files?.[0] && void importCsv(e.target.files[0])} />
        </label>
        <span className="muted">{selected.size} selected:</span>
        <input className="narrow" value={bulkTimebase} onChange={(e) => setBulkTimebase(e.target.value)} aria-label="timebase for selected" />
        <button type="button" data-testid="bulk-timebase" disabled={!selected.size} onClick={() => bulk({ timebaseMs: Number(bulkTimebase) })}>Set timebase</button>
        <button type="button" disabled={!selected.size} onClick={() => (setRows(rows.filter((_, k) => !selected.has(k))), setSelected(new Set()))}>Delete</button>
      </div>
      {message ? <div className="message" data-testid="signals-message">{message}</div> : null}
      <table>
        <thead>
          <tr>
            <th><input type="checkbox" aria-label="select all" checked={rows.length > 0 && selected.size === rows.length} onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((_, k) => k)) : new Set())} /></th>
            {COLUMNS.map((c) => <th key={c.key}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-testid="signal-table-row" data-signal={r.name}>
              <td><input type="checkbox" aria-label={`select ${r.name}`} checked={selected.has(i)} onChange={() => { const s = new Set(selected); if (s.has(i)) s.delete(i); else s.add(i); setSelected(s); }} /></td>
              {COLUMNS.map((c) => {
                const problem = problemAt(i, c.key);
                return (
                  <td key={c.key} className={problem ? 'invalid' : ''} title={problem}>
                    <input style={{ width: c.width }} value={Number.isNaN(r[c.key]) ? '' : String(r[c.key])} data-col={c.key} onChange={(e) => edit(i, c.key, e.target.value, c.numeric)} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
