/** What a refused or broken MQTT link means, in words an engineer can act on. */

/** CONNACK return codes (3.1.1) and reason codes (5) for a refused login. */
const AUTH_CODES = new Set([4, 5, 134, 135]);

export function describeConnectError(e: Error, where: string): string {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'number' && AUTH_CODES.has(code)) {
    return `the broker at ${where} refused the login: not authorized (${e.message}; check user name and password)`;
  }
  if (typeof code === 'number') return `the broker at ${where} refused the connection: ${e.message} (code ${code})`;
  if (code === 'ECONNREFUSED') return `nothing accepts connections at ${where} (ECONNREFUSED): is the broker running?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the broker's host name in ${where} (${code})`;
  if (typeof code === 'string' && /CERT|SSL|TLS/i.test(code + e.message)) return `TLS with ${where} failed: ${e.message} (${code}); check the CA certificate`;
  return `cannot connect to ${where}: ${e.message}${typeof code === 'string' ? ` (${code})` : ''}`;
}

/** MQTT 5: the broker says why it ends the session. */
export function describeDisconnect(reasonCode: number | undefined, where: string): string {
  const reasons: Record<number, string> = {
    0x8e: 'another client connected with the same client id (session taken over)',
    0x8b: 'the broker is shutting down',
    0x87: 'not authorized',
    0x8d: 'keep-alive timeout',
    0x97: 'quota exceeded',
  };
  const why = reasonCode === undefined ? 'no reason given' : (reasons[reasonCode] ?? `reason code ${reasonCode}`);
  return `the broker at ${where} disconnected ParX: ${why}`;
}
