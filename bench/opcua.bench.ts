/**
 * OPC UA subscription throughput: 10,000 monitored items sampled at 100 ms against local
 * node-opcua servers whose variables all change every 100 ms (100,000 changes/s on offer).
 * Measured: notifications/s received against that, the lag from source timestamp to
 * arrival (first and second half of the run: a client that falls behind shows a growing
 * lag), queue overflows, and the client process's CPU, also per notification and
 * extrapolated to the full offer. Baseline in the same run: the same subscriptions made
 * with bare node-opcua client code, no ParX.
 *
 * The servers run in child processes so their work is not charged to the client. One
 * node-opcua server process cannot offer 100,000 notifications/s (it saturates one core
 * well below that), so the items are also split across several server processes, one
 * connection each, as a plant with several PLCs would be; on a 2-core machine those
 * servers then compete with the client for CPU, which the row's cpu fields show.
 *
 * Knobs: PARX_BENCH_MS (measuring window), PARX_BENCH_OPCUA_ITEMS, PARX_BENCH_OPCUA_SERVERS
 * (comma list of server counts, one case each; default "1,3"), PARX_BENCH_OPCUA_PUBLISH_MAX
 * (the servers' notifications per publish response), PARX_BENCH_OPCUA_PROF (a folder: each
 * server writes a V8 CPU profile there on exit).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  AttributeIds,
  BinaryStream,
  DataChangeNotification,
  DataType,
  DataValue,
  MonitoredItemNotification,
  OPCUACertificateManager,
  OPCUAClient,
  StatusCodes,
  TimestampsToReturn,
  Variant,
  type ClientSession,
  type ClientSubscription,
} from 'node-opcua';
import { RollingStats, nowMs } from '../app/collector/stats';
import { opcuaDriver } from '../app/drivers/opcua/opcua-driver';
import { toPushedSample } from '../app/drivers/opcua/opcua-session';
import type { OpcUaAddress } from '../app/drivers/opcua/address';
import type { DriverSession } from '../app/drivers/driver';
import { tempDir } from '../app/testing/helpers';

type Emit = (row: Record<string, unknown>) => void;

const ITEMS = Number(process.env.PARX_BENCH_OPCUA_ITEMS ?? 10_000);
const PERIOD_MS = 100;
const RUN_MS = Number(process.env.PARX_BENCH_MS ?? 10_000);
const WARMUP_MS = 2000;
const SERVER_COUNTS = (process.env.PARX_BENCH_OPCUA_SERVERS ?? '1,3').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const SERVER_FLAG = 'PARX_OPCUA_BENCH_SERVER';
/**
 * The server process's young generation (MB per semi-space). node-opcua allocates several
 * objects per sample; with V8's default the scavenger took a quarter of the server's CPU.
 */
const SERVER_SEMI_SPACE_MB = 64;
/** The servers' cap on notifications per publish response (node-opcua's default: 1000). */
const PUBLISH_MAX = 10_000;
/** StatusCode info bits: DataValue info type (0x400) with the Overflow bit (0x80) — the server's queue dropped values. */
const OVERFLOW = 0x480;

const round = (x: number): number => Math.round(x * 100) / 100;

/** CPU ms a process has used (Linux /proc, clock ticks of 10 ms); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Counts what arrives inside the measuring window; every 10th lag is kept for percentiles. */
class Meter {
  private start = Infinity;
  private end = Infinity;
  count = 0;
  overflows = 0;
  private n = 0;
  readonly lagFirst = new RollingStats(50_000);
  readonly lagSecond = new RollingStats(50_000);
  private cpu = process.cpuUsage();

  arm(): void {
    this.start = Date.now();
    this.end = this.start + RUN_MS;
    this.cpu = process.cpuUsage();
  }

  add(sourceMs: number, status = 0): void {
    const now = Date.now();
    if (now < this.start || now >= this.end) return;
    this.count++;
    if ((status & OVERFLOW) === OVERFLOW) this.overflows++;
    if (this.n++ % 10 === 0) (now < this.start + RUN_MS / 2 ? this.lagFirst : this.lagSecond).add(now - sourceMs);
  }

