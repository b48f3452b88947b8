/**
 * The reason a secured OPC UA connection gives when the server's certificate is not trusted.
 * The collector carries only a reason text from its worker; the engine reads the thumbprint
 * back out of it to offer the certificate in the UI. Pure, shared by both sides.
 */
const PATTERN = /server certificate not trusted: .* \(thumbprint ([0-9a-f]{40})\)/;

export function untrustedReason(subject: string, thumbprint: string, rejectedBefore: boolean): string {
  const what = rejectedBefore ? 'it is on the rejected list' : 'ParX has not seen it before';
  return `server certificate not trusted: ${subject} (thumbprint ${thumbprint}); ${what} — trust it under Certificates, or set autoTrust`;
}

/** The thumbprint named in an untrusted-certificate reason, if that is what the reason is. */
export function untrustedThumbprint(reason: string | null | undefined): string | undefined {
  return reason ? PATTERN.exec(reason)?.[1] : undefined;
}
