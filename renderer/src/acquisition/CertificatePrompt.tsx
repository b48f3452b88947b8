/**
 * First-use prompt: a secured OPC UA connection was refused because ParX does not trust the
 * server's certificate. Shows who the certificate names, how long it is valid and its
 * thumbprint (to compare with the server's own screen), with Trust and Reject. Also picks up
 * refusals that happened before this window opened.
 */
import { useCallback, useEffect, useState } from 'react';
import type { UntrustedCertificate } from '../../../app/shared/contract/acquisition';
import { untrustedThumbprint } from '../../../app/shared/opcua-trust';
import { useSession } from '../session-context';
import { day, groupedThumbprint, validityProblem } from './certificate-text';
import './acquisition.css';

export function CertificatePrompt(): React.JSX.Element | null {
  const { transport } = useSession();
  const [queue, setQueue] = useState<UntrustedCertificate[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const offer = useCallback((c: UntrustedCertificate) => {
    setQueue((q) => (q.some((x) => x.thumbprint === c.thumbprint) ? q : [...q, c]));
  }, []);

  useEffect(() => {
    const sub = transport.on('certificate.untrusted', offer);
    // Refused before this window opened: the connection's reason still names the certificate.
    void (async () => {
      const [connections, certificates] = await Promise.all([transport.call('connections.list', {}), transport.call('certificates.list', {})]);
      if (!connections.ok || !certificates.ok) return;
      for (const s of connections.value) {
        const thumbprint = untrustedThumbprint(s.lastError);
        const c = certificates.value.find((x) => x.thumbprint === thumbprint && x.status === 'rejected');
        if (c) offer({ connection: s.name, thumbprint: c.thumbprint, subject: c.subject, validFrom: c.validFrom, validTo: c.validTo });
      }
    })();
    return () => sub.dispose();
  }, [transport, offer]);

  const current = queue[0];
  if (!current) return null;
  const problem = validityProblem(current.validFrom, current.validTo);

  const decide = async (verb: 'trust' | 'reject'): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await transport.call(verb === 'trust' ? 'certificates.trust' : 'certificates.reject', { thumbprint: current.thumbprint });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setQueue((q) => q.filter((x) => x.thumbprint !== current.thumbprint));
  };

  return (
    <div className="cert-dialog-backdrop">
      <div className="cert-dialog" role="dialog" aria-modal="true" aria-labelledby="cert-dialog-title" data-testid="certificate-prompt" data-thumbprint={current.thumbprint}>
        <h3 id="cert-dialog-title">Trust this OPC UA server?</h3>
        <p>
          The connection <b>{current.connection}</b> uses a secured channel, and the server presented a certificate ParX has not trusted. Compare the thumbprint with the one shown on the
          server before trusting it.
        </p>
        <dl>
          <dt>Subject</dt>
          <dd data-testid="certificate-subject">{current.subject || '—'}</dd>
          <dt>Valid</dt>
          <dd className={problem ? 'expired' : ''}>
            {day(current.validFrom)} to {day(current.validTo)}
            {problem ? ` — ${problem}` : ''}
          </dd>
          <dt>Thumbprint</dt>
          <dd className="mono" data-testid="certificate-thumbprint">
            {groupedThumbprint(current.thumbprint)}
          </dd>
        </dl>
        {error ? <p className="reason">{error}</p> : null}
        <div className="actions">
          {queue.length > 1 ? <span className="queue">{queue.length - 1} more waiting</span> : null}
          <button type="button" data-testid="certificate-reject" disabled={busy} onClick={() => void decide('reject')}>
            Reject
          </button>
          <button type="button" className="trust" data-testid="certificate-trust" disabled={busy} onClick={() => void decide('trust')}>
            Trust and connect
          </button>
        </div>
      </div>
    </div>
  );
}
