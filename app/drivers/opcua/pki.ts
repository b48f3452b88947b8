/**
 * The client's certificate store: ParX's own certificate (made on first use), the servers it
 * trusts, the ones it rejected. It lives in $PARX_PKI_DIR, else in the workspace under
 * pki/opcua, one store per process shared by every connection.
 *
 * An unknown server certificate is refused and written to rejected/ (server-trust.ts checks
 * before connecting); the engineer trusts it in the UI (`certificates.trust`, which moves the
 * file to trusted/certs) or the connection sets autoTrust. Security None needs no trust.
 */
import { OPCUACertificateManager } from 'node-opcua';
import { clientPkiDir } from './pki-dir';

export { clientPkiDir };

const managers = new Map<string, Promise<OPCUACertificateManager>>();

export function clientCertificateManager(dir = clientPkiDir()): Promise<OPCUACertificateManager> {
  let m = managers.get(dir);
  if (!m) {
    const manager = new OPCUACertificateManager({ rootFolder: dir, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
    m = manager.initialize().then(() => manager);
    // A failed initialisation (read-only disk) is retried by the next connection, not cached.
    m.catch(() => managers.delete(dir));
    managers.set(dir, m);
  }
  return m;
}
