/**
 * OPC UA over node-opcua, by subscription: the signals of a timebase become monitored items
 * of one subscription sampled at that timebase, and the server pushes what changes. node-opcua
 * is told never to reconnect by itself (maxRetry 0): a lost link is reported once through
 * onDrop and the collector reconnects with its own backoff, gap marker and status.
 */
import {
  AttributeIds,
  DataType,
  MessageSecurityMode,
  NumericRange,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  UserTokenType,
  VariantArrayType,
  type ClientMonitoredItemGroup,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type UserIdentityInfo,
} from 'node-opcua';
import type { OpcUaConnectionConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { withTimeout } from '../../shared/with-timeout';
import type { BrowseItem, DriverSession, PushSink, PushedSample } from '../driver';
import { formatOpcUaAddress, type OpcUaAddress } from './address';
import { browseLevel } from './browse';
import { clientCertificateManager } from './pki';
import { ensureServerTrusted } from './server-trust';
import { subscriptionPlan } from './subscription-plan';
import { securityProblem } from './url';
import { describeStatus, qualityOfStatus, sampleTime, variantToNumber } from './values';

/** Servers cap items per CreateMonitoredItems call (node-opcua's default cap is 1000 as well). */
const ITEMS_PER_CALL = 1000;
const MAX_ERRORS_SHOWN = 5;
/** Long enough that a busy line PC does not lose its session, short enough that a dead one is cleaned up. */
const SESSION_TIMEOUT_MS = 30_000;

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? 'unknown error';
}

