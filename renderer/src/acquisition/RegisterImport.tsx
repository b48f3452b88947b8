/**
 * A Modbus register map from CSV in the tag browser: the engine parses it with the driver's
 * own address rules, bad rows come back with their line numbers, and the ticked registers
 * become signals with their unit, description and scale.
 */
import { useState } from 'react';
import type { MapRegister } from '../../../app/shared/contract/acquisition';
import { useSession } from '../session-context';
import './acquisition.css';

export interface ImportedSignal {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly scale: number;
  readonly offset: number;
}

export function RegisterImport({ onAdd }: { onAdd(items: ImportedSignal[]): void }): React.JSX.Element {
  const { transport } = useSession();
  const [registers, setRegisters] = useState<MapRegister[] | null>(null);
  const [problems, setProblems] = useState<{ line: number; message: string }[]>([]);
  const [file, setFile] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);

  const load = async (f: File): Promise<void> => {
    setError(null);
    const r = await transport.call('acquisition.registerMap', { csv: await f.text() });
    if (!r.ok) return setError(r.error.message);
    setFile(f.name);
    setRegisters(r.value.registers);
    setProblems(r.value.problems);
    setChosen(new Set(r.value.registers.map((x) => x.name)));
  };
  const toggle = (name: string): void => setChosen((s) => (s.has(name) ? new Set([...s].filter((x) => x !== name)) : new Set([...s, name])));
  const add = (): void =>
    onAdd(
      (registers ?? [])
        .filter((r) => chosen.has(r.name))
        .map((r) => ({ id: r.address, name: r.name, description: r.description, unit: r.unit, scale: r.scale, offset: r.offset })),
    );

  return (
    <div className="register-import" data-testid="register-import">
      <div className="actions">
        <label className="file-button">
          Import register map (CSV)…
          <input type="file" accept=".csv,text/csv,text/plain" data-testid="register-map-file" onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])} />
        </label>
        {registers ? (
          <button type="button" data-testid="register-map-add" disabled={chosen.size === 0} onClick={add}>
            Add {chosen.size} register(s) as signals
          </button>
        ) : (
          <span className="muted">columns: name, address (hr:10:float32:abcd or 40011) or area/offset/type/order, unit, description, scale</span>
        )}
      </div>
      {error ? <div className="reason">{error}</div> : null}
      {problems.length ? (
        <ul className="problems" data-testid="register-map-problems">
          {problems.map((p, i) => (
            <li key={i}>
              line {p.line}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {registers ? (
        <table data-testid="register-map">
          <caption className="muted">
            {file}: {registers.length} register(s){problems.length ? `, ${problems.length} problem(s)` : ''}
          </caption>
          <thead>
            <tr><th /><th>name</th><th>address</th><th>unit</th><th>scale</th><th>offset</th><th>description</th></tr>
          </thead>
          <tbody>
            {registers.map((r) => (
              <tr key={r.name} data-testid="register-row">
                <td><input type="checkbox" aria-label={`use ${r.name}`} checked={chosen.has(r.name)} onChange={() => toggle(r.name)} /></td>
                <td>{r.name}</td>
                <td className="mono">{r.address}</td>
                <td>{r.unit}</td>
                <td>{r.scale}</td>
                <td>{r.offset}</td>
                <td className="muted">{r.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
