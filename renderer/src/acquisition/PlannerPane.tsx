/**
 * The acquisition planner: per (connection, timebase) the requests one cycle issues after
 * packing, the predicted cycle time and load against the timebase, and — once running — the
 * measured cycle beside it. The groups that cannot keep up are flagged before anything connects.
 */
import { Fragment, useEffect, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { PlannedGroup } from '../../../app/shared/contract/acquisition';
import { useSession } from '../session-context';
import './acquisition.css';

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`);

const VERDICT: Record<PlannedGroup['verdict'], string> = {
  ok: 'keeps up',
  tight: 'tight (over 60 %)',
  overrun: 'cannot keep up',
  push: 'device pushes',
  invalid: 'invalid',
};

function LoadBar({ g }: { g: PlannedGroup }): React.JSX.Element | null {
  if (g.verdict === 'push' || g.verdict === 'invalid') return null;
  return (
    <span className={`load ${g.verdict}`} title={`${(g.load * 100).toFixed(0)} % of the timebase`}>
      <span style={{ width: `${Math.min(100, g.load * 100)}%` }} />
    </span>
  );
}

export function PlannerPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const [plan, setPlan] = useState<PlannedGroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());

  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      const r = await transport.call('acquisition.plan', {});
      if (!live) return;
      if (r.ok) {
        setPlan(r.value);
        setError(null);
      } else setError(r.error.message);
    };
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [transport]);

  if (!plan) return <div className="empty">{error ?? 'Planning…'}</div>;
  if (plan.length === 0) return <div className="empty">No signals configured: nothing to plan.</div>;
  const key = (g: PlannedGroup): string => `${g.connection}\u0000${g.timebaseMs}`;
  const toggle = (k: string): void => setOpen((s) => (s.has(k) ? new Set([...s].filter((x) => x !== k)) : new Set([...s, k])));
  const behind = plan.filter((g) => g.verdict === 'overrun').length;

  return (
    <div className="acq-pane" data-testid="planner-pane">
      <div className="toolbar">
        <b>Acquisition plan</b>
        <span className={behind ? 'reason' : 'muted'}>{behind ? `${behind} group(s) cannot keep up with their timebase` : 'every polled group keeps up'}</span>
      </div>
      <table>
        <thead>
          <tr>
            <th>connection</th><th>protocol</th><th>timebase</th><th>signals</th><th>requests</th><th>bytes/cycle</th><th>predicted</th><th>measured</th><th>jitter p99</th><th>overruns</th><th>load</th><th>verdict</th>
          </tr>
        </thead>
        <tbody>
          {plan.map((g) => {
            const k = key(g);
            return (
              <Fragment key={k}>
                <tr data-testid="plan-group" data-verdict={g.verdict} data-connection={g.connection} data-timebase={g.timebaseMs}>
                  <td>{g.connection}</td>
                  <td>{g.protocol}</td>
                  <td className="num">{g.timebaseMs} ms</td>
                  <td className="num">{g.signals}</td>
                  <td className="num">
                    {g.requests > 0 ? (
                      <button type="button" className="link" data-testid="plan-requests" onClick={() => toggle(k)}>
                        {g.requests} {open.has(k) ? '▾' : '▸'}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="num">{g.bytesPerCycle || '—'}</td>
                  <td className="num" data-testid="plan-predicted">{g.verdict === 'push' || g.verdict === 'invalid' ? '—' : ms(g.predictedCycleMs)}</td>
                  <td className="num" data-testid="plan-measured">{ms(g.measured?.lastCycleMs)}</td>
                  <td className="num">{ms(g.measured?.jitterP99Ms)}</td>
                  <td className={`num ${g.measured?.overruns ? 'warn' : ''}`}>{g.measured ? g.measured.overruns : '—'}</td>
                  <td>
                    <LoadBar g={g} />
                    {g.verdict === 'push' || g.verdict === 'invalid' ? '' : `${(g.load * 100).toFixed(0)} %`}
                  </td>
                  <td className={`verdict-${g.verdict}`}>{VERDICT[g.verdict]}</td>
                </tr>
                {g.note ? (
                  <tr>
                    <td />
                    <td colSpan={11} className={g.verdict === 'invalid' ? 'reason' : 'muted'}>{g.note}</td>
                  </tr>
                ) : null}
                {open.has(k) ? (
                  <tr>
                    <td />
                    <td colSpan={11}>
                      <ul className="requests" data-testid="plan-request-list">
                        {g.requestList.map((r, i) => (
                          <li key={i}>{r}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <p className="muted">Predicted: request round trips (3 ms each on a LAN) plus the bytes on the wire — at the baud rate on a serial line. Measured: the collector's last cycle.</p>
    </div>
  );
}
