/** System health: connections, polling groups (predicted beside measured cycle), live viewers, the disk buffer, the InfluxDB output. */
import { formatBytes } from '../format-bytes';
import { useEffect, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { ResultOf } from '../../../app/shared/contract';
import { useSession } from '../session-context';

type Health = ResultOf<'health.get'>;
const ms = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} ms`);

export function HealthPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      const r = await transport.call('health.get', {});
      if (!live) return;
      if (r.ok) {
        setHealth(r.value);
        setError(null);
      } else setError(r.error.message);
    };
    void load();
    const t = setInterval(() => void load(), 1000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [transport]);

  if (!health) return <div className="empty">{error ?? 'Loading health…'}</div>;
  return (
    <div className="health-pane" data-testid="health-pane">
      <h4>Connections</h4>
      <table>
        <thead>
          <tr><th>name</th><th>state</th><th>endpoint</th><th>reads</th><th>errors</th><th>reconnects</th><th>last error</th></tr>
        </thead>
        <tbody>
          {health.connections.map((c) => (
            <tr key={c.name} data-testid="health-connection" data-state={c.state}>
              <td>{c.name}</td><td><span className={`dot ${c.state}`} /> {c.state}</td><td className="mono">{c.endpoint}</td><td>{c.reads}</td><td>{c.errors}</td><td>{c.reconnects}</td><td className="reason">{c.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Polling groups</h4>
      <table>
        <thead>
          <tr><th>connection</th><th>mode</th><th>timebase</th><th>signals</th><th>cycles</th><th>overruns</th><th>cycle</th><th>predicted</th><th>jitter p99</th></tr>
        </thead>
        <tbody>
          {health.groups.map((g) => (
            <tr key={`${g.connection}-${g.timebaseMs}`} data-testid="health-group">
              <td>{g.connection}</td><td>{g.mode}</td><td>{g.timebaseMs} ms</td><td>{g.signals}</td><td>{g.cycles}</td><td className={g.overruns ? 'warn' : ''}>{g.overruns}</td><td>{ms(g.lastCycleMs)}</td><td>{ms(g.predictedCycleMs)}</td><td>{ms(g.jitterP99Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Buffer and viewers</h4>
      <p>
        {health.buffer ? `Disk buffer: ${(health.buffer.bytes / 1e6).toFixed(1)} MB in ${health.buffer.segments} segments, ${health.buffer.droppedSegments} dropped when full, ${health.buffer.flushErrors} flush errors.` : 'No disk buffer.'}{' '}
        Live samples dropped for slow viewers: {health.droppedLive}.
      </p>
      {health.buffer && (health.buffer.failing || health.buffer.lostSamples > 0) && (
        <p data-testid="health-buffer-failing" className={health.buffer.failing ? 'field-error' : ''}>
          {health.buffer.failing
            ? `The disk buffer cannot write since ${new Date(health.buffer.failing.since).toLocaleTimeString()} (${health.buffer.failing.message}): new samples are lost until it can. `
            : ''}
          {health.buffer.lostSamples} samples lost to failed writes since start.
        </p>
      )}
      {health.recorder && (
        <p data-testid="health-recorder" className={health.recorder.alarm ? 'field-error' : ''}>
          Recorder backlog: {formatBytes(health.recorder.backlogBytes)} in the disk buffer not yet in batch files
          {health.recorder.alarm ? ` — ${health.recorder.alarm}` : health.recorder.backlogBytes > 64e6 ? ' — the writer is behind; the disk buffer holds it.' : '.'}
        </p>
      )}
      {health.influx && (
        <>
          <h4>InfluxDB output</h4>
          <p data-testid="health-influx">
            <span className={`dot ${health.influx.state === 'sending' ? 'connected' : 'disconnected'}`} /> {health.influx.state} to <span className="mono">{health.influx.url}</span>: {health.influx.points} points
            {health.influx.sentUpTo !== null ? `, up to ${new Date(health.influx.sentUpTo).toLocaleTimeString()}` : ''}
            {health.influx.rejected ? `, ${health.influx.rejected} refused by the server` : ''}.
            {health.influx.lastError && <span className="reason"> {health.influx.lastError}</span>}
          </p>
        </>
      )}
    </div>
  );
}
