/**
 * ethernet-ip's Controller, made safe to run inside the collector. The library (1.2.5)
 * connects to the fixed port 44818, throws from its 'close' handler after a socket error,
 * has no 'error' listener (a refused connection kills the process), assumes one TCP chunk
 * is one frame, and rejects a whole tag group when one tag is unknown. This subclass keeps
 * its encapsulation, Unconnected Send routing, Tag paths and TagGroup packing, and adds:
 * a configurable port, error and close handling that end in a rejected promise or one
 * drop reason, stream framing, a timeout per request, and per-tag replies.
 */
import net from 'node:net';
import { Controller, EthernetIP, type TagGroup } from 'ethernet-ip';
import { Service, Status, decodeMultiple, decodeReply, encodeRequest, statusText, type CipReply } from './cip';
import { Command, decodeIdentityAttributes, encodeFrame, splitFrames, type EncapFrame, type Identity } from './encap';

export class LinkError extends Error {
  override readonly name = 'LinkError';
}

/** A tag's own reply in a group read: its CIP reply, or why the whole packet failed. */
export type TagReply = { readonly reply: CipReply } | { readonly error: string };

export function withTimeout<T>(p: Promise<T>, ms: number, message: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new LinkError(message));
    }, ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

function socketMessage(e: Error & { code?: string }, where: string): string {
  if (e.code === 'ECONNREFUSED') return `connection refused by ${where} (is the controller on and port open?)`;
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return `${where} is unreachable`;
  if (e.code === 'ECONNRESET') return `the connection to ${where} was reset`;
  return `${where}: ${e.message}`;
}

export class LogixClient extends Controller {
  private stream: Buffer = Buffer.alloc(0);
  private awaiting: { resolve(message: Buffer): void; reject(e: Error): void } | undefined;
  private registration: { resolve(): void; reject(e: Error): void } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closing = false;
  private reason: string | undefined;
  private where = '';
  private dropped: ((reason: string) => void) | undefined;
  identity: Identity | undefined;

  constructor() {
    super();
    this.setNoDelay(true);
    // Without this listener a refused or reset connection would crash the process.
    this.on('error', (e: Error) => {
      this.reason ??= socketMessage(e, this.where);
    });
    this.on('SendRRData Received', (items: { TypeID: number; data: Buffer }[]) => {
      const message = items.find((i) => i.TypeID === 0xb2)?.data;
      const p = this.awaiting;
      this.awaiting = undefined;
      if (message && p) p.resolve(message);
      else if (p) p.reject(new LinkError('the controller replied without an unconnected data item'));
    });
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropped = listener;
  }

  /** TCP connect to host:port (not the library's fixed 44818), register a session, read the identity. */
  async open(host: string, port: number, slot: number, timeoutMs: number): Promise<void> {
    this.where = `${host}:${port}`;
    this.state.controller.slot = slot;
    this.state.controller.path = EthernetIP.CIP.EPATH.segments.PORT.build(1, slot);
    const tcp = new Promise<void>((resolve, reject) => {
      const failed = (e: Error) => reject(new LinkError(socketMessage(e, this.where)));
      this.once('error', failed);
      const connect = net.Socket.prototype.connect as (port: number, host: string, cb: () => void) => net.Socket;
      connect.call(this, port, host, () => {
        this.off('error', failed);
        this.state.TCP.established = true;
        resolve();
      });
    });
    await withTimeout(tcp, timeoutMs, `no TCP connection to ${this.where} within ${timeoutMs} ms`, () => this.fail('connect timed out'));
    const registered = new Promise<void>((resolve, reject) => (this.registration = { resolve, reject }));
    this.state.session.establishing = true;
    this.write(EthernetIP.encapsulation.registerSession());
    await withTimeout(registered, timeoutMs, `${this.where} did not register an EtherNet/IP session within ${timeoutMs} ms`, () => this.fail('no session'));
    const id = await this.request(encodeRequest({ service: Service.GetAttributeAll, path: [{ kind: 'class', value: 1 }, { kind: 'instance', value: 1 }], data: Buffer.alloc(0) }), timeoutMs);
    if (id.status !== Status.success) throw new LinkError(`identity of the controller in slot ${slot}: ${statusText(id.status, id.extended)}`);
    const identity = decodeIdentityAttributes(id.data);
    if (!identity.ok) throw new LinkError(identity.error.message);
    this.identity = identity.value;
  }

