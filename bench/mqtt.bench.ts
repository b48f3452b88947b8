/**
 * MQTT throughput: how many QoS 0 messages per second one connection turns into
 * PushedSamples, from a publisher in its own process through a real mosquitto. Baseline in
 * the same run: a bare mqtt.js client with the same subscription doing the least work a
 * consumer can (decode the number / parse the JSON and take the field). Runs alternate
 * baseline and ParX and keep the best of each, so a noisy neighbour hurts both alike.
 */
import { spawn } from 'node:child_process';
import { connectAsync } from 'mqtt';
import { mqttDriver } from '../app/drivers/mqtt/mqtt-driver';
import { startMosquitto } from '../app/testing/mosquitto';

type Emit = (row: Record<string, unknown>) => void;

const MESSAGES = Number(process.env.PARX_BENCH_MQTT_MESSAGES ?? 150_000);
const ROUNDS = 3;
const TOPIC = 'bench/line/speed';

interface Case {
  readonly name: string;
  readonly address: string;
  readonly payload: string;
  /** What the bare client does per message. */
  readonly consume: (payload: Buffer) => number;
}

const CASES: readonly Case[] = [
  { name: 'plain-number', address: TOPIC, payload: '612.5', consume: (p) => Number(p.toString()) },
  {
    name: 'json-path',
    address: `${TOPIC}@$.line.speed`,
    payload: JSON.stringify({ ts: 1_700_000_000_000, line: { speed: 612.5, entryTension: 41.2 }, coil: { id: 250001, length: 120.5 } }),
    consume: (p) => (JSON.parse(p.toString()) as { line: { speed: number } }).line.speed,
  },
];

/**
 * A publisher in its own process that writes pre-encoded MQTT 3.1.1 packets straight to the
 * socket: a client library on the sending side would cap the rate long before the receiver
 * does, and then both columns would only measure the publisher.
 */
function publish(url: string, payload: string, count: number): Promise<void> {
  const { port } = new URL(url);
  const script = `
    import net from 'node:net';
    const str = (s) => { const b = Buffer.from(s); return Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]); };
    const varint = (n) => { const out = []; do { let d = n % 128; n = Math.floor(n / 128); if (n > 0) d |= 128; out.push(d); } while (n > 0); return Buffer.from(out); };
    const packet = (type, body) => Buffer.concat([Buffer.from([type]), varint(body.length), body]);
    const connect = packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 2, 0, 60]), str('parx-bench-pub-' + process.pid)]));
    const one = packet(0x30, Buffer.concat([str(${JSON.stringify(TOPIC)}), Buffer.from(${JSON.stringify(payload)})]));
    const socket = net.connect(${Number(port)}, '127.0.0.1', () => socket.write(connect));
    socket.once('data', async () => {
      const chunk = Buffer.concat(Array.from({ length: 1000 }, () => one));
      for (let i = 0; i < ${count}; i += 1000) {
        if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
      }
      socket.end(Buffer.from([0xe0, 0]));
    });
    socket.on('error', (e) => { console.error(e.message); process.exit(1); });
  `;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`publisher exited with ${code}`))));
  });
}

interface Measured {
  readonly received: number;
  readonly perSecond: number;
}

/** Runs the publisher, counts what `received()` reports from the first message until all arrived or the flow stopped. */
async function measure(url: string, payload: string, received: () => number): Promise<Measured> {
  const start = received();
  let firstAt = 0;
  let lastAt = 0;
  let lastCount = start;
  const done = publish(url, payload, MESSAGES);
  let publisherDone = false;
  void done.then(() => (publisherDone = true));
  for (;;) {
    await new Promise((r) => setTimeout(r, 5));
    const n = received();
    const now = performance.now();
    if (n > lastCount) {
      if (firstAt === 0) firstAt = now;
      lastAt = now;
      lastCount = n;
    }
    if (n - start >= MESSAGES) break;
    if (publisherDone && firstAt !== 0 && now - lastAt > 500) break;
  }
  await done;
  const got = lastCount - start;
  return { received: got, perSecond: Math.round(got / ((lastAt - firstAt) / 1000)) };
}

async function baseline(url: string, c: Case): Promise<Measured> {
  const client = await connectAsync(url, { reconnectPeriod: 0 });
  let count = 0;
  let sink = 0;
  client.on('message', (_t, p) => {
    sink += c.consume(p);
    count++;
  });
  await client.subscribeAsync(TOPIC, { qos: 0 });
  const m = await measure(url, c.payload, () => count);
  await client.endAsync();
  if (Number.isNaN(sink)) throw new Error('baseline decoded garbage');
  return m;
}

async function parx(url: string, c: Case): Promise<Measured> {
  const config = mqttDriver.connectionFromUrl(url);
  const address = mqttDriver.parseAddress(c.address);
  if (!config.ok || !address.ok) throw new Error('bench setup');
  const session = mqttDriver.open(config.value);
  session.onDrop(() => undefined);
  await session.connect();
  let count = 0;
  let bad = 0;
  const sub = await session.subscribe?.([address.value], 100, {
    samples: (s) => {
      count += s.length;
      for (const x of s) if (x.quality !== 0) bad++;
    },
    error: () => bad++,
  });
  const m = await measure(url, c.payload, () => count);
  await sub?.close();
  await session.close();
  if (bad > 0) throw new Error(`${bad} bad samples in the ParX run`);
  return m;
}

export default async function run(emit: Emit): Promise<void> {
  const broker = await startMosquitto();
  try {
    for (const c of CASES) {
      let raw: Measured = { received: 0, perSecond: 0 };
      let ours: Measured = { received: 0, perSecond: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const r = await baseline(broker.url, c);
        if (r.perSecond > raw.perSecond) raw = r;
        const p = await parx(broker.url, c);
        if (p.perSecond > ours.perSecond) ours = p;
      }
      emit({
        case: `mqtt-${c.name}-qos0`,
        messages: MESSAGES,
        parxMsgPerS: ours.perSecond,
        parxReceived: ours.received,
        baselineMsgPerS: raw.perSecond,
        baselineReceived: raw.received,
        baseline: 'bare mqtt.js client, same subscription, minimal decode',
        overheadPct: Math.round((raw.perSecond / ours.perSecond - 1) * 1000) / 10,
      });
    }
  } finally {
    await broker.stop();
  }
}