  async measure(servers: readonly Server[]): Promise<Record<string, unknown>> {
    const serverPids = servers.map((s) => s.child.pid);
    const changes0 = await Promise.all(servers.map(serverChanges));
    this.arm();
    const serverCpu0 = serverPids.map(processCpuMs);
    await new Promise((r) => setTimeout(r, RUN_MS));
    const cpu = process.cpuUsage(this.cpu);
    const changes1 = await Promise.all(servers.map(serverChanges));
    const offered = changes1.reduce((a, b, i) => a + b - (changes0[i] as number), 0);
    const serverPct = serverPids.map((pid, i) => {
      const a = serverCpu0[i];
      const b = processCpuMs(pid);
      return a !== undefined && b !== undefined ? Math.round(((b - a) / RUN_MS) * 100) : undefined;
    });
    const serverTotal = serverPct.every((p) => p !== undefined) ? serverPct.reduce((a, b) => (a as number) + (b as number), 0) : undefined;
    const cpuUs = cpu.user + cpu.system;
    const usPerNotification = this.count ? cpuUs / this.count : NaN;
    return {
      receivedPerSec: Math.round(this.count / (RUN_MS / 1000)),
      // What the servers really changed in the window: their timers run late when the machine is busy.
      offeredPerSec: Math.round(offered / (RUN_MS / 1000)),
      receivedOfOffered: round(offered ? this.count / offered : NaN),
      lagP50Ms: round(this.lagFirst.size ? (this.lagFirst.percentile(50) + this.lagSecond.percentile(50)) / 2 : NaN),
      lagP99Ms: round(Math.max(this.lagFirst.percentile(99), this.lagSecond.percentile(99))),
      lagP50FirstHalfMs: round(this.lagFirst.percentile(50)),
      lagP50SecondHalfMs: round(this.lagSecond.percentile(50)),
      lagP99FirstHalfMs: round(this.lagFirst.percentile(99)),
      lagP99SecondHalfMs: round(this.lagSecond.percentile(99)),
      overflows: this.overflows,
      clientCpuPct: Math.round((cpuUs / 1000 / RUN_MS) * 100),
      // What the client process spends per notification received, all of it charged to the
      // notifications (idle timers, keep-alives included), so an upper bound.
      clientCpuUsPerNotification: round(usPerNotification),
      // The same cost at the full offer: the % of one core the client would need for 100,000/s.
      clientCpuPctAtExpected: Math.round((usPerNotification * ((ITEMS * 1000) / PERIOD_MS)) / 1e4),
      serverCpuPct: serverTotal,
      // The servers' CPU per notification delivered: what one server core could offer at most.
      serverCpuUsPerNotification: serverTotal !== undefined && this.count ? round((serverTotal * RUN_MS * 10) / this.count) : undefined,
      ...(serverPids.length > 1 ? { serverCpuPctEach: serverPct } : {}),
    };
  }
}

interface Server {
  child: ChildProcess;
  endpointUrl: string;
  items: number;
}

async function startServerProcess(items: number): Promise<Server> {
  const prof = process.env.PARX_BENCH_OPCUA_PROF;
  const execArgv = ['--import', 'tsx', `--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`, ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv, env: { ...process.env, [SERVER_FLAG]: String(items) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const endpointUrl = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpointUrl?: string }) => (m.endpointUrl ? resolve(m.endpointUrl) : reject(new Error('no endpoint from the server process'))));
    child.once('exit', (code) => reject(new Error(`the OPC UA server process exited (${code})`)));
  });
  return { child, endpointUrl, items };
}

/** How many values the server has changed so far (it answers over IPC). */
function serverChanges(s: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the OPC UA server process did not answer')), 5000);
    const onMessage = (m: { changes?: number }): void => {
      if (typeof m.changes !== 'number') return;
      clearTimeout(t);
      s.child.off('message', onMessage);
      resolve(m.changes);
    };
    s.child.on('message', onMessage);
    s.child.send('changes');
  });
}

/** Disconnecting lets the server exit by itself (and write its profile); killed if it does not. */
async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      s.child.kill();
      resolve();
    }, 5000);
    s.child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    if (s.child.connected) s.child.disconnect();
  });
}

/** The items of one server: Bulk.V0 … Bulk.V<n-1> (every server has its own). */
const nodeIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `ns=1;s=Bulk.V${i}`);

