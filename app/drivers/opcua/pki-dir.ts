/**
 * Where the OPC UA trust store is, without loading node-opcua: $PARX_PKI_DIR, else the store
 * of the engine running in this process (its workspace), else the default workspace's. The
 * engine's collector gets $PARX_PKI_DIR; "Test connection" and browsing run beside the engine
 * and must refuse and trust exactly as it does.
 */
import path from 'node:path';
import { defaultWorkspaceDir } from '../../workspace/paths';

let engineStore: string | undefined;

export function useWorkspaceTrustStore(workspace: string): void {
  engineStore = path.join(workspace, 'pki', 'opcua');
}

export function clientPkiDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PARX_PKI_DIR) return path.resolve(env.PARX_PKI_DIR);
  return engineStore ?? path.join(defaultWorkspaceDir(env), 'pki', 'opcua');
}
