/**
 * The tag browser: what the device offers, opened level by level (OPC UA folders, Logix
 * programs and arrays, MQTT topics heard while listening). Ticked items become signals.
 */
import { useState } from 'react';
import type { ResultOf } from '../../../app/shared/contract';
import { useSession } from '../session-context';
import { RegisterImport, type ImportedSignal } from '../acquisition/RegisterImport';

type Item = ResultOf<'connections.browse'>[number];

interface NodeProps {
  item: Item;
  connection: Record<string, unknown>;
  selected: Map<string, Item>;
  toggle(item: Item): void;
}

function BrowseNode({ item, connection, selected, toggle }: NodeProps): React.JSX.Element {
  const { transport } = useSession();
  const [children, setChildren] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (): Promise<void> => {
    if (children) return setChildren(null);
    const r = await transport.call('connections.browse', { connection, parent: item.id });
    if (r.ok) setChildren(r.value);
    else setError(r.error.message);
  };
  const leaf = item.kind === 'variable' || item.kind === 'tag' || item.kind === 'topic' || item.kind === 'register';
  return (
    <li data-testid="browse-item" data-id={item.id}>
      {item.hasChildren ? (
        <button type="button" className="link" onClick={() => void open()}>
          {children ? '▾' : '▸'}
        </button>
      ) : (
        <span className="spacer" />
      )}{' '}
      {leaf ? <input type="checkbox" aria-label={`use ${item.name}`} checked={selected.has(item.id)} onChange={() => toggle(item)} /> : null} <span title={item.description}>{item.name}</span>{' '}
      <span className="muted">
        {item.kind}
        {item.dataType ? ` · ${item.dataType}` : ''}
        {item.sample !== undefined ? ` · ${item.sample}` : ''}
      </span>
      {error ? <div className="reason">{error}</div> : null}
      {children ? (
        <ul>
          {children.map((c) => (
            <BrowseNode key={c.id} item={c} connection={connection} selected={selected} toggle={toggle} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function TagBrowser({ connection, onAdd }: { connection: Record<string, unknown>; onAdd(items: (Item | ImportedSignal)[]): void }): React.JSX.Element {
  const { transport } = useSession();
  const [roots, setRoots] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState(new Map<string, Item>());
  const load = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await transport.call('connections.browse', { connection, parent: null });
    setBusy(false);
    if (r.ok) setRoots(r.value);
    else setError(r.error.message);
  };
  const toggle = (item: Item): void => {
    const next = new Map(selected);
    if (next.has(item.id)) next.delete(item.id);
    else next.set(item.id, item);
    setSelected(next);
  };
  return (
    <div className="tag-browser" data-testid="tag-browser">
      <div className="actions">
        <button type="button" data-testid="browse" disabled={busy} onClick={() => void load()}>
          {busy ? 'Browsing…' : 'Browse device'}
        </button>
        <button type="button" data-testid="add-signals" disabled={selected.size === 0} onClick={() => onAdd([...selected.values()])}>
          Add {selected.size} as signals
        </button>
      </div>
      {error ? <div className="reason" data-testid="browse-error">{error}</div> : null}
      {roots ? (
        <ul className="browse-tree">
          {roots.map((i) => (
            <BrowseNode key={i.id} item={i} connection={connection} selected={selected} toggle={toggle} />
          ))}
        </ul>
      ) : null}
      {connection.protocol === 'modbus' || connection.protocol === 'modbus-rtu' ? <RegisterImport onAdd={onAdd} /> : null}
    </div>
  );
}