/** Bare node-opcua on one server: one subscription, items in calls of 1000, queue 2, both timestamps. */
async function rawSubscribe(server: Server, meter: Meter): Promise<() => Promise<void>> {
  const cm = new OPCUACertificateManager({ rootFolder: await tempDir('parx-bench-pki-'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
  await client.connect(server.endpointUrl);
  const session: ClientSession = await client.createSession();
  const sub: ClientSubscription = await session.createSubscription2({ requestedPublishingInterval: PERIOD_MS, requestedLifetimeCount: 200, requestedMaxKeepAliveCount: 20, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 1 });
  const ids = nodeIds(server.items);
  for (let start = 0; start < ids.length; start += 1000) {
    const group = await sub.monitorItems(
      ids.slice(start, start + 1000).map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: PERIOD_MS, queueSize: 2, discardOldest: true },
      TimestampsToReturn.Both,
    );
    group.on('changed', (_item: unknown, dv: DataValue) => meter.add(dv.sourceTimestamp?.getTime() ?? Date.now(), dv.statusCode.value));
  }
  return async () => {
    await sub.terminate().catch(() => undefined);
    await session.close().catch(() => undefined);
    await client.disconnect();
    await cm.dispose();
  };
}

async function rawClient(servers: readonly Server[]): Promise<Record<string, unknown>> {
  const meter = new Meter();
  const t0 = nowMs();
  const closers = await Promise.all(servers.map((s) => rawSubscribe(s, meter)));
  const setupMs = Math.round(nowMs() - t0);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const row = await meter.measure(servers);
  await Promise.all(closers.map((c) => c()));
  return { ...row, setupMs };
}

/** ParX: the OPC UA driver's sessions, one per server, as the collector uses them (batches per publish, quality mapping). */
async function parxDriver(servers: readonly Server[]): Promise<Record<string, unknown>> {
  process.env.PARX_PKI_DIR ??= await tempDir('parx-bench-pki-');
  const meter = new Meter();
  let batches = 0;
  let bad = 0;
  let dropped: string | undefined;
  const t0 = nowMs();
  const opened = await Promise.all(
    servers.map(async (server) => {
      const config = opcuaDriver.connectionFromUrl(server.endpointUrl);
      if (!config.ok) throw new Error(config.error.message);
      const session: DriverSession<OpcUaAddress> = opcuaDriver.open(config.value);
      session.onDrop((r) => (dropped = r));
      await session.connect();
      const addresses = nodeIds(server.items).map((t) => (opcuaDriver.parseAddress(t) as { ok: true; value: OpcUaAddress }).value);
      const sub = await session.subscribe!(addresses, PERIOD_MS, {
        samples: (list) => {
          batches++;
          for (const s of list) {
            if (s.quality !== 0) bad++;
            meter.add(s.ts);
          }
        },
        error: () => bad++,
      });
      return { session, sub };
    }),
  );
  const setupMs = Math.round(nowMs() - t0);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const row = await meter.measure(servers);
  for (const { session, sub } of opened) {
    await sub.close();
    await session.close();
  }
  // The driver hands on quality, not the overflow info bit, so overflows are not counted here.
  return { ...row, overflows: undefined, setupMs, batches, badSamples: bad, ...(dropped ? { dropped } : {}) };
}

async function runCase(emit: Emit, serverCount: number): Promise<void> {
  const share = (i: number): number => Math.floor(ITEMS / serverCount) + (i < ITEMS % serverCount ? 1 : 0);
  const servers: Server[] = [];
  try {
    for (let i = 0; i < serverCount; i++) servers.push(await startServerProcess(share(i)));
    const baseline = await rawClient(servers);
    const parx = await parxDriver(servers);
    emit({
      case: serverCount === 1 ? 'opcua-subscription' : `opcua-subscription-${serverCount}-servers`,
      items: ITEMS,
      servers: serverCount,
      samplingMs: PERIOD_MS,
      publishMaxNotifications: Number(process.env.PARX_BENCH_OPCUA_PUBLISH_MAX ?? PUBLISH_MAX),
      expectedPerSec: Math.round((ITEMS * 1000) / PERIOD_MS),
      runMs: RUN_MS,
      parx,
      baseline: { client: 'bare node-opcua', ...baseline },
      cores: os.availableParallelism(),
      // Other work on the machine takes cores from the servers and the client alike; rates
      // then drop while the per-notification CPU figures hold.
      loadAvg1m: round(os.loadavg()[0] ?? NaN),
      note: 'servers in child processes: when serverCpuPct is near 100 per server and clientCpuPct low, the node-opcua servers are the bottleneck, not the client; clientCpuPctAtExpected extrapolates the client cost per notification to the full offer',
    });
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}

/** Fastest of several passes, in ns per notification: what the code costs when the machine lets it run. */
function nsPerNotification(n: number, pass: () => void): number {
  let best = Infinity;
  for (let r = 0; r < 40; r++) {
    const t = performance.now();
    pass();
    best = Math.min(best, performance.now() - t);
  }
  return Math.round((best * 1e6) / n);
}

/**
 * ParX's own share per notification, without network or servers, so that other load on the
 * machine hardly moves it: turning node-opcua's decoded DataValues into samples, against a
 * bare loop that only reads value and source timestamp, and against node-opcua decoding the
 * same notifications from the wire (which any node-opcua client pays).
 */
function mappingCase(emit: Emit): void {
  const at = new Date();
  const message = new DataChangeNotification({
    monitoredItems: Array.from(
      { length: ITEMS },
      (_, i) => new MonitoredItemNotification({ clientHandle: i + 1, value: new DataValue({ value: new Variant({ dataType: DataType.Double, value: i / 7 }), statusCode: StatusCodes.Good, sourceTimestamp: at, serverTimestamp: at }) }),
    ),
  });
  const wire = Buffer.alloc(message.binaryStoreSize());
  message.encode(new BinaryStream(wire));
  let values: DataValue[] = [];
  const decodeNs = nsPerNotification(ITEMS, () => {
    const m = new DataChangeNotification();
    m.decode(new BinaryStream(wire));
    values = (m.monitoredItems ?? []).map((x) => x.value);
  });
  const address = (opcuaDriver.parseAddress('ns=1;s=Bulk.V0') as { ok: true; value: OpcUaAddress }).value;
  let check = 0;
  const bareNs = nsPerNotification(ITEMS, () => {
    for (const dv of values) check += (dv.value.value as number) + (dv.sourceTimestamp?.getTime() ?? 0);
  });
  const parxNs = nsPerNotification(ITEMS, () => {
    const out = [];
    for (let i = 0; i < values.length; i++) out.push(toPushedSample(i, address, values[i] as DataValue, at.getTime()));
    check += out.length;
  });
  emit({
    case: 'opcua-notification-mapping',
    notifications: ITEMS,
    wireBytesPerNotification: round(wire.length / ITEMS),
    parx: { nsPerNotification: parxNs },
    baseline: { code: 'bare loop reading value and source timestamp', nsPerNotification: bareNs },
    nodeOpcuaDecodeNsPerNotification: decodeNs,
    ok: Number.isFinite(check),
  });
}

export default async function run(emit: Emit): Promise<void> {
  mappingCase(emit);
  for (const n of SERVER_COUNTS) await runCase(emit, n);
}

// In a forked child: serve the bulk address space until the parent goes away.
if (process.env[SERVER_FLAG] && process.send) {
  const { StripLine } = await import('../app/sim/line-model');
  const { serveOpcUa } = await import('../app/sim/opcua-server');
  const { Subscription } = await import('node-opcua');
  // node-opcua caps a publish response at 1000 notifications; 10,000 items changing every
  // 100 ms then need ten round trips per publishing interval, with at most five publish
  // requests queued by the client. Larger responses let one server deliver more.
  Subscription.maxNotificationPerPublishHighLimit = Number(process.env.PARX_BENCH_OPCUA_PUBLISH_MAX ?? PUBLISH_MAX);
  const line = new StripLine({ seed: 1, startMs: Date.now() });
  const server = await serveOpcUa(() => line.step(Date.now()), { bulk: { count: Number(process.env[SERVER_FLAG]), updateMs: PERIOD_MS } });
  process.send({ endpointUrl: server.endpointUrl });
  process.on('message', (m) => m === 'changes' && process.send?.({ changes: server.bulkChanges() }));
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}
