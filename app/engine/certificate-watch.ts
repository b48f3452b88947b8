/**
 * Turns "server certificate not trusted … (thumbprint X)" in a connection's status into one
 * `certificate.untrusted` event per connection and certificate — not one per retry — so the UI
 * can ask the engineer once. Also what a freshly opened window asks for (`pendingCertificates`).
 */
import type { ConnectionStatus } from '../shared/contract';
import type { UntrustedCertificate } from '../shared/contract/acquisition';
import { untrustedThumbprint } from '../shared/opcua-trust';
import { findCertificate, workspacePkiDir } from '../drivers/opcua/trust-store';
import type { Engine } from './engine';

const announced = new WeakMap<Engine, Map<string, string>>();

export async function untrustedCertificateOf(engine: Engine, s: ConnectionStatus): Promise<UntrustedCertificate | undefined> {
  const thumbprint = untrustedThumbprint(s.lastError);
  if (!thumbprint) return undefined;
  const found = await findCertificate(workspacePkiDir(engine.options.workspace), thumbprint).catch(() => undefined);
  const subject = found?.subject ?? /not trusted: (.*) \(thumbprint/.exec(s.lastError ?? '')?.[1] ?? '';
  return { connection: s.name, thumbprint, subject, validFrom: found?.validFrom ?? '', validTo: found?.validTo ?? '' };
}

/** Called with every connection status the collector reports. */
export function noticeUntrustedCertificate(engine: Engine, s: ConnectionStatus): void {
  let seen = announced.get(engine);
  if (!seen) announced.set(engine, (seen = new Map()));
  const thumbprint = untrustedThumbprint(s.lastError);
  if (!thumbprint) {
    // Connected (or failing for another reason): a later refusal is news again.
    if (s.state === 'connected' || s.state === 'disabled') seen.delete(s.name);
    return;
  }
  if (seen.get(s.name) === thumbprint) return;
  seen.set(s.name, thumbprint);
  void untrustedCertificateOf(engine, s).then((c) => c && engine.broadcast('certificate.untrusted', c));
}
