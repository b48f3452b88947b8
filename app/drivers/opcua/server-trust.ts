/**
 * Before a secured session: fetch the server's certificate (GetEndpoints needs no security)
 * and decide. Trusted → go on. Unknown or rejected → refuse with a reason naming its
 * thumbprint, leaving it in rejected/ for the engineer to trust (the engine offers it in the
 * UI). `autoTrust` trusts an unknown one on the spot. The store is shared with the engine,
 * which moves files between rejected/ and trusted/, so it is re-read every time.
 */
import { MessageSecurityMode, OPCUAClient, SecurityPolicy, type OPCUACertificateManager } from 'node-opcua';
import type { OpcUaConnectionConfig } from '../../shared/contract';
import { withTimeout } from '../../shared/with-timeout';
import { certificateInfo, firstDer } from './certificate-info';
import { findCertificate } from './trust-store';
import { untrustedReason } from '../../shared/opcua-trust';

async function serverCertificate(c: OpcUaConnectionConfig, cm: OPCUACertificateManager, budgetMs: number): Promise<Buffer> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
  try {
    await withTimeout(client.connect(c.endpointUrl), budgetMs, `no answer from ${c.endpointUrl} within ${budgetMs} ms`);
    const endpoints = await withTimeout(client.getEndpoints(), budgetMs, `no endpoint list from ${c.endpointUrl} within ${budgetMs} ms`);
    const wanted = endpoints.find((e) => e.securityMode === MessageSecurityMode[c.securityMode] && e.securityPolicyUri === SecurityPolicy[c.securityPolicy]);
    const cert = (wanted ?? endpoints.find((e) => e.serverCertificate?.length))?.serverCertificate;
    if (!cert?.length) throw new Error(`${c.endpointUrl} sends no certificate, so ${c.securityMode} is impossible`);
    return Buffer.from(firstDer(cert));
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}

export async function ensureServerTrusted(c: OpcUaConnectionConfig, cm: OPCUACertificateManager, budgetMs: number): Promise<void> {
  if (c.securityMode === 'None') return;
  const cert = await serverCertificate(c, cm, budgetMs);
  const info = certificateInfo(cert);
  // Decided by the files, as the engine sees them: it may have moved this one since we last looked.
  const known = await findCertificate(cm.rootDir, info.thumbprint);
  if (known?.status === 'trusted' || (known === undefined && c.autoTrust === true)) {
    if (known === undefined) await cm.trustCertificate(cert);
    // node-opcua checks again during connect, from its own index of the folders.
    await cm.reloadCertificates();
    return;
  }
  if (known === undefined) await cm.rejectCertificate(cert);
  throw new Error(untrustedReason(info.subject, info.thumbprint, known !== undefined));
}
