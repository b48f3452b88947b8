/**
 * Serves a register image over Modbus TCP with modbus-serial's ServerTCP. Reads answer
 * straight from the image (the simulator writes it on its own clock); writes from a
 * client land in the image too, like on a PLC.
 */
import net from 'node:net';
import { ServerTCP } from '../../native/modbus-serial';

export interface ServedImage {
  hr: Uint16Array;
  ir: Uint16Array;
  co: Uint8Array;
  di: Uint8Array;
}

export interface ModbusSimServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const slice16 = (a: Uint16Array, addr: number, length: number): number[] => Array.from(a.subarray(addr, addr + length));

export async function serveModbus(image: ServedImage, opts: { host?: string; port?: number; unitId?: number } = {}): Promise<ModbusSimServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const vector = {
    getHoldingRegister: (addr: number) => image.hr[addr] ?? 0,
    getInputRegister: (addr: number) => image.ir[addr] ?? 0,
    getMultipleHoldingRegisters: (addr: number, length: number) => slice16(image.hr, addr, length),
    getMultipleInputRegisters: (addr: number, length: number) => slice16(image.ir, addr, length),
    getCoil: (addr: number) => image.co[addr] === 1,
    getDiscreteInput: (addr: number) => image.di[addr] === 1,
    setRegister: (addr: number, value: number) => {
      image.hr[addr] = value;
    },
    setCoil: (addr: number, value: boolean) => {
      image.co[addr] = value ? 1 : 0;
    },
  };
  const server = new ServerTCP(vector, { host, port, unitID: opts.unitId ?? 1, debug: false });
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('serverError', (e: Error | null) => reject(e ?? new Error(`cannot serve Modbus on ${host}:${port}`)));
  });
  // A client that vanishes mid-request must not take the simulator down.
  server.on('socketError', () => undefined);
  server.on('error', () => undefined);
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const socks = (server as unknown as { socks: Map<net.Socket, unknown> }).socks;
        for (const s of socks.keys()) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port the OS says is free right now (tests and the demo never depend on a fixed port). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
