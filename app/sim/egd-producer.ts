/**
 * The demo line as a GE PLC would produce it over EGD: exchange 1 carries the line's
 * signals (layout: EGD_DEMO_LAYOUT, documented in resources/demo-line/egd-map.md), sent to
 * one consumer every periodMs. Extra exchanges 2..N carry the same layout, for load tests.
 */
import dgram from 'node:dgram';
import { parseEgdAddress, type EgdAddress } from '../drivers/egd/address';
import { encodeProduction, timestampFromMs } from '../drivers/egd/frame';
import { dataView, writeSignal } from '../drivers/egd/values';
import type { LinePhase, LineState } from './line-model';

export interface EgdDemoPoint {
  /** Named after the demo signal it carries (app/sim/demo-signals.ts); the INT/UINT/LREAL copies say so. */
  readonly signal: string;
  readonly address: string;
  readonly unit: string;
  /** Engineering value = raw × scale (an INT carrying tenths, say). */
  readonly scale: number;
  readonly raw: (s: LineState) => number;
}

const PHASES: readonly LinePhase[] = ['thread', 'accelerate', 'run', 'decelerate', 'tailout'];

export const EGD_DEMO_LAYOUT: readonly EgdDemoPoint[] = [
  { signal: 'Line Speed', address: 'real:0', unit: 'm/min', scale: 1, raw: (s) => s.lineSpeed },
  { signal: 'Entry Tension', address: 'real:4', unit: 'kN', scale: 1, raw: (s) => s.entryTension },
  { signal: 'Exit Tension', address: 'real:8', unit: 'kN', scale: 1, raw: (s) => s.exitTension },
  { signal: 'Thickness Deviation', address: 'real:12', unit: 'µm', scale: 1, raw: (s) => s.thicknessDeviation },
  { signal: 'Strip Width', address: 'real:16', unit: 'mm', scale: 1, raw: (s) => s.stripWidth },
  { signal: 'Furnace Zone 1 Temp', address: 'real:20', unit: '°C', scale: 1, raw: (s) => s.furnaceZone1Temp },
  { signal: 'Furnace Zone 2 Temp', address: 'real:24', unit: '°C', scale: 1, raw: (s) => s.furnaceZone2Temp },
  { signal: 'Main Drive Current', address: 'real:28', unit: 'A', scale: 1, raw: (s) => s.mainDriveCurrent },
  { signal: 'Coil Length', address: 'real:32', unit: 'm', scale: 1, raw: (s) => s.coilLength },
  { signal: 'Coil ID', address: 'dint:36', unit: '', scale: 1, raw: (s) => s.coilId },
  { signal: 'Weld Seam', address: 'bit:40.0', unit: '', scale: 1, raw: (s) => (s.weldSeam ? 1 : 0) },
  { signal: 'Tension High', address: 'bit:40.1', unit: '', scale: 1, raw: (s) => (s.tensionHighAlarm ? 1 : 0) },
  { signal: 'Thickness Deviation (INT)', address: 'int:42', unit: '0.1 µm', scale: 0.1, raw: (s) => Math.round(s.thicknessDeviation * 10) },
  { signal: 'Strip Width (UINT)', address: 'uint:44', unit: 'mm', scale: 1, raw: (s) => Math.round(s.stripWidth) },
  { signal: 'Line Phase', address: 'uint:46', unit: '', scale: 1, raw: (s) => PHASES.indexOf(s.phase) },
  { signal: 'Coil Length (LREAL)', address: 'lreal:48', unit: 'm', scale: 1, raw: (s) => s.coilLength },
];

export const EGD_DEMO_DATA_BYTES = 56;
export const EGD_DEMO_PRODUCER = '10.0.0.5';
export const EGD_DEMO_SIGNATURE = 1;

const ADDRESSES: readonly EgdAddress[] = EGD_DEMO_LAYOUT.map((p) => {
  const a = parseEgdAddress(p.address);
  if (!a.ok) throw new Error(`EGD demo layout: ${a.error.message}`);
  return a.value;
});

/** The data of one exchange for one line state. */
export function demoExchangeData(s: LineState): Uint8Array {
  const data = new Uint8Array(EGD_DEMO_DATA_BYTES);
  const view = dataView(data);
  EGD_DEMO_LAYOUT.forEach((p, i) => writeSignal(data, view, ADDRESSES[i] as EgdAddress, p.raw(s)));
  return data;
}

export interface EgdProducerOptions {
  /** host:port of the consumer. */
  target: string;
  producer?: string;
  exchanges?: number;
  periodMs?: number;
  signature?: number;
  /** Production status word; 1 = "no error". */
  status?: number;
}

export interface EgdProducer {
  stop(): Promise<void>;
  sent(): number;
}

function parseTarget(target: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(target.trim());
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw new Error(`EGD target "${target}" is not HOST:PORT`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

export async function produceEgd(line: () => LineState, opts: EgdProducerOptions): Promise<EgdProducer> {
  const { host, port } = parseTarget(opts.target);
  const producer = opts.producer ?? EGD_DEMO_PRODUCER;
  const exchanges = Math.max(1, Math.floor(opts.exchanges ?? 1));
  const periodMs = Math.max(1, opts.periodMs ?? 100);
  const signature = opts.signature ?? EGD_DEMO_SIGNATURE;
  const status = opts.status ?? 1;
  // Refuse bad options here, as a rejected promise, rather than inside the timer.
  const check = encodeProduction({ producer, exchange: exchanges, requestId: 0, timestamp: timestampFromMs(Date.now()), status, signature, data: new Uint8Array(0) });
  if (!check.ok) throw new Error(`EGD producer: ${check.error.message}`);
  const socket = dgram.createSocket('udp4');
  // Sending to a port nobody listens on yields ICMP "port unreachable" as an error event; a
  // producer, like a PLC, keeps producing regardless.
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  const requestIds = new Uint16Array(exchanges);
  let sent = 0;

  const produce = (): void => {
    const state = line();
    const data = demoExchangeData(state);
    const timestamp = timestampFromMs(Date.now());
    for (let i = 0; i < exchanges; i++) {
      const requestId = (requestIds[i] = ((requestIds[i] as number) + 1) & 0xffff);
      const packet = encodeProduction({ producer, exchange: i + 1, requestId, timestamp, status, signature, data });
      if (!packet.ok) continue; // cannot happen: the options were checked above
      socket.send(packet.value, port, host, (e) => {
        if (!e) sent++;
      });
    }
  };
  // On a fixed grid rather than setInterval, which drifts by the work done each tick: a
  // 10 ms period must mean 100 packets per second per exchange, as on a PLC.
  const startedAt = performance.now();
  let ticks = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    produce();
    ticks = Math.max(ticks + 1, Math.floor((performance.now() - startedAt) / periodMs)); // after a stall, skip rather than burst
    timer = setTimeout(tick, Math.max(0, startedAt + ticks * periodMs - performance.now()));
  };
  tick();

  let stopped: Promise<void> | undefined;
  return {
    sent: () => sent,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        clearTimeout(timer);
        socket.close(() => resolve());
      })),
  };
}
