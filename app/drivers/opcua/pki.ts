/**
 * The client's certificate store: ParX's own certificate (made on first use), the servers it
 * trusts, the ones it rejected. It lives in $PARX_PKI_DIR, else in the workspace under
 * pki/opcua, one store per process shared by every connection.
 *
 * Trust on first use, for now: an unknown server certificate is accepted and written to
 * trusted/, so the engineer can see and remove it; a certificate moved to rejected/ is
 * refused. Asking the engineer in the UI before trusting comes later.
 */
import path from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';
import { defaultWorkspaceDir } from '../../workspace/paths';

export function clientPkiDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PARX_PKI_DIR ? path.resolve(env.PARX_PKI_DIR) : path.join(defaultWorkspaceDir(env), 'pki', 'opcua');
}

const managers = new Map<string, Promise<OPCUACertificateManager>>();

export function clientCertificateManager(dir = clientPkiDir()): Promise<OPCUACertificateManager> {
  let m = managers.get(dir);
  if (!m) {
    const manager = new OPCUACertificateManager({ rootFolder: dir, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
    m = manager.initialize().then(() => manager);
    // A failed initialisation (read-only disk) is retried by the next connection, not cached.
    m.catch(() => managers.delete(dir));
    managers.set(dir, m);
  }
  return m;
}
