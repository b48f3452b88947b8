/** The trigger pool at a glance: each trigger's state, last start and stop with reason, batches opened. Polls triggers.status. */
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../app/shared/contract';
import { useSession } from '../session-context';

type Status = ResultOf<'triggers.status'>;

const time = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false }) + `.${String(Math.floor(ms % 1000)).padStart(3, '0')}`;

export function TriggerStatusList(): React.JSX.Element {
  const { transport } = useSession();
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const poll = async (): Promise<void> => {
      const r = await transport.call('triggers.status', {});
      if (!alive) return;
      if (r.ok) {
        setStatus(r.value);
        setError(null);
      } else setError(r.error.message);
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [transport]);

  if (error) return <div className="field-error">{error}</div>;
  if (!status) return <div className="muted">…</div>;
  if (!status.recording) return <div className="muted" data-testid="trigger-status-empty">Recording is off: no trigger is evaluated.</div>;
  if (status.triggers.length === 0) return <div className="muted" data-testid="trigger-status-empty">No triggers configured.</div>;
  return (
    <table className="trigger-status" data-testid="trigger-status">
      <thead>
        <tr>
          <th>Trigger</th>
          <th>State</th>
          <th>Last start</th>
          <th>Last stop</th>
          <th>Batches</th>
        </tr>
      </thead>
      <tbody>
        {status.triggers.map((t) => (
          <tr key={t.name} data-trigger={t.name}>
            <td>{t.name}</td>
            <td>
              <span className={`trigger-state ${t.state}`}>{t.state}</span>
              {t.open ? <span className="muted"> · writing {t.open.samples} samples</span> : null}
            </td>
            <td title={t.lastStart?.reason}>{t.lastStart ? `${time(t.lastStart.at)} — ${t.lastStart.reason}` : '—'}</td>
            <td title={t.lastStop?.reason}>{t.lastStop ? `${time(t.lastStop.at)} — ${t.lastStop.reason}` : '—'}</td>
            <td className="num">{t.batches}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