  /** One request–reply through Unconnected Send, one at a time (replies carry no request id). */
  request(message: Buffer, timeoutMs: number): Promise<CipReply> {
    const run = (): Promise<CipReply> => {
      const sent = new Promise<Buffer>((resolve, reject) => {
        if (!this.state.session.established || this.destroyed) return reject(new LinkError(this.reason ?? `not connected to ${this.where}`));
        this.awaiting = { resolve, reject };
        this.write_cip(message);
      });
      // A late reply would be taken for the next request's: after a timeout the link is dropped.
      return withTimeout(sent, timeoutMs, `no reply from ${this.where} within ${timeoutMs} ms`, () => this.fail(`no reply within ${timeoutMs} ms`)).then((m) => {
        const reply = decodeReply(m);
        if (!reply.ok) throw new LinkError(reply.error.message);
        return reply.value;
      });
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Reads a TagGroup: one Multiple Service Packet per ~300 bytes of requests, as the library packs them. */
  async readGroup(messages: readonly { data: Buffer; tag_ids: readonly string[] }[], timeoutMs: number): Promise<Map<string, TagReply>> {
    const out = new Map<string, TagReply>();
    for (const msg of messages) {
      const reply = await this.request(msg.data, timeoutMs);
      if (reply.status !== Status.success && reply.status !== Status.embeddedServiceError) {
        for (const id of msg.tag_ids) out.set(id, { error: statusText(reply.status, reply.extended) });
        continue;
      }
      const parts = decodeMultiple(reply.data);
      if (!parts.ok || parts.value.length !== msg.tag_ids.length) throw new LinkError(parts.ok ? `the controller answered ${parts.value.length} of ${msg.tag_ids.length} reads` : parts.error.message);
      parts.value.forEach((part, i) => {
        const r = decodeReply(part);
        out.set(msg.tag_ids[i] as string, r.ok ? { reply: r.value } : { error: r.error.message });
      });
    }
    return out;
  }

  static groupMessages(group: TagGroup): { data: Buffer; tag_ids: string[] }[] {
    return group.generateReadMessageRequests();
  }

  /** UnRegisterSession, then close; never throws, resolves once the socket is gone. */
  async shutdown(): Promise<void> {
    this.closing = true;
    if (this.destroyed) return;
    const gone = new Promise<void>((resolve) => this.once('close', () => resolve()));
    const id = this.state.session.id;
    if (this.state.session.established && id !== null && this.writable) {
      this.write(EthernetIP.encapsulation.unregisterSession(id));
      this.end();
    } else {
      this.destroy();
    }
    await withTimeout(gone, 500, 'close').catch(() => this.destroy());
  }

  private fail(reason: string): void {
    this.reason ??= reason;
    this.destroy();
  }

  /** The library's destroy() writes UnRegisterSession first, which never completes on a dead socket. */
  override destroy(error?: Error): this {
    net.Socket.prototype.destroy.call(this, error);
    return this;
  }

  /** Frames the byte stream; a frame the library cannot parse drops the link instead of throwing. */
  protected override _handleDataEvent(chunk: Buffer): void {
    const split = splitFrames(this.stream.length ? Buffer.concat([this.stream, chunk]) : chunk);
    this.stream = split.rest;
    for (const frame of split.frames) {
      try {
        this.handleFrame(frame);
      } catch (e) {
        this.fail(`malformed reply from ${this.where}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
  }

  private handleFrame(frame: EncapFrame): void {
    const { header, data } = frame;
    if (header.status !== 0) {
      // The library would log through an absent colour package and mistake any error for a failed registration.
      const why = `${this.where}: encapsulation status 0x${header.status.toString(16)} ${EthernetIP.encapsulation.parseStatus(header.status)}`;
      if (header.command === Command.RegisterSession) this.registration?.reject(new LinkError(why));
      else this.awaiting?.reject(new LinkError(why));
      this.awaiting = undefined;
      return;
    }
    if (header.command === Command.SendRRData && data.length < 6 + 2) throw new LinkError('SendRRData reply too short');
    super._handleDataEvent(encodeFrame(header.command, header.session, data, header.status, header.context));
    if (header.command === Command.RegisterSession && this.state.session.established) this.registration?.resolve();
  }

  protected override _handleCloseEvent(): void {
    this.state.session.established = false;
    this.state.TCP.established = false;
    const reason = this.reason ?? `${this.where} closed the connection`;
    this.awaiting?.reject(new LinkError(reason));
    this.awaiting = undefined;
    this.registration?.reject(new LinkError(reason));
    if (!this.closing) this.dropped?.(reason);
  }
}

