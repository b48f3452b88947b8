/**
 * What an engineer needs to decide on a server certificate: who it names, how long it is
 * valid, and its SHA-1 thumbprint (the number OPC UA servers show on their own screens).
 * Node's X509Certificate only; no node-opcua, so the engine can list certificates without
 * loading it.
 */
import { X509Certificate } from 'node:crypto';

export interface CertificateInfo {
  /** SHA-1 of the DER bytes, lowercase hex without separators. */
  readonly thumbprint: string;
  readonly subject: string;
  readonly validFrom: string;
  readonly validTo: string;
}

/** OPC UA servers may send their certificate followed by its issuers, DER after DER: the first is theirs. */
export function firstDer(chain: Uint8Array): Uint8Array {
  if (chain.length < 2 || chain[0] !== 0x30) throw new Error('not a DER certificate (expected an ASN.1 SEQUENCE)');
  const first = chain[1] as number;
  let header = 2;
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n < 1 || n > 4 || chain.length < 2 + n) throw new Error('not a DER certificate (bad length)');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (chain[2 + i] as number);
    header = 2 + n;
  }
  if (header + length > chain.length) throw new Error(`truncated certificate: ${chain.length} bytes, the header announces ${header + length}`);
  return chain.subarray(0, header + length);
}

/** "CN=ParX demo line, O=ParX" from Node's one-per-line form. */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).reverse().join(', ');
}

export function certificateInfo(derOrPem: Uint8Array | string): CertificateInfo {
  const cert = new X509Certificate(typeof derOrPem === 'string' ? derOrPem : firstDer(derOrPem));
  return {
    thumbprint: cert.fingerprint.replace(/:/g, '').toLowerCase(),
    subject: oneLine(cert.subject),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
  };
}
