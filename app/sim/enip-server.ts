/**
 * A minimal Logix-like EtherNet/IP controller on plain TCP: sessions (RegisterSession /
 * UnRegisterSession), ListIdentity, and SendRRData carrying CIP — Unconnected Send to the
 * controller's slot, Read Tag (+ Fragmented), Write Tag, Multiple Service Packet, the
 * Identity object and the tag list. Tags come from the strip-line model (enip/tags.ts).
 * No EtherNet/IP server exists for Node; this one exists for tests, the demo and benches.
 */
import net from 'node:net';
import type { LineState } from './line-model';
import { freePort } from './modbus-server';
import { Command, EncapStatus, ItemType, decodeRRData, encodeCpf, encodeFrame, encodeListIdentityItem, encodeRRData, splitFrames, type EncapFrame } from '../drivers/enip/encap';
import { LogixTags } from './enip/tags';
import { SIM_IDENTITY, handleMessage } from './enip/services';

export interface EnipSimServer {
  readonly port: number;
  close(): Promise<void>;
  /** Open TCP connections right now. */
  connections(): number;
}

export interface EnipServeOptions {
  host?: string;
  port?: number;
  /** The controller's slot in the simulated chassis (the route every request must name). */
  slot?: number;
}

export async function serveEnip(line: () => LineState, opts: EnipServeOptions = {}): Promise<EnipSimServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port || (await freePort(host));
  const tags = new LogixTags(line);
  // The model catches up from its start here, not inside the first request (which would time out).
  tags.scan();
  const ctx = { tags, slot: opts.slot ?? 0 };
  const sockets = new Set<net.Socket>();
  let nextSession = 0x1000 + Math.floor(Math.random() * 0xffff);

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    // A client that vanishes mid-request must not take the simulator down.
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let pending: Buffer = Buffer.alloc(0);
    let session = 0;
    socket.on('data', (chunk: Buffer) => {
      const split = splitFrames(pending.length ? Buffer.concat([pending, chunk]) : chunk);
      pending = split.rest;
      for (const frame of split.frames) {
        const out = answer(frame);
        if (out === 'close') {
          socket.end();
          return;
        }
        if (out) socket.write(out);
      }
    });

    function answer({ header, data }: EncapFrame): Buffer | 'close' | null {
      const echo = (status: number, body: Buffer = Buffer.alloc(0), sess = header.session): Buffer => encodeFrame(header.command, sess, body, status, header.context);
      switch (header.command) {
        case Command.RegisterSession: {
          if (data.length !== 4) return echo(EncapStatus.invalidLength);
          if (data.readUInt16LE(0) !== 1) return echo(EncapStatus.unsupportedRevision, data, 0);
          session = nextSession++ >>> 0 || 1;
          return echo(EncapStatus.success, data, session);
        }
        case Command.UnRegisterSession:
          return 'close';
        case Command.ListIdentity:
          return echo(EncapStatus.success, encodeCpf([{ type: ItemType.Identity, data: encodeListIdentityItem(SIM_IDENTITY, { ip: host, port }) }]));
        case Command.NOP:
          return null;
        case Command.SendRRData: {
          if (session === 0 || header.session !== session) return echo(EncapStatus.invalidSession);
          const rr = decodeRRData(data);
          if (!rr.ok || rr.value.message.length < 2) return echo(EncapStatus.badData);
          tags.scan();
          const reply = handleMessage(ctx, rr.value.message);
          return echo(EncapStatus.success, encodeRRData([{ type: ItemType.Null, data: Buffer.alloc(0) }, { type: ItemType.Unconnected, data: reply }]));
        }
        default:
          return echo(EncapStatus.invalidCommand);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  return {
    port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
