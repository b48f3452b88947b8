/**
 * GE Ethernet Global Data consumer. EGD is pushed: the PLC produces each exchange to a UDP
 * port at its own period and never hears from us. So connect() means "bind the port", a
 * subscription listens for one (producer, exchange), and a producer that goes quiet makes
 * its signals stale rather than dropping the link; only a socket failure drops it.
 */
import { EgdConnectionSchema, describeProblems, zodProblems, type EgdConnectionConfig } from '../../shared/contract';
import { err, ok, parxError, type Result } from '../../shared/result';
import type { DriverSession, ProtocolDriver, PushSink } from '../driver';
import { parseEgdAddress, type EgdAddress } from './address';
import { EGD_PORT } from './frame';
import { ExchangeSubscription } from './exchange-subscription';
import { acquireListener, type ListenerLease } from './listener';

export class EgdSession implements DriverSession<EgdAddress> {
  private lease: ListenerLease | undefined;
  private dropListener: ((reason: string) => void) | undefined;
  private readonly subscriptions = new Set<{ close(): Promise<void> }>();
  private closed = false;

  constructor(private readonly config: EgdConnectionConfig) {}

  async connect(): Promise<void> {
    const lease = await acquireListener(this.config.bindHost, this.config.port);
    if (this.closed) {
      await lease.release();
      return;
    }
    this.lease = lease;
    lease.onError((reason) => {
      if (!this.closed) this.dropListener?.(reason);
    });
  }

  /** The port actually bound (useful when the configuration asked for port 0). */
  boundPort(): number | undefined {
    return this.lease?.port;
  }

  subscribe(addresses: readonly EgdAddress[], _timebaseMs: number, sink: PushSink): Promise<{ close(): Promise<void> }> {
    const lease = this.lease;
    if (!lease || this.closed) return Promise.reject(new Error('not listening: connect() first'));
    const { producer, exchange, signature, staleAfterMs } = this.config;
    const key = { producer, exchange };
    const sub = new ExchangeSubscription({ key, addresses, signature, staleAfterMs, sink });
    const unroute = lease.route(key, sub.onPacket);
    const handle = {
      close: async (): Promise<void> => {
        sub.close();
        unroute();
        this.subscriptions.delete(handle);
      },
    };
    this.subscriptions.add(handle);
    return Promise.resolve(handle);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of [...this.subscriptions]) await s.close();
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release();
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListener = listener;
  }
}

function numberParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  return v === null || v.trim() === '' ? undefined : Number(v);
}

/** egd://LOCALHOST:PORT?producer=10.0.0.5&exchange=1[&stale=1000][&signature=N] — HOST:PORT is where we listen. */
function connectionFromUrl(text: string, name = 'probe'): Result<EgdConnectionConfig> {
  const usage = 'expected egd://LISTEN-HOST:PORT?producer=10.0.0.5&exchange=1';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(parxError('invalid-request', `"${text}" is not a URL (${usage})`));
  }
  if (url.protocol !== 'egd:') return err(parxError('invalid-request', `"${text}" is not an egd:// URL (${usage})`));
  if (!url.searchParams.has('producer') || !url.searchParams.has('exchange')) return err(parxError('invalid-request', `"${text}" needs producer and exchange (${usage})`));
  const stale = numberParam(url, 'stale');
  const signature = numberParam(url, 'signature');
  const parsed = EgdConnectionSchema.safeParse({
    name,
    protocol: 'egd',
    bindHost: url.hostname.replace(/^\[|\]$/g, '') || '0.0.0.0',
    port: url.port ? Number(url.port) : EGD_PORT,
    producer: url.searchParams.get('producer'),
    exchange: numberParam(url, 'exchange'),
    ...(stale !== undefined ? { staleAfterMs: stale } : {}),
    ...(signature !== undefined ? { signature } : {}),
  });
  if (!parsed.success) return err(parxError('invalid-request', `${text}: ${describeProblems(zodProblems(parsed.error))}`));
  return ok(parsed.data);
}

function endpoint(c: EgdConnectionConfig): string {
  return `egd://${c.bindHost}:${c.port}?producer=${c.producer}&exchange=${c.exchange}`;
}

export const egdDriver: ProtocolDriver<EgdConnectionConfig, EgdAddress> = {
  protocol: 'egd',
  mode: 'push',
  connectionFromUrl,
  parseAddress: parseEgdAddress,
  endpoint,
  open: (c) => new EgdSession(c),
};
