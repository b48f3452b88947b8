/**
 * OPC UA subscription throughput: 10,000 monitored items sampled at 100 ms against a local
 * node-opcua server whose 10,000 variables all change every 100 ms (100,000 changes/s on
 * offer). Measured: notifications/s received against that, the lag from source timestamp to
 * arrival (first and second half of the run: a client that falls behind shows a growing
 * lag), queue overflows, and the client process's CPU. Baseline in the same run: the same
 * subscription made with bare node-opcua client code, no ParX.
 *
 * The server runs in a child process so its work is not charged to the client. Known from
 * the stack: the node-opcua server saturates first, near 19k notifications/s on one core.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { AttributeIds, OPCUACertificateManager, OPCUAClient, TimestampsToReturn, type DataValue } from 'node-opcua';
import { RollingStats, nowMs } from '../app/collector/stats';
import { opcuaDriver } from '../app/drivers/opcua/opcua-driver';
import type { OpcUaAddress } from '../app/drivers/opcua/address';
import { StripLine } from '../app/sim/line-model';
import { serveOpcUa } from '../app/sim/opcua-server';
import { tempDir } from '../app/testing/helpers';

type Emit = (row: Record<string, unknown>) => void;

const ITEMS = Number(process.env.PARX_BENCH_OPCUA_ITEMS ?? 10_000);
const PERIOD_MS = 100;
const RUN_MS = Number(process.env.PARX_BENCH_MS ?? 10_000);
const WARMUP_MS = 2000;
const SERVER_FLAG = 'PARX_OPCUA_BENCH_SERVER';
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

  async measure(serverPid: number | undefined): Promise<Record<string, unknown>> {
    this.arm();
    const serverCpu0 = processCpuMs(serverPid);
    await new Promise((r) => setTimeout(r, RUN_MS));
    const cpu = process.cpuUsage(this.cpu);
    const serverCpu1 = processCpuMs(serverPid);
    return {
      receivedPerSec: Math.round(this.count / (RUN_MS / 1000)),
      lagP50Ms: round(this.lagFirst.size ? (this.lagFirst.percentile(50) + this.lagSecond.percentile(50)) / 2 : NaN),
      lagP99Ms: round(Math.max(this.lagFirst.percentile(99), this.lagSecond.percentile(99))),
      lagP50FirstHalfMs: round(this.lagFirst.percentile(50)),
      lagP50SecondHalfMs: round(this.lagSecond.percentile(50)),
      overflows: this.overflows,
      clientCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / RUN_MS) * 100),
      serverCpuPct: serverCpu0 !== undefined && serverCpu1 !== undefined ? Math.round(((serverCpu1 - serverCpu0) / RUN_MS) * 100) : undefined,
    };
  }
}

async function startServerProcess(): Promise<{ child: ChildProcess; endpointUrl: string }> {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, [SERVER_FLAG]: String(ITEMS) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const endpointUrl = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpointUrl?: string }) => (m.endpointUrl ? resolve(m.endpointUrl) : reject(new Error('no endpoint from the server process'))));
    child.once('exit', (code) => reject(new Error(`the OPC UA server process exited (${code})`)));
  });
  return { child, endpointUrl };
}

const nodeIds = (): string[] => Array.from({ length: ITEMS }, (_, i) => `ns=1;s=Bulk.V${i}`);

/** Baseline: bare node-opcua, one subscription, items in calls of 1000, queue 2, both timestamps. */
async function rawClient(endpointUrl: string, serverPid: number | undefined): Promise<Record<string, unknown>> {
  const cm = new OPCUACertificateManager({ rootFolder: await tempDir('parx-bench-pki-'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
  const t0 = nowMs();
  await client.connect(endpointUrl);
  const session = await client.createSession();
  const sub = await session.createSubscription2({ requestedPublishingInterval: PERIOD_MS, requestedLifetimeCount: 200, requestedMaxKeepAliveCount: 20, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 1 });
  const meter = new Meter();
  const ids = nodeIds();
  for (let start = 0; start < ids.length; start += 1000) {
    const group = await sub.monitorItems(
      ids.slice(start, start + 1000).map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: PERIOD_MS, queueSize: 2, discardOldest: true },
      TimestampsToReturn.Both,
    );
    group.on('changed', (_item: unknown, dv: DataValue) => meter.add(dv.sourceTimestamp?.getTime() ?? Date.now(), dv.statusCode.value));
  }
  const setupMs = Math.round(nowMs() - t0);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const row = await meter.measure(serverPid);
  await sub.terminate().catch(() => undefined);
  await session.close().catch(() => undefined);
  await client.disconnect();
  await cm.dispose();
  return { ...row, setupMs };
}

/** ParX: the OPC UA driver's session, as the collector uses it (batches per publish, quality mapping). */
async function parxDriver(endpointUrl: string, serverPid: number | undefined): Promise<Record<string, unknown>> {
  process.env.PARX_PKI_DIR ??= await tempDir('parx-bench-pki-');
  const config = opcuaDriver.connectionFromUrl(endpointUrl);
  if (!config.ok) throw new Error(config.error.message);
  const session = opcuaDriver.open(config.value);
  let dropped: string | undefined;
  session.onDrop((r) => (dropped = r));
  const t0 = nowMs();
  await session.connect();
  const addresses = nodeIds().map((t) => (opcuaDriver.parseAddress(t) as { ok: true; value: OpcUaAddress }).value);
  const meter = new Meter();
  let batches = 0;
  let bad = 0;
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
  const setupMs = Math.round(nowMs() - t0);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const row = await meter.measure(serverPid);
  await sub.close();
  await session.close();
  // The driver hands on quality, not the overflow info bit, so overflows are not counted here.
  return { ...row, overflows: undefined, setupMs, batches, badSamples: bad, ...(dropped ? { dropped } : {}) };
}

export default async function run(emit: Emit): Promise<void> {
  const { child, endpointUrl } = await startServerProcess();
  try {
    const baseline = await rawClient(endpointUrl, child.pid);
    const parx = await parxDriver(endpointUrl, child.pid);
    emit({
      case: 'opcua-subscription',
      items: ITEMS,
      samplingMs: PERIOD_MS,
      expectedPerSec: Math.round((ITEMS * 1000) / PERIOD_MS),
      runMs: RUN_MS,
      parx,
      baseline: { client: 'bare node-opcua', ...baseline },
      cores: os.availableParallelism(),
      note: 'server in a child process: when serverCpuPct is near 100 and clientCpuPct low, the node-opcua server is the bottleneck, not the client',
    });
  } finally {
    child.kill();
  }
}

// In the forked child: serve the bulk address space until the parent goes away.
if (process.env[SERVER_FLAG] && process.send) {
  const line = new StripLine({ seed: 1, startMs: Date.now() });
  const server = await serveOpcUa(() => line.step(Date.now()), { bulk: { count: Number(process.env[SERVER_FLAG]), updateMs: PERIOD_MS } });
  process.send({ endpointUrl: server.endpointUrl });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}
