/**
 * Live path benchmarks, PLC register → browser-mode subscriber, against a baseline in the
 * same run: a bare modbus-serial client polling the same register at the same period
 * (the floor any poller has). Also the collector's cycle jitter at a 10 ms timebase,
 * against a bare setInterval(10 ms) measured the same way.
 */
import WebSocket from 'ws';
import { ModbusRTU } from '../native/modbus-serial';
import { Engine } from '../app/engine/engine';
import { serve } from '../app/server/serve';
import { startDemoLine } from '../app/sim/demo-line';
import { CONFIG_VERSION, type LiveSamples, type ServerMessage, type WorkspaceConfig } from '../app/shared/contract';
import { decodeFrame } from '../app/shared/wire';
import { RollingStats, nowMs } from '../app/collector/stats';
import { tempDir } from '../app/testing/helpers';

type Emit = (row: Record<string, unknown>) => void;

const MARKER_REGISTER = 200;
const RUN_MS = Number(process.env.PARX_BENCH_MS ?? 10_000);
const MARK_EVERY_MS = 47; // not a multiple of the timebase, so markers land everywhere in the cycle

function config(port: number, signals: number, timebaseMs: number): WorkspaceConfig {
  return {
    version: CONFIG_VERSION,
    connections: [{ name: 'PLC', protocol: 'modbus', host: '127.0.0.1', port, unitId: 1, timeoutMs: 1000, enabled: true }],
    signals: Array.from({ length: signals }, (_, i) => ({
      name: `S${i}`,
      unit: '',
      description: '',
      connection: 'PLC',
      address: `hr:${MARKER_REGISTER + i}:uint16`,
      scale: 1,
      offset: 0,
      timebaseMs,
    })),
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Writes a rising sequence number into the marker register and remembers when. */
function marker(image: { hr: Uint16Array }) {
  const written = new Map<number, number>();
  let seq = 0;
  const timer = setInterval(() => {
    seq = (seq % 60000) + 1;
    image.hr[MARKER_REGISTER] = seq;
    written.set(seq, nowMs());
  }, MARK_EVERY_MS);
  return { written, stop: () => clearInterval(timer) };
}

async function parxLatency(signals: number, timebaseMs: number, emit: Emit): Promise<void> {
  const line = await startDemoLine({ seed: 1 });
  line.freeze();
  const engine = await Engine.start({ workspace: await tempDir('parx-bench-'), mode: 'node', buffer: false });
  const admin = engine.connect({ emit: () => undefined, busy: () => false });
  await admin.call('config.save', { config: config(line.modbus.port, signals, timebaseMs) });
  const server = await serve(engine, { port: 0, rendererDir: await tempDir() });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  await new Promise((r) => ws.once('open', r));

  const latency = new RollingStats(100_000);
  let samples = 0;
  let dropped = 0;
  let seen = 0;
  const m = marker(line.image);
  ws.on('message', (data: Buffer) => {
    const msg = decodeFrame(new Uint8Array(data)) as ServerMessage;
    if (msg.type !== 'event' || msg.event !== 'live.samples') return;
    const at = nowMs();
    const b = msg.payload as LiveSamples;
    samples += b.ts.length;
    dropped += b.dropped;
    for (let i = 0; i < b.ts.length; i++) {
      if (b.signal[i] !== 0) continue;
      const v = b.value[i] as number;
      if (v !== seen && m.written.has(v)) {
        latency.add(at - (m.written.get(v) as number));
        seen = v;
      }
    }
  });
  ws.send(JSON.stringify({ id: 1, method: 'live.subscribe', params: { signals: Array.from({ length: signals }, (_, i) => `S${i}`), maxRate: 30 } }));
  await new Promise((r) => setTimeout(r, 1000)); // connect and settle
  latency.clear();
  samples = 0;
  dropped = 0;
  const t0 = nowMs();
  await new Promise((r) => setTimeout(r, RUN_MS));
  const elapsed = (nowMs() - t0) / 1000;
  m.stop();
  const groups = engine.groupStats();
  emit({
    case: 'live-latency',
    path: 'register → Modbus TCP → collector worker → live bus (30 Hz) → WebSocket → subscriber',
    samplesPerSec: Math.round(samples / elapsed),
    targetSamplesPerSec: Math.round((signals * 1000) / timebaseMs),
    markers: latency.size,
    p50Ms: round(latency.percentile(50)),
    p99Ms: round(latency.percentile(99)),
    maxMs: round(latency.percentile(100)),
    dropped,
    overruns: groups.reduce((n, g) => n + g.overruns, 0),
  });
  ws.close();
  await server.close();
  admin.dispose();
  await engine.stop();
  await line.stop();
}

/** The floor: a bare modbus-serial client polling the marker register at the same period. */
async function rawPollLatency(timebaseMs: number, signals: number, emit: Emit): Promise<void> {
  const line = await startDemoLine({ seed: 1 });
  line.freeze();
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port: line.modbus.port });
  client.setID(1);
  const latency = new RollingStats(100_000);
  let seen = 0;
  let reads = 0;
  const m = marker(line.image);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void client.readHoldingRegisters(MARKER_REGISTER, signals).then((r) => {
      busy = false;
      reads++;
      const v = r.data[0] as number;
      if (v !== seen && m.written.has(v)) {
        latency.add(nowMs() - (m.written.get(v) as number));
        seen = v;
      }
    });
  }, timebaseMs);
  await new Promise((r) => setTimeout(r, Math.min(RUN_MS, 5000)));
  clearInterval(timer);
  m.stop();
  emit({
    case: 'baseline-raw-poll-latency',
    path: `register → bare modbus-serial poll every ${timebaseMs} ms (${signals} registers)`,
    readsPerSec: Math.round(reads / (Math.min(RUN_MS, 5000) / 1000)),
    markers: latency.size,
    p50Ms: round(latency.percentile(50)),
    p99Ms: round(latency.percentile(99)),
    maxMs: round(latency.percentile(100)),
  });
  client.close(() => undefined);
  await line.stop();
}

