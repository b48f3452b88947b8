/**
 * Modbus TCP over modbus-serial. Packing (packing.ts) turns the signals of a polling group
 * into as few requests as the protocol allows; the codec (codec.ts) turns words into values.
 * An exception response spoils only the signals of that request; a socket error or a
 * timeout means the link is broken and the collector reconnects.
 */
import { ModbusRTU } from '../../../native/modbus-serial';
import { ModbusConnectionSchema, describeProblems, zodProblems, type ModbusConnectionConfig } from '../../shared/contract';
import { err, ok, parxError, type Result } from '../../shared/result';
import { withTimeout } from '../../shared/with-timeout';
import { Quality } from '../../shared/samples';
import type { DriverSession, PreparedRead, ProtocolDriver, ReadResult } from '../driver';
import { parseModbusAddress, type ModbusAddress } from './address';
import { decodeRegisters } from './codec';
import { packRequests, type ModbusRequest } from './packing';

export interface ModbusPrepared extends PreparedRead {
  readonly addresses: readonly ModbusAddress[];
  readonly plan: readonly ModbusRequest[];
}

/** Exception codes as the spec names them, so an error tells the engineer what the PLC meant. */
const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  10: 'gateway path unavailable',
  11: 'gateway target failed to respond',
};

function isException(e: unknown): e is { modbusCode: number } {
  return typeof e === 'object' && e !== null && typeof (e as { modbusCode?: unknown }).modbusCode === 'number';
}

/** modbus-serial rejects with plain objects (e.g. TransactionTimedOutError {message: 'Timed out'}), not Errors. */
function linkError(e: unknown, timeoutMs: number): Error {
  if (e instanceof Error) return e;
  const message = typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : String(e);
  if (message === 'Timed out') return new Error(`the device did not answer within ${timeoutMs} ms`);
  if (message === 'Port Not Open') return new Error('the port closed under a request (device or adapter gone)');
  return new Error(message);
}

export function describeRequest(r: ModbusRequest): string {
  return `${r.area} ${r.start}..${r.start + r.count - 1}`;
}

/** How a session reaches its device: a TCP socket here, a serial port for Modbus RTU (app/drivers/modbus-rtu). */
export interface ModbusLink {
  readonly unitId: number;
  readonly timeoutMs: number;
  /**
   * A serial line carries one request at a time: the groups of every timebase take turns.
   * (modbus-serial matches an RTU reply to the last request written, so overlapping ones cross.)
   */
  readonly oneRequestAtATime?: boolean;
  /** A client on this link's port, not yet open. */
  createClient(): ModbusClient;
  /** Opens the link on the client; rejects with a message naming the device when it cannot. */
  open(client: ModbusClient): Promise<void>;
}

export type ModbusClient = InstanceType<typeof ModbusRTU>;

function tcpLink(config: ModbusConnectionConfig): ModbusLink {
  const { host, port, timeoutMs, unitId } = config;
  return {
    unitId,
    timeoutMs,
    createClient: () => new ModbusRTU(),
    open: (client) => withTimeout(client.connectTCP(host, { port }), timeoutMs, `no answer from ${host}:${port} within ${timeoutMs} ms`),
  };
}

/** One Modbus device over any link: packing, decoding and exception handling are the same for TCP and RTU. */
export class ModbusSession implements DriverSession<ModbusAddress, ModbusPrepared> {
  private readonly client: ModbusClient;
  private dropListener: ((reason: string) => void) | undefined;
  private closing = false;
  /** The request on the line, when the link allows only one. */
  private line: Promise<unknown> = Promise.resolve();

  constructor(private readonly link: ModbusLink) {
    this.client = link.createClient();
    this.client.on('close', () => {
      if (!this.closing) this.dropListener?.('the device closed the connection');
    });
    // Without a listener an 'error' event would crash the worker.
    this.client.on('error', (e: unknown) => {
      if (!this.closing) this.dropListener?.(linkError(e, link.timeoutMs).message);
    });
  }

