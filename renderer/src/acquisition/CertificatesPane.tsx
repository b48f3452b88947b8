/** The OPC UA trust store: every server certificate ParX trusts or refused, to review and change. */
import { useCallback, useEffect, useState } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { CertificateEntry } from '../../../app/shared/contract/acquisition';
import { useSession } from '../session-context';
import { day, groupedThumbprint, validityProblem } from './certificate-text';
import './acquisition.css';

export function CertificatesPane(_props: IDockviewPanelProps): React.JSX.Element {
  const { transport } = useSession();
  const [list, setList] = useState<CertificateEntry[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await transport.call('certificates.list', {});
    if (r.ok) setList(r.value);
    else setMessage(r.error.message);
  }, [transport]);

  useEffect(() => {
    void load();
    // A new refusal, or a decision taken in the prompt: show it here too.
    const subs = [transport.on('certificate.untrusted', () => void load()), transport.on('connection.state', () => void load())];
    return () => subs.forEach((s) => s.dispose());
  }, [transport, load]);

  const decide = async (c: CertificateEntry, verb: 'trust' | 'reject'): Promise<void> => {
    const r = await transport.call(verb === 'trust' ? 'certificates.trust' : 'certificates.reject', { thumbprint: c.thumbprint });
    setMessage(r.ok ? `${c.subject}: ${r.value.status}` : r.error.message);
    await load();
  };

  return (
    <div className="acq-pane" data-testid="certificates-pane">
      <div className="toolbar">
        <b>OPC UA server certificates</b>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <span className="muted">kept in the workspace under pki/opcua; security None needs none</span>
      </div>
      {list === null ? (
        <div className="empty">{message ?? 'Loading…'}</div>
      ) : list.length === 0 ? (
        <div className="empty">No server certificates yet. A secured connection asks the first time it meets a server.</div>
      ) : (
        <table>
          <thead>
            <tr><th>status</th><th>subject</th><th>valid</th><th>thumbprint</th><th /></tr>
          </thead>
          <tbody>
            {list.map((c) => {
              const problem = validityProblem(c.validFrom, c.validTo);
              return (
                <tr key={`${c.status}-${c.thumbprint}`} data-testid="certificate-row" data-status={c.status} data-thumbprint={c.thumbprint}>
                  <td className={`status-${c.status}`}>{c.status}</td>
                  <td>{c.subject}</td>
                  <td className={problem ? 'reason' : ''}>
                    {day(c.validFrom)} – {day(c.validTo)}
                    {problem ? ` (${problem})` : ''}
                  </td>
                  <td className="mono">{groupedThumbprint(c.thumbprint)}</td>
                  <td>
                    {c.status === 'rejected' ? (
                      <button type="button" data-testid="certificate-row-trust" onClick={() => void decide(c, 'trust')}>Trust</button>
                    ) : (
                      <button type="button" data-testid="certificate-row-reject" onClick={() => void decide(c, 'reject')}>Reject</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {message ? <div className="message">{message}</div> : null}
    </div>
  );
}