async function collectorJitter(emit: Emit): Promise<void> {
  const line = await startDemoLine({ seed: 1 });
  const engine = await Engine.start({ workspace: await tempDir('parx-bench-'), mode: 'node', buffer: false });
  const admin = engine.connect({ emit: () => undefined, busy: () => false });
  await admin.call('config.save', { config: config(line.modbus.port, 100, 10) });
  await new Promise((r) => setTimeout(r, RUN_MS + 1500));
  const g = engine.groupStats()[0];
  emit({ case: 'collector-jitter', timebaseMs: 10, cycles: g?.cycles, overruns: g?.overruns, p50Ms: round(g?.jitterP50Ms ?? NaN), p99Ms: round(g?.jitterP99Ms ?? NaN), maxMs: round(g?.jitterMaxMs ?? NaN) });
  admin.dispose();
  await engine.stop();
  await line.stop();

  // Baseline: a bare setInterval(10) on this thread. It drifts off the grid (so lateness grows without
  // bound); its cycle-to-cycle irregularity is the fair comparison, and the drift is reported beside it.
  const interval = new RollingStats(4096);
  const start = nowMs();
  let last = start;
  let k = 0;
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      const now = nowMs();
      k++;
      interval.add(Math.abs(now - last - 10));
      last = now;
      if (k >= RUN_MS / 10) {
        clearInterval(t);
        resolve();
      }
    }, 10);
  });
  const driftMs = last - (start + k * 10);
  emit({
    case: 'baseline-setInterval-jitter',
    timebaseMs: 10,
    cycles: k,
    intervalDeviationP50Ms: round(interval.percentile(50)),
    intervalDeviationP99Ms: round(interval.percentile(99)),
    driftMsPerMinute: round((driftMs / (last - start)) * 60_000),
  });
}

export default async function run(emit: Emit): Promise<void> {
  await rawPollLatency(10, 10, emit);
  await parxLatency(10, 10, emit); // 1k samples/s
  await parxLatency(100, 10, emit); // 10k samples/s
  await collectorJitter(emit);
}