/** node-opcua's messages are long and nested; keep what tells the engineer what happened. */
function explainConnectError(e: unknown, c: OpcUaConnectionConfig): string {
  const text = e instanceof Error ? e.message : String(e);
  const status = /Bad[A-Za-z]+/.exec(text)?.[0];
  if (status === 'BadUserAccessDenied' || status === 'BadIdentityTokenRejected' || status === 'BadIdentityTokenInvalid') {
    return c.auth.type === 'username' ? `login as "${c.auth.username}" refused by the server (${status}): check user name and password` : `anonymous login refused by the server (${status}): this server needs a user name`;
  }
  if (/ECONNREFUSED/.test(text)) return `connection refused (ECONNREFUSED): nothing listens at ${c.endpointUrl}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return `host not found in ${c.endpointUrl}`;
  if (/cannot find endpoint|endpoint.*not found|BadSecurityPolicyRejected|BadSecurityModeRejected/i.test(text)) {
    return `the server offers no endpoint with ${c.securityPolicy}/${c.securityMode}: ${firstLine(e)}`;
  }
  if (/certificate|BadCertificate|BadSecurityChecksFailed/i.test(text)) return `certificate problem: ${firstLine(e)}`;
  return firstLine(e);
}

function identity(c: OpcUaConnectionConfig): UserIdentityInfo {
  return c.auth.type === 'username' ? { type: UserTokenType.UserName, userName: c.auth.username, password: c.auth.password } : { type: UserTokenType.Anonymous };
}

/** Scalar types whose decoded value already is the sample's number (what variantToNumber would return). */
const PLAIN_NUMBER_TYPES = new Set<number>([DataType.SByte, DataType.Byte, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Float, DataType.Double]);

/**
 * One DataValue → one sample. Bad status or a non-number spoils the sample, never the link.
 * Runs once per notification (100,000/s at 10,000 items and 100 ms), so the common case —
 * a good plain number — allocates the sample and nothing else.
 */
export function toPushedSample(index: number, address: OpcUaAddress, dv: DataValue, receivedMs: number): PushedSample {
  const ts = sampleTime(dv.sourceTimestamp, dv.serverTimestamp, receivedMs);
  const status = dv.statusCode.value;
  const quality: number = qualityOfStatus(status);
  if (quality === Quality.bad) return { index, ts, value: NaN, quality, error: `${formatOpcUaAddress(address)}: ${describeStatus(status)}` };
  const v = dv.value;
  if (v.arrayType === VariantArrayType.Scalar && address.index === undefined && typeof v.value === 'number' && PLAIN_NUMBER_TYPES.has(v.dataType)) return { index, ts, value: v.value, quality };
  const value = variantToNumber(v.dataType, v.arrayType, v.value, address.index === undefined ? undefined : 0);
  if (!value.ok) return { index, ts, value: NaN, quality: Quality.bad, error: `${formatOpcUaAddress(address)}: ${value.error.message}` };
  return { index, ts, value: value.value, quality };
}

export class OpcUaSession implements DriverSession<OpcUaAddress> {
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private dropListener: ((reason: string) => void) | undefined;
  private connected = false;
  private closing = false;
  private dropped = false;

  constructor(private readonly config: OpcUaConnectionConfig) {}

  private drop(reason: string): void {
    if (!this.connected || this.closing || this.dropped) return;
    this.dropped = true;
    this.dropListener?.(reason);
  }

  async connect(): Promise<void> {
    const c = this.config;
    const problem = securityProblem(c);
    if (problem) throw new Error(problem);
    // Made (with the certificate, on first use) outside the timeout: a key pair can take seconds.
    const clientCertificateManagerReady = await clientCertificateManager();
    const client = OPCUAClient.create({
      applicationName: 'ParX',
      clientName: `ParX ${c.name}`,
      clientCertificateManager: clientCertificateManagerReady,
      securityMode: MessageSecurityMode[c.securityMode],
      securityPolicy: SecurityPolicy[c.securityPolicy],
      // The URL's host may be an alias or an address the server does not list in its endpoints.
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      requestedSessionTimeout: SESSION_TIMEOUT_MS,
      keepSessionAlive: true,
      keepAliveInterval: Math.max(1000, c.timeoutMs * 2),
    });
    this.client = client;
    client.on('connection_lost', () => this.drop('connection to the server lost'));
    client.on('close', (e?: Error | null) => this.drop(e ? `connection closed: ${firstLine(e)}` : 'the server closed the connection'));
    client.on('abort', () => this.drop('the server aborted the connection'));
    const budget = Math.max(c.timeoutMs * 2, 3000);
    // Refused here, before node-opcua would, so the reason names the certificate to trust.
    await ensureServerTrusted(c, clientCertificateManagerReady, budget);
    try {
      await withTimeout(client.connect(c.endpointUrl), budget, `no answer from ${c.endpointUrl} within ${budget} ms`);
      this.session = await withTimeout(client.createSession(identity(c)), budget, `no session from ${c.endpointUrl} within ${budget} ms`);
    } catch (e) {
      await client.disconnect().catch(() => undefined);
      throw new Error(explainConnectError(e, c));
    }
    if (this.closing) {
      // close() ran while we were connecting: it could not see this session, so end it here.
      await this.session.close(true).catch(() => undefined);
      await client.disconnect().catch(() => undefined);
      return;
    }
    this.session.on('keepalive_failure', () => this.drop('no answer to the session keep-alive'));
    this.session.on('session_closed', (sc: { value: number }) => this.drop(`the server closed the session: ${describeStatus(sc.value)}`));
    this.connected = true;
  }

  async subscribe(addresses: readonly OpcUaAddress[], timebaseMs: number, sink: PushSink): Promise<{ close(): Promise<void> }> {
    const session = this.session;
    if (!session) throw new Error('not connected');
    const plan = subscriptionPlan(timebaseMs);
    const subscription: ClientSubscription = await session.createSubscription2({
      requestedPublishingInterval: plan.publishingIntervalMs,
      requestedLifetimeCount: plan.lifetimeCount,
      requestedMaxKeepAliveCount: plan.maxKeepAliveCount,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
    let open = true;
    // Our own close() terminates it too; only a server-side end means the data stopped.
    subscription.on('terminated', () => open && this.drop('the server ended the subscription'));
    subscription.on('internal_error', (e: Error) => open && this.drop(`subscription failed: ${firstLine(e)}`));

    // Values of one publish response arrive in one synchronous burst: hand them on as one batch.
    let pending: PushedSample[] = [];
    let errors: string[] = [];
    let scheduled = false;
    // Notifications of one publish response arrive in one synchronous burst: one clock read serves them all.
    let burstMs = 0;
    const flush = (): void => {
      scheduled = false;
      if (!open) return;
      const samples = pending;
      const problems = errors;
      pending = [];
      errors = [];
      if (samples.length) sink.samples(samples);
      // One message per burst: a server sending 10k bad values must not flood the log.
      if (problems.length) sink.error(problems.length <= MAX_ERRORS_SHOWN ? problems.join('; ') : `${problems.slice(0, MAX_ERRORS_SHOWN).join('; ')} (and ${problems.length - MAX_ERRORS_SHOWN} more)`);
    };
    const push = (index: number, dv: DataValue): void => {
      const address = addresses[index];
      if (!address || !open) return;
      if (!scheduled) {
        scheduled = true;
        burstMs = Date.now();
        setImmediate(flush);
      }
      const sample = toPushedSample(index, address, dv, burstMs);
      pending.push(sample);
      if (sample.error) errors.push(sample.error);
    };

    for (let start = 0; start < addresses.length; start += ITEMS_PER_CALL) {
      const chunk = addresses.slice(start, start + ITEMS_PER_CALL);
      const group: ClientMonitoredItemGroup = await subscription.monitorItems(
        chunk.map((a) => ({ nodeId: a.nodeId, attributeId: AttributeIds.Value, ...(a.index !== undefined ? { indexRange: new NumericRange(a.index) } : {}) })),
        { samplingInterval: plan.samplingIntervalMs, queueSize: plan.queueSize, discardOldest: true },
        TimestampsToReturn.Both,
      );
      group.on('changed', (_item: unknown, dv: DataValue, i: number) => push(start + i, dv));
      // An item the server refused (unknown node, wrong index) gets one bad sample saying why.
      group.monitoredItems.forEach((item, i) => {
        const code = item.statusCode.value;
        if (qualityOfStatus(code) !== Quality.bad) return;
        const a = chunk[i] as OpcUaAddress;
        const error = `${formatOpcUaAddress(a)}: ${describeStatus(code)}`;
        pending.push({ index: start + i, ts: Date.now(), value: NaN, quality: Quality.bad, error });
        errors.push(error);
      });
    }
    if (!scheduled && (pending.length || errors.length)) setImmediate(flush);
    return {
      close: async () => {
        open = false;
        if (!this.closing && !this.dropped) await subscription.terminate().catch(() => undefined);
      },
    };
  }

  async browse(parent: string | null, opts: { timeoutMs: number }): Promise<BrowseItem[]> {
    if (!this.session) throw new Error('not connected');
    return withTimeout(browseLevel(this.session, parent), opts.timeoutMs, `browse ${parent ?? 'Objects'}: no answer within ${opts.timeoutMs} ms`);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const { client, session } = this;
    if (session && !this.dropped) await withTimeout(session.close(true), 2000, 'close session').catch(() => undefined);
    if (client) await withTimeout(client.disconnect(), 2000, 'disconnect').catch(() => undefined);
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListener = listener;
  }
}
