/**
 * `parx probe opc.tcp://host:4840/path?security=SignAndEncrypt&policy=Basic256Sha256&user=op&password=…&trust=auto`
 * → an OPC UA connection config, and the endpoint text shown in the status list (never
 * with the password).
 */
import { OpcUaConnectionSchema, describeProblems, zodProblems, type OpcUaConnectionConfig } from '../../shared/contract';
import { err, ok, parxError, type Result } from '../../shared/result';

const MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
const QUERY = new Set(['security', 'policy', 'user', 'password', 'timeout', 'trust']);

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function pick<T extends string>(options: readonly T[], text: string): T | undefined {
  return options.find((o) => o.toLowerCase() === text.toLowerCase());
}

export function opcUaConnectionFromUrl(text: string, name = 'probe'): Result<OpcUaConnectionConfig> {
  if (typeof text !== 'string' || text.length > 4096) return err(parxError('invalid-request', 'the OPC UA URL is missing or too long'));
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return err(parxError('invalid-request', `"${text}" is not a URL (expected opc.tcp://HOST:PORT/PATH)`));
  }
  if (url.protocol !== 'opc.tcp:') return err(parxError('invalid-request', `"${text}" is not an opc.tcp:// URL`));
  if (!url.hostname) return err(parxError('invalid-request', `"${text}" names no host`));
  const unknown = [...url.searchParams.keys()].find((k) => !QUERY.has(k));
  if (unknown !== undefined) return err(parxError('invalid-request', `${url.origin}: unknown option "${unknown}" (known: ${[...QUERY].join(', ')})`));
  const q = (k: string): string | undefined => url.searchParams.get(k) ?? undefined;

  const modeText = q('security') ?? 'None';
  const securityMode = pick(MODES, modeText);
  if (!securityMode) return err(parxError('invalid-request', `security=${modeText} is not one of ${MODES.join(', ')}`));
  // Signing without naming a policy means the one every current server offers.
  const policyText = q('policy') ?? (securityMode === 'None' ? 'None' : 'Basic256Sha256');
  const user = q('user') ?? (url.username ? decoded(url.username) : undefined);
  const password = q('password') ?? (url.password ? decoded(url.password) : '');
  const timeout = q('timeout');
  // trust=auto: accept a server certificate not seen before (commissioning on a bench); anything else asks.
  const trust = q('trust');
  if (trust !== undefined && trust !== 'auto' && trust !== 'ask') return err(parxError('invalid-request', `trust=${trust} is not one of auto, ask`));
  const host = url.hostname;
  const endpointUrl = `opc.tcp://${host}${url.port ? `:${url.port}` : ':4840'}${url.pathname === '/' ? '' : url.pathname}`;
  const parsed = OpcUaConnectionSchema.safeParse({
    name,
    protocol: 'opcua',
    endpointUrl,
    securityMode,
    securityPolicy: policyText,
    auth: user !== undefined ? { type: 'username', username: user, password } : { type: 'anonymous' },
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
    ...(trust === 'auto' ? { autoTrust: true } : {}),
  });
  if (!parsed.success) return err(parxError('invalid-request', `${endpointUrl}: ${describeProblems(zodProblems(parsed.error))}`));
  const problem = securityProblem(parsed.data);
  return problem ? err(parxError('invalid-request', `${endpointUrl}: ${problem}`)) : ok(parsed.data);
}

/** Mode and policy must agree: no security with no policy, or a policy to sign with. */
export function securityProblem(c: Pick<OpcUaConnectionConfig, 'securityMode' | 'securityPolicy'>): string | undefined {
  if ((c.securityMode === 'None') === (c.securityPolicy === 'None')) return undefined;
  return c.securityMode === 'None'
    ? `security mode None goes with security policy None, not ${c.securityPolicy}`
    : `security mode ${c.securityMode} needs a security policy such as Basic256Sha256, not None`;
}

/** "opc.tcp://plc:4840/path (Basic256Sha256, SignAndEncrypt, user op)" */
export function opcUaEndpointLabel(c: OpcUaConnectionConfig): string {
  const parts: string[] = [];
  if (c.securityMode !== 'None') parts.push(c.securityPolicy, c.securityMode);
  if (c.auth.type === 'username') parts.push(`user ${c.auth.username}`);
  return parts.length ? `${c.endpointUrl} (${parts.join(', ')})` : c.endpointUrl;
}
