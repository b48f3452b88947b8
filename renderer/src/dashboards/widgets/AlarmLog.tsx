/** The alarm log: occurrences filtered by state and priority, acknowledged with a comment; alarms defined here too. */
import { useEffect, useState } from 'react';
import type { WidgetOf } from '../../../../app/shared/dashboards/schema';
import { PRIORITIES, type AlarmDefinition, type AlarmStateName } from '../../../../app/shared/dashboards/alarm-schema';
import { useParx, useReadOnly } from '../../store';
import { useDash } from '../dash-context';
import { followAlarms, useAlarms } from '../alarms-store';
import { formatTime } from '../format';
import { usePrefs } from '../prefs';

const STATES: AlarmStateName[] = ['active', 'acknowledged', 'cleared'];

function AckButton({ alarmKey }: { alarmKey: string }): React.JSX.Element {
  const { transport } = useDash();
  const [comment, setComment] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (comment === null)
    return (
      <button type="button" data-testid="alarm-ack" onClick={() => setComment('')}>
        Ack
      </button>
    );
  const send = async (): Promise<void> => {
    const r = await transport.call('alarms.ack', { key: alarmKey, comment });
    if (r.ok) useAlarms.getState().apply(r.value);
    else setError(r.error.message);
  };
  return (
    <span className="w-ack">
      <input autoFocus aria-label="acknowledge comment" data-testid="alarm-comment" placeholder="comment" value={comment} onChange={(e) => setComment(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void send()} />
      <button type="button" data-testid="alarm-ack-send" onClick={() => void send()}>
        OK
      </button>
      {error ? <span className="error">{error}</span> : null}
    </span>
  );
}

function DefineAlarm({ onDone }: { onDone: () => void }): React.JSX.Element {
  const { transport } = useDash();
  const signals = useParx((s) => s.signals);
  const definitions = useAlarms((s) => s.definitions);
  const [kind, setKind] = useState<'limit' | 'formula'>('limit');
  const [f, setF] = useState({ signal: signals[0]?.name ?? '', direction: 'hi', setpoint: '', deadband: '0', onDelay: '0', priority: '2', message: '', formula: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (p: Partial<typeof f>): void => setF({ ...f, ...p });
  const save = async (): Promise<void> => {
    const id = `${(f.message || f.signal || 'alarm').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40)}-${Date.now().toString(36)}`;
    const common = { id, message: f.message || `${f.signal} ${f.direction === 'hi' ? 'high' : 'low'}`, priority: Number(f.priority), onDelayMs: Math.round(Number(f.onDelay) * 1000), enabled: true };
    const def: AlarmDefinition =
      kind === 'limit'
        ? { ...common, kind: 'limit', signal: f.signal, direction: f.direction as 'hi' | 'lo', setpoint: Number(f.setpoint), deadband: Number(f.deadband) }
        : { ...common, kind: 'formula', message: f.message || f.formula, formula: f.formula };
    const r = await transport.call('alarms.define', { definitions: [...definitions, def] });
    if (!r.ok) return setError(r.error.message);
    const mine = r.value.problems.find((p) => p.alarm === id);
    await useAlarms.getState().load(transport);
    if (mine) setError(`saved, but it cannot run: ${mine.message}`);
    else onDone();
  };
  return (
    <div className="w-define" data-testid="alarm-define">
      <select aria-label="alarm kind" value={kind} onChange={(e) => setKind(e.target.value as 'limit' | 'formula')}>
        <option value="limit">Limit</option>
        <option value="formula">Formula</option>
      </select>
      {kind === 'limit' ? (
        <>
          <select aria-label="alarm signal" value={f.signal} onChange={(e) => set({ signal: e.target.value })}>
            {signals.map((s) => (
              <option key={s.id}>{s.name}</option>
            ))}
          </select>
          <select aria-label="direction" value={f.direction} onChange={(e) => set({ direction: e.target.value })}>
            <option value="hi">above</option>
            <option value="lo">below</option>
          </select>
          <input className="narrow" aria-label="setpoint" placeholder="limit" value={f.setpoint} onChange={(e) => set({ setpoint: e.target.value })} />
          <input className="narrow" aria-label="deadband" title="deadband" value={f.deadband} onChange={(e) => set({ deadband: e.target.value })} />
        </>
      ) : (
        <input aria-label="alarm formula" placeholder="[Exit Tension] > 58 and [Line Speed] > 100" value={f.formula} onChange={(e) => set({ formula: e.target.value })} />
      )}
      <input className="narrow" aria-label="on-delay (s)" title="on-delay, seconds" value={f.onDelay} onChange={(e) => set({ onDelay: e.target.value })} />
      <select aria-label="priority" value={f.priority} onChange={(e) => set({ priority: e.target.value })}>
        {PRIORITIES.map((p, i) => (
          <option key={p} value={i + 1}>
            {p}
          </option>
        ))}
      </select>
      <input aria-label="alarm message" placeholder="message" value={f.message} onChange={(e) => set({ message: e.target.value })} />
      <button type="button" data-testid="alarm-define-save" onClick={() => void save()}>
        Add
      </button>
      {error ? <div className="error">{error}</div> : null}
    </div>
  );
}

export function AlarmLog({ widget }: { widget: WidgetOf<'alarms'> }): React.JSX.Element {
  const { transport } = useDash();
  useEffect(() => followAlarms(transport), [transport]);
  const { occurrences, problems, error } = useAlarms();
  const timeZone = usePrefs((s) => s.prefs.timeZone);
  const [states, setStates] = useState<AlarmStateName[]>(widget.states);
  const [minPriority, setMinPriority] = useState(widget.minPriority);
  const [defining, setDefining] = useState(false);
  const readOnly = useReadOnly();
  const shown = occurrences.filter((o) => states.includes(o.state) && o.priority >= minPriority).slice(0, 200);
  const t = (x: number | null): string => (x === null ? '' : formatTime(x, timeZone));
  return (
    <div className="w-alarms" data-testid="alarm-log">
      <div className="w-alarms-bar">
        {STATES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={states.includes(s)} onChange={(e) => setStates(e.target.checked ? [...states, s] : states.filter((x) => x !== s))} /> {s}
          </label>
        ))}
        <select aria-label="minimum priority" value={minPriority} onChange={(e) => setMinPriority(Number(e.target.value))}>
          {PRIORITIES.map((p, i) => (
            <option key={p} value={i + 1}>
              ≥ {p}
            </option>
          ))}
        </select>
        {readOnly ? null : (
          <button type="button" data-testid="alarm-define-open" onClick={() => setDefining(!defining)}>
            {defining ? 'Close' : 'Define alarm…'}
          </button>
        )}
      </div>
      {defining && !readOnly ? <DefineAlarm onDone={() => setDefining(false)} /> : null}
      {error ? <div className="error">{error}</div> : null}
      {problems.map((p) => (
        <div key={p.alarm} className="w-problem">
          alarm {p.alarm}: {p.message}
        </div>
      ))}
      <table>
        <tbody>
          {shown.map((o) => (
            <tr key={o.key} className={`alarm-${o.state} prio-${o.priority}`} data-testid="alarm-row" data-state={o.state}>
              <td className="prio">{PRIORITIES[o.priority - 1]}</td>
              <td>{o.message}</td>
              <td className="mono">{t(o.activeAt)}</td>
              <td>{o.state}</td>
              <td className="mono">{o.clearedAt !== null ? `cleared ${t(o.clearedAt)}` : ''}</td>
              <td>{o.ackAt !== null ? <span title={t(o.ackAt)}>ack: {o.ackComment || '—'}</span> : readOnly ? <span className="muted">not acknowledged</span> : <AckButton alarmKey={o.key} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 ? <div className="muted">No alarms{occurrences.length ? ' match the filter' : ''}.</div> : null}
    </div>
  );
}
