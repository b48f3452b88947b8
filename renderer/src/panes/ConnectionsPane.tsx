/**
 * I/O configuration: the workspace's connections, a form per protocol built from the
 * contract's schema, "Test connection" (connect once and read the given addresses, or show
 * the exact error) and Save (validated by the engine, previous version kept in history).
 */
import { useMemo, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import { ConnectionSchema, type ConnectionConfig, type ResultOf } from '../../../app/shared/contract';
import { SchemaForm } from '../forms/SchemaForm';
import { TagBrowser } from './TagBrowser';
import { fieldErrors, formFields, initialValues } from '../forms/schema-fields';
import { useSession } from '../session-context';
import { useParx } from '../store';

const PROTOCOLS = ConnectionSchema.options.map((o) => ({ protocol: o.shape.protocol.value, schema: o }));
const EXAMPLE_ADDRESSES: Record<string, string> = { modbus: 'hr:0:uint16 hr:10:float32:abcd', 'modbus-rtu': 'hr:0:uint16 hr:10:float32:abcd', opcua: 'ns=1;s=Line.LineSpeed', mqtt: 'parx/demo/line-speed', enip: 'LineSpeed', egd: 'real:0' };

type TestResult = ResultOf<'connections.test'>;

export function ConnectionsPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const connections = useParx((s) => s.connections);
  const signals = useParx((s) => s.signals);
  const [editing, setEditing] = useState<{ original: string | null; value: Record<string, unknown> } | null>(null);
  const [addresses, setAddresses] = useState('');
  const [test, setTest] = useState<TestResult | { ok: false; error: string; values: [] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const protocol = String(editing?.value.protocol ?? 'modbus');
  const schema = PROTOCOLS.find((p) => p.protocol === protocol)?.schema ?? ConnectionSchema.options[0];
  const fields = useMemo(() => formFields(schema), [schema]);
  const errors = editing ? fieldErrors(schema, editing.value) : {};

  const startNew = (p: string): void => {
    const s = PROTOCOLS.find((x) => x.protocol === p)?.schema ?? ConnectionSchema.options[0];
    setEditing({ original: null, value: { ...initialValues(formFields(s)), name: `${p.toUpperCase()} ${Object.keys(connections).length + 1}` } });
    setAddresses(EXAMPLE_ADDRESSES[p] ?? '');
    setTest(null);
    setMessage(null);
  };

  const startEdit = async (name: string): Promise<void> => {
    const r = await transport.call('config.get', {});
    if (!r.ok) return setMessage(r.error.message);
    const c = r.value.config.connections.find((x) => x.name === name);
    if (!c) return;
    setEditing({ original: name, value: { ...c } });
    setAddresses(signals.filter((s) => s.connection === name).map((s) => s.address).slice(0, 20).join(' '));
    setTest(null);
    setMessage(null);
  };

  const runTest = async (): Promise<void> => {
    if (!editing) return;
    setBusy(true);
    setTest(null);
    const r = await transport.call('connections.test', { connection: editing.value, signals: addresses.split(/\s+/).filter(Boolean), timeoutMs: 10_000 });
    setBusy(false);
    setTest(r.ok ? r.value : { ok: false, error: r.error.message, values: [] });
  };

  const save = async (): Promise<void> => {
    if (!editing) return;
    const current = await transport.call('config.get', {});
    if (!current.ok) return setMessage(current.error.message);
    const config = current.value.config;
    const others = config.connections.filter((c) => c.name !== editing.original);
    const renamed = editing.original !== null && editing.original !== editing.value.name;
    const next = {
      ...config,
      connections: [...others, editing.value as ConnectionConfig],
      signals: renamed ? config.signals.map((s) => (s.connection === editing.original ? { ...s, connection: String(editing.value.name) } : s)) : config.signals,
    };
    const r = await transport.call('config.save', { config: next });
    if (!r.ok) return setMessage(r.error.message);
    setMessage(`Saved to ${r.value.file}; every saved version is kept in history (${r.value.history}).`);
    setEditing({ original: String(editing.value.name), value: editing.value });
  };

  /** Browsed items become signals of this connection (saved with it), named after the item. */
  const addSignals = async (items: { id: string; name: string; description?: string; unit?: string; scale?: number; offset?: number }[]): Promise<void> => {
    if (!editing) return;
    const current = await transport.call('config.get', {});
    if (!current.ok) return setMessage(current.error.message);
    const config = current.value.config;
    const connection = String(editing.value.name);
    const taken = new Set(config.signals.map((s) => s.name));
    const unique = (name: string): string => {
      let n = name;
      for (let k = 2; taken.has(n); k++) n = `${name} (${k})`;
      taken.add(n);
      return n;
    };
    const added = items.map((i) => ({ name: unique(i.name), unit: i.unit ?? '', description: i.description ?? '', connection, address: i.id, scale: i.scale ?? 1, offset: i.offset ?? 0, timebaseMs: 100 }));
    const others = config.connections.filter((c) => c.name !== editing.original && c.name !== connection);
    const next = { ...config, connections: [...others, editing.value as ConnectionConfig], signals: [...config.signals, ...added] };
    const r = await transport.call('config.save', { config: next });
    setMessage(r.ok ? `Added ${added.length} signal(s) to ${connection} and saved.` : r.error.message);
    if (r.ok) setEditing({ original: connection, value: editing.value });
  };

  return (
    <div className="connections-pane" data-testid="connections-pane">
      <div className="toolbar">
        <span>New connection:</span>
        {PROTOCOLS.map((p) => (
          <button key={p.protocol} type="button" data-testid={`new-${p.protocol}`} onClick={() => startNew(p.protocol)}>
            {p.protocol}
          </button>
        ))}
      </div>
      <ul className="connection-list">
        {Object.values(connections).map((c) => (
          <li key={c.name}>
            <span className={`dot ${c.state}`} /> <button type="button" className="link" onClick={() => void startEdit(c.name)}>{c.name}</button> <span className="muted">{c.protocol} · {c.state}</span>
          </li>
        ))}
      </ul>
      {editing ? (
        <section className="editor" data-testid="connection-editor">
          <SchemaForm fields={fields} value={editing.value} errors={errors} onChange={(value) => setEditing({ ...editing, value })} />
          <div className="field">
            <label htmlFor="test-addresses">Addresses to read</label>
            <input id="test-addresses" className="mono" value={addresses} onChange={(e) => setAddresses(e.target.value)} />
          </div>
          <div className="actions">
            <button type="button" data-testid="test-connection" disabled={busy || Object.keys(errors).length > 0} onClick={() => void runTest()}>
              {busy ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" data-testid="save-connection" disabled={Object.keys(errors).length > 0} onClick={() => void save()}>
              Save
            </button>
          </div>
          {test ? (
            <div className={`test-result ${test.ok ? 'ok' : 'failed'}`} data-testid="test-result" data-ok={String(test.ok)}>
              {test.ok ? 'Connected.' : `Failed: ${test.error}`}
              {test.values.length ? (
                <table>
                  <tbody>
                    {test.values.flatMap((v) => [
                      <tr key={v.signal} className={`q-${v.quality}`}>
                        <td className="mono">{v.signal}</td>
                        <td className="value">{v.value === null ? '—' : Number(v.value.toPrecision(7))}</td>
                        <td>{v.quality}</td>
                      </tr>,
                      v.error ? (
                        <tr key={`${v.signal}-why`}>
                          <td colSpan={3} className="reason">
                            {v.error}
                          </td>
                        </tr>
                      ) : null,
                    ])}
                  </tbody>
                </table>
              ) : null}
            </div>
          ) : null}
          {message ? <div className="message" data-testid="connection-message">{message}</div> : null}
          {Object.keys(errors).length === 0 ? <TagBrowser key={JSON.stringify(editing.value)} connection={editing.value} onAdd={(items) => void addSignals(items)} /> : null}
        </section>
      ) : null}
    </div>
  );
}
