/**
 * Modbus request packing: 100 contiguous signals read as packed requests (ParX) against one
 * request per signal (the naive poller), same server, same run. Also ParX's driver against
 * the bare modbus-serial client doing the identical packed read (overhead of the driver).
 */
import { ModbusRTU } from '../native/modbus-serial';
import { modbusDriver } from '../app/drivers/modbus/modbus-driver';
import { parseModbusAddress, type ModbusAddress } from '../app/drivers/modbus/address';
import { startDemoLine } from '../app/sim/demo-line';

type Emit = (row: Record<string, unknown>) => void;
const RUN_MS = Number(process.env.PARX_BENCH_MS ?? 5000);
const SIGNALS = 100;

async function forDuration(fn: () => Promise<number>): Promise<{ cycles: number; requests: number; seconds: number }> {
  const until = performance.now() + RUN_MS;
  let cycles = 0;
  let requests = 0;
  const t0 = performance.now();
  while (performance.now() < until) {
    requests += await fn();
    cycles++;
  }
  return { cycles, requests, seconds: (performance.now() - t0) / 1000 };
}

export default async function run(emit: Emit): Promise<void> {
  const line = await startDemoLine({ seed: 1 });
  const port = line.modbus.port;
  const addresses = Array.from({ length: SIGNALS }, (_, i) => {
    const a = parseModbusAddress(`hr:${200 + i}:uint16`);
    if (!a.ok) throw new Error(a.error.message);
    return a.value;
  });

  // ParX: packed.
  const session = modbusDriver.open({ name: 'bench', protocol: 'modbus', host: '127.0.0.1', port, unitId: 1, timeoutMs: 2000, enabled: true });
  session.onDrop(() => undefined);
  await session.connect();
  const prepared = session.prepare?.(addresses);
  if (!prepared || !session.read) throw new Error('modbus driver cannot poll');
  const read = session.read.bind(session);
  const packed = await forDuration(async () => (await read(prepared)).requests);

  // Naive: one request per signal, with the same driver.
  const singles = addresses.map((a) => session.prepare?.([a as ModbusAddress]));
  const naive = await forDuration(async () => {
    let n = 0;
    for (const p of singles) if (p) n += (await read(p)).requests;
    return n;
  });
  await session.close();

  // Baseline: the bare library doing the identical packed read.
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  const raw = await forDuration(async () => {
    await client.readHoldingRegisters(200, SIGNALS);
    return 1;
  });
  client.close(() => undefined);
  await line.stop();

  const rate = (r: { cycles: number; seconds: number }): number => Math.round((r.cycles * SIGNALS) / r.seconds);
  emit({
    case: 'packing',
    signals: SIGNALS,
    requestsPerCyclePacked: packed.requests / packed.cycles,
    requestsPerCycleNaive: naive.requests / naive.cycles,
    requestReduction: round((naive.requests / naive.cycles) / (packed.requests / packed.cycles)),
    samplesPerSecPacked: rate(packed),
    samplesPerSecNaive: rate(naive),
    rateGain: round(rate(packed) / rate(naive)),
  });
  emit({
    case: 'driver-overhead',
    samplesPerSecParx: rate(packed),
    samplesPerSecRawLibrary: rate(raw),
    overheadPercent: round((1 - rate(packed) / rate(raw)) * 100),
  });
}

const round = (x: number): number => Math.round(x * 100) / 100;