  async connect(): Promise<void> {
    this.client.setTimeout(this.link.timeoutMs);
    await this.link.open(this.client).catch((e: unknown) => {
      throw linkError(e, this.link.timeoutMs);
    });
    this.client.setID(this.link.unitId);
  }

  prepare(addresses: readonly ModbusAddress[]): ModbusPrepared {
    const plan = packRequests(addresses);
    return { addresses, plan, requests: plan.length, describe: plan.map(describeRequest) };
  }

  async read(p: ModbusPrepared): Promise<ReadResult> {
    const values = new Float64Array(p.addresses.length).fill(NaN);
    const quality = new Uint8Array(p.addresses.length).fill(Quality.bad);
    const errors: string[] = [];
    for (const request of p.plan) {
      let words: ArrayLike<number>;
      try {
        words = await this.takeTurn(() => this.readRequest(request));
      } catch (e) {
        if (!isException(e)) throw linkError(e, this.link.timeoutMs);
        errors.push(`${describeRequest(request)}: exception ${e.modbusCode} ${EXCEPTIONS[e.modbusCode] ?? 'unknown'}`);
        continue;
      }
      for (const i of request.items) {
        const a = p.addresses[i] as ModbusAddress;
        const v = decodeRegisters(words, a, a.offset - request.start);
        values[i] = typeof v === 'number' ? v : NaN;
        quality[i] = typeof v === 'number' ? Quality.good : Quality.bad;
      }
    }
    return { values, quality, errors, requests: p.plan.length };
  }

  private takeTurn<T>(request: () => Promise<T>): Promise<T> {
    if (!this.link.oneRequestAtATime) return request();
    const turn = this.line.then(request, request);
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private async readRequest(r: ModbusRequest): Promise<ArrayLike<number>> {
    switch (r.area) {
      case 'hr':
        return (await this.client.readHoldingRegisters(r.start, r.count)).data;
      case 'ir':
        return (await this.client.readInputRegisters(r.start, r.count)).data;
      case 'co':
        return (await this.client.readCoils(r.start, r.count)).data.map(Number);
      case 'di':
        return (await this.client.readDiscreteInputs(r.start, r.count)).data.map(Number);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.client.isOpen) return;
    await new Promise<void>((resolve) => this.client.close(() => resolve()));
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListener = listener;
  }
}

/** modbus://host:port?unit=1&timeout=1000 */
function connectionFromUrl(text: string, name = 'probe'): Result<ModbusConnectionConfig> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(parxError('invalid-request', `"${text}" is not a URL (expected modbus://HOST:PORT?unit=1)`));
  }
  if (url.protocol !== 'modbus:' && url.protocol !== 'modbus+tcp:') return err(parxError('invalid-request', `"${text}" is not a modbus:// URL`));
  const parsed = ModbusConnectionSchema.safeParse({
    name,
    protocol: 'modbus',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 502,
    unitId: url.searchParams.has('unit') ? Number(url.searchParams.get('unit')) : 1,
    timeoutMs: url.searchParams.has('timeout') ? Number(url.searchParams.get('timeout')) : 1000,
  });
  if (!parsed.success) return err(parxError('invalid-request', `${text}: ${describeProblems(zodProblems(parsed.error))}`));
  return ok(parsed.data);
}

export const modbusDriver: ProtocolDriver<ModbusConnectionConfig, ModbusAddress> = {
  protocol: 'modbus',
  mode: 'poll',
  connectionFromUrl,
  parseAddress: parseModbusAddress,
  endpoint: (c) => `modbus://${c.host}:${c.port}?unit=${c.unitId}`,
  costRequests: (addresses) => {
    const plan = packRequests(addresses);
    // MBAP header 7 + PDU: request 5 bytes; reply 2 + data (2 per register, 1 per 8 bits); plus TCP/IP headers 40 each way.
    const bytes = plan.reduce((n, r) => n + 7 + 5 + 7 + 2 + (r.area === 'hr' || r.area === 'ir' ? 2 * r.count : Math.ceil(r.count / 8)) + 80, 0);
    return { requests: plan.map(describeRequest), bytes };
  },
  open: (c) => new ModbusSession(tcpLink(c)),
};
