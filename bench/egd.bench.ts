/**
 * EGD consumer load: 100 exchanges at 100 Hz (10,000 packets/s) from the simulator in a
 * child process (so its CPU is not counted) into one ParX process: 100 EGD sessions sharing
 * one UDP port, 16 signals each. Baseline, same run, same producer: a bare dgram socket
 * that only counts the packets — the floor of receiving them in Node at all.
 * CPU is process.cpuUsage() over wall time, as % of one core.
 */
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { egdDriver, type EgdSession } from '../app/drivers/egd/egd-driver';
import { parseEgdAddress, type EgdAddress } from '../app/drivers/egd/address';
import { EGD_DEMO_LAYOUT, produceEgd } from '../app/sim/egd-producer';
import { StripLine } from '../app/sim/line-model';

type Emit = (row: Record<string, unknown>) => void;

const EXCHANGES = 100;
const PERIOD_MS = 10;
const RUN_MS = Number(process.env.PARX_BENCH_MS ?? 5000);
const WARMUP_MS = 500;
const CHILD_FLAG = 'PARX_EGD_BENCH_PRODUCER';

/** In the child: produce to the target until told to stop, then report how many packets went out. */
async function producerChild(): Promise<void> {
  const line = new StripLine({ seed: 1 });
  const p = await produceEgd(() => line.step(Date.now()), { target: process.env[CHILD_FLAG] as string, exchanges: EXCHANGES, periodMs: PERIOD_MS });
  process.send?.({ ready: true });
  process.on('message', (m) => {
    if (m !== 'stop') return;
    void p.stop().then(() => process.send?.({ sent: p.sent() }, () => process.exit(0)));
  });
}

if (process.env[CHILD_FLAG]) void producerChild();

interface Producer {
  stop(): Promise<number>;
}

async function startProducer(port: number): Promise<Producer> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, [CHILD_FLAG]: `127.0.0.1:${port}` }, stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`EGD producer child exited with ${code}`)));
  });
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve((m as { sent: number }).sent));
        child.send('stop');
      }),
  };
}

/** Counts during a window after warm-up; CPU of this process over the same window. */
async function measure(count: () => number): Promise<{ perSec: number; cpuPercent: number; cpuMicrosPerPacket: number; counted: number }> {
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const c0 = count();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, RUN_MS));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const counted = count() - c0;
  const cpuMicros = cpu.user + cpu.system;
  return {
    perSec: Math.round((counted * 1000) / wallMs),
    cpuPercent: Math.round((cpuMicros / 1000 / wallMs) * 1000) / 10,
    // Per packet too: on a shared machine the producer does not always reach the full rate.
    cpuMicrosPerPacket: Math.round((cpuMicros / Math.max(1, counted)) * 10) / 10,
    counted,
  };
}

async function baseline(emit: Emit): Promise<void> {
  const socket = dgram.createSocket('udp4');
  let packets = 0;
  socket.on('message', () => packets++);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  socket.setRecvBufferSize(4 * 1024 * 1024);
  const producer = await startProducer(socket.address().port);
  const m = await measure(() => packets);
  const sent = await producer.stop();
  await new Promise<void>((r) => socket.close(() => r()));
  emit({ case: 'baseline-bare-dgram', path: `${EXCHANGES} exchanges × ${1000 / PERIOD_MS} Hz → bare dgram socket, count only`, packetsPerSec: m.perSec, cpuPercentOfOneCore: m.cpuPercent, cpuMicrosPerPacket: m.cpuMicrosPerPacket, producerSent: sent, received: packets, lost: sent - packets });
}

async function parx(emit: Emit): Promise<void> {
  const addresses: EgdAddress[] = EGD_DEMO_LAYOUT.map((p) => {
    const a = parseEgdAddress(p.address);
    if (!a.ok) throw new Error(a.error.message);
    return a.value;
  });
  let packets = 0;
  let samples = 0;
  let errors = 0;
  const sessions: EgdSession[] = [];
  let port = 0;
  for (let x = 1; x <= EXCHANGES; x++) {
    const s = egdDriver.open({ name: `X${x}`, protocol: 'egd', bindHost: '127.0.0.1', port, producer: '10.0.0.5', exchange: x, staleAfterMs: 10_000, enabled: true }) as EgdSession;
    await s.connect();
    port = s.boundPort() as number;
    sessions.push(s);
    await s.subscribe(addresses, PERIOD_MS, {
      samples: (list) => {
        packets++;
        samples += list.length;
      },
      error: () => errors++,
    });
  }
  const producer = await startProducer(port);
  const m = await measure(() => packets);
  const sent = await producer.stop();
  for (const s of sessions) await s.close();
  emit({
    case: 'egd-consumer',
    path: `${EXCHANGES} exchanges × ${1000 / PERIOD_MS} Hz → shared UDP listener → ${EXCHANGES} EGD sessions, ${addresses.length} signals each → PushedSample[]`,
    packetsPerSec: m.perSec,
    samplesPerSec: m.perSec * addresses.length,
    samplesDelivered: samples,
    cpuPercentOfOneCore: m.cpuPercent,
    cpuMicrosPerPacket: m.cpuMicrosPerPacket,
    targetPacketsPerSec: (EXCHANGES * 1000) / PERIOD_MS,
    producerSent: sent,
    received: packets,
    lost: sent - packets,
    errors,
    aimCpuPercent: 20,
  });
}

export default async function run(emit: Emit): Promise<void> {
  await baseline(emit);
  await parx(emit);
}
