/**
 * `mqtt://host:port?user=U&password=P&v=5&ts=payload&timeout=3000&clientId=ID` → a
 * connection config (for `parx probe`/`browse` and pasting a broker into the UI). Also
 * `mqtts://` (TLS), `ws://`, `wss://`, and `mqtt://user:password@host`. Credentials and
 * options leave the stored URL, so the endpoint shown to people never carries a password.
 */
import { MqttConnectionSchema, describeProblems, zodProblems, type MqttConnectionConfig } from '../../shared/contract';
import { err, ok, parxError, type Result } from '../../shared/result';

const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);
const DEFAULT_PORTS: Record<string, number> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };

function bad(message: string): Result<never> {
  return err(parxError('invalid-request', message));
}

export function connectionFromUrl(text: string, name = 'probe'): Result<MqttConnectionConfig> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return bad(`"${text}" is not a URL (expected mqtt://HOST:PORT, e.g. mqtt://127.0.0.1:1883?v=5)`);
  }
  if (!SCHEMES.has(url.protocol)) return bad(`"${text}" is not an mqtt://, mqtts://, ws:// or wss:// URL`);
  const q = url.searchParams;
  const version = q.get('v') ?? q.get('version');
  const protocolVersion = version === null ? 4 : ({ '4': 4, '3.1.1': 4, '5': 5, '5.0': 5 } as Record<string, number>)[version];
  if (protocolVersion === undefined) return bad(`${text}: v=${version} is not an MQTT version ParX speaks (v=4 for 3.1.1, v=5)`);
  const ts = q.get('ts');
  if (ts !== null && ts !== 'payload' && ts !== 'receive') return bad(`${text}: ts=${ts} must be ts=payload or ts=receive`);
  const username = q.get('user') ?? q.get('username') ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password = q.get('password') ?? (url.password ? decodeURIComponent(url.password) : undefined);
  const rejectUnauthorized = q.get('insecure') === null ? true : !['1', 'true', ''].includes(q.get('insecure') as string);
  const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] as number);
  const host = url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname;
  const path = url.protocol === 'ws:' || url.protocol === 'wss:' ? url.pathname : '';
  const parsed = MqttConnectionSchema.safeParse({
    name,
    protocol: 'mqtt',
    url: `${url.protocol}//${host}:${port}${path === '/' ? '' : path}`,
    protocolVersion,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(q.get('clientId') === null ? {} : { clientId: q.get('clientId') }),
    rejectUnauthorized,
    timestampSource: ts ?? 'receive',
    timeoutMs: q.has('timeout') ? Number(q.get('timeout')) : 3000,
  });
  if (!parsed.success) return bad(`${text.replace(/password=[^&]*/, 'password=***')}: ${describeProblems(zodProblems(parsed.error))}`);
  return ok(parsed.data);
}

/** Where the broker is, for people: the URL without credentials, plus the user and MQTT version. */
export function endpointOf(c: MqttConnectionConfig): string {
  return `${brokerAt(c)}${c.username === undefined ? '' : ` as ${c.username}`} (MQTT ${c.protocolVersion === 5 ? '5' : '3.1.1'})`;
}

/** The broker's URL without credentials or options, for messages. */
export function brokerAt(c: MqttConnectionConfig): string {
  let shown = c.url;
  try {
    const u = new URL(c.url);
    u.username = '';
    u.password = '';
    u.search = '';
    shown = u.toString().replace(/\/$/, '');
  } catch {
    // the schema already checked the shape; show it as stored
  }
  return shown;
}
