/**
 * Modbus RTU over a serial port: the Modbus TCP session (packing, codec, exceptions) over a
 * serial link. RTU is one master per bus and one request at a time: the polling groups of all
 * timebases take turns on the line (oneRequestAtATime). A device that stops answering shows up
 * as a timeout, not a closed socket, so a timeout breaks the link and the collector reopens
 * the port.
 */
import { serialModbusClient } from '../../../native/serial-relay';
import { serialUnavailableReason } from '../../../native/serial';
import type { ModbusRtuConnectionConfig } from '../../shared/contract';
import { withTimeout } from '../../shared/with-timeout';
import type { ProtocolDriver } from '../driver';
import { parseModbusAddress, type ModbusAddress } from '../modbus/address';
import { ModbusSession, describeRequest, type ModbusLink } from '../modbus/modbus-driver';
import { packRequests } from '../modbus/packing';
import { rtuConnectionFromUrl, rtuEndpoint } from './url';

/** Bits per character on the line: start bit + data bits + parity bit + stop bits. */
export function bitsPerCharacter(c: Pick<ModbusRtuConnectionConfig, 'dataBits' | 'parity' | 'stopBits'>): number {
  return 1 + c.dataBits + (c.parity === 'none' ? 0 : 1) + c.stopBits;
}

/**
 * The silent interval between frames (3.5 characters; fixed at 1.75 ms above 19200 baud, as
 * the spec says), paid before each request and each reply.
 */
export function interFrameMs(c: Pick<ModbusRtuConnectionConfig, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>): number {
  return c.baudRate > 19_200 ? 1.75 : (3.5 * bitsPerCharacter(c) * 1000) / c.baudRate;
}

function serialLink(c: ModbusRtuConnectionConfig): ModbusLink {
  return {
    unitId: c.unitId,
    timeoutMs: c.timeoutMs,
    oneRequestAtATime: true,
    // The port lives in a helper process: serialport cannot run in the collector's worker thread.
    createClient: () => serialModbusClient(c.path, { baudRate: c.baudRate, parity: c.parity, dataBits: c.dataBits, stopBits: c.stopBits }),
    open: async (client) => {
      const unavailable = serialUnavailableReason();
      if (unavailable) throw new Error(unavailable);
      const opened = new Promise<void>((resolve, reject) => client.open((e: unknown) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())));
      // A helper process starts in well under a second; the line's own timeout may be 50 ms.
      const limit = Math.max(c.timeoutMs, 5000);
      await withTimeout(opened, limit, `${c.path} did not open within ${limit} ms`);
    },
  };
}

export const modbusRtuDriver: ProtocolDriver<ModbusRtuConnectionConfig, ModbusAddress> = {
  protocol: 'modbus-rtu',
  mode: 'poll',
  connectionFromUrl: rtuConnectionFromUrl,
  parseAddress: parseModbusAddress,
  endpoint: rtuEndpoint,
  costRequests: (addresses, config) => {
    const plan = packRequests(addresses);
    // RTU frame: unit 1 + function 1 + PDU + CRC 2. Request PDU 4 bytes; reply 1 count byte + data.
    const bytes = plan.reduce((n, r) => n + 8 + 5 + (r.area === 'hr' || r.area === 'ir' ? 2 * r.count : Math.ceil(r.count / 8)), 0);
    // On a serial line the bytes themselves take time: at 19200 8E1 one register costs over 1 ms.
    const wireMs = config ? (bytes * bitsPerCharacter(config) * 1000) / config.baudRate + 2 * plan.length * interFrameMs(config) : undefined;
    return { requests: plan.map(describeRequest), bytes, ...(wireMs === undefined ? {} : { wireMs }) };
  },
  open: (c) => new ModbusSession(serialLink(c)),
};
