/** Every signal with its live value, unit and quality, grouped under its connection's state. */
import { useEffect, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import { qualityName } from '../../../app/shared/samples';
import { useParx } from '../store';
import { useSession } from '../session-context';
import { signalDragStart } from '../dashboards/dnd';

const REFRESH_MS = 250;

function useTicker(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return '—';
  const abs = Math.abs(v);
  return abs >= 1000 || Number.isInteger(v) ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function SignalListPane(_props: IDockviewPanelProps): React.JSX.Element {
  useTicker(REFRESH_MS);
  const session = useSession();
  const signals = useParx((s) => s.signals);
  const connections = useParx((s) => s.connections);
  const names = [...new Set(signals.map((s) => s.connection))];

  return (
    <div className="signal-list">
      {names.map((name) => {
        const c = connections[name];
        // Derived signals (formulas) have no connection of their own: they are computed from their inputs.
        const derived = name === '(derived)';
        const state = c?.state ?? (derived ? 'connected' : 'connecting');
        return (
          <section key={name}>
            <header className="connection" data-testid={derived ? 'derived-group' : 'connection'} data-state={state}>
              <span className={`dot ${state}`} />
              <strong>{derived ? 'Derived signals' : name}</strong>
              <span className="state">{derived ? 'computed' : state}</span>
              {c?.endpoint ? <span className="endpoint">{c.endpoint}</span> : null}
              {state !== 'connected' && c?.lastError ? (
                <div className="reason">
                  {c.lastError}
                  {c.nextRetryMs !== null ? <span className="retry"> — retrying in {(Math.max(0, c.since + c.nextRetryMs - session.live.engineNow()) / 1000).toFixed(1)} s</span> : null}
                </div>
              ) : null}
            </header>
            <table>
              <tbody>
                {signals
                  .filter((s) => s.connection === name)
                  .map((s) => {
                    const last = session.live.trace(s.id)?.latest();
                    const q = last ? qualityName(last.quality) : 'stale';
                    return (
                      <tr key={s.id} className={`q-${q}`} data-testid="signal-row" data-signal={s.name} data-status={s.status ?? ''} title={s.formula ? `${s.description}\n= ${s.formula}` : s.description} draggable onDragStart={(e) => signalDragStart(e, s.name)}>
                        <td className="name">
                          {s.name}
                          {s.status ? <div className="reason" data-testid="signal-status">{s.status}</div> : null}
                        </td>
                        <td className="value">{last ? formatValue(last.value) : '—'}</td>
                        <td className="unit">{s.unit}</td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </section>
        );
      })}
      {signals.length === 0 ? <div className="empty">No signals configured in this workspace.</div> : null}
    </div>
  );
}
