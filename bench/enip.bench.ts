/**
 * EtherNet/IP tag reads per second on one connection: a 50-tag group polled back to back
 * against the simulated Logix controller, through ParX's driver vs the bare ethernet-ip
 * library reading the same TagGroup (its own readTagGroup) in the same run. Rounds
 * alternate so both see the same machine load.
 *
 * The bare library can only connect to port 44818; for the baseline, Socket#connect is
 * redirected to the simulator's port for the length of that one connect call.
 */
import net from 'node:net';
import { Controller, Tag, TagGroup } from 'ethernet-ip';
import { enipDriver } from '../app/drivers/enip/enip-driver';
import type { EnipAddress } from '../app/drivers/enip/address';
import type { DriverSession, PreparedRead, ReadResult } from '../app/drivers/driver';
import { serveEnip } from '../app/sim/enip-server';
import { PROFILE_POINTS } from '../app/sim/enip/tags';
import { StripLine } from '../app/sim/line-model';

type Emit = (row: Record<string, unknown>) => void;

const ROUND_MS = Number(process.env.PARX_BENCH_MS ?? 10_000) / 4;
const ROUNDS = 2;

/** 50 distinct tags the bare library can decode too (it has no LINT). */
const TAGS = [
  'LineSpeed', 'EntryTension', 'ExitTension', 'ThicknessDeviation', 'StripWidth', 'FurnaceZone1Temp', 'FurnaceZone2Temp',
  'MainDriveCurrent', 'CoilLength', 'CoilID', 'WeldSeam', 'TensionHigh', 'Program:Main.Count',
  'BoolTag', 'SintTag', 'IntTag', 'DintTag', 'RealTag',
  ...Array.from({ length: PROFILE_POINTS }, (_, i) => `ThicknessProfile[${i}]`),
];

async function connectBare(port: number): Promise<Controller> {
  const ctrl = new Controller();
  ctrl.on('error', () => undefined);
  const original = net.Socket.prototype.connect;
  const redirect = function (this: net.Socket, ...args: unknown[]) {
    if (args[0] === 44818) args[0] = port;
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = redirect as typeof original;
  try {
    await (ctrl as unknown as { connect(ip: string, slot: number): Promise<void> }).connect('127.0.0.1', 0);
  } finally {
    net.Socket.prototype.connect = original;
  }
  return ctrl;
}

async function loop(ms: number, cycle: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const until = performance.now() + ms;
  const t0 = performance.now();
  while (performance.now() < until) {
    await cycle();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

export default async function run(emit: Emit): Promise<void> {
  const line = new StripLine({ seed: 1 });
  const server = await serveEnip(() => line.step(Date.now()), {});
  const bare = await connectBare(server.port);
  const group = new TagGroup();
  for (const t of TAGS) group.add(new Tag(t));
  const distinct = group.generateReadMessageRequests().reduce((n, m) => n + m.tag_ids.length, 0);
  if (distinct !== TAGS.length) throw new Error(`the bench group has ${distinct} distinct tags, expected ${TAGS.length}`);

  const session = enipDriver.open({ name: 'bench', protocol: 'enip', host: '127.0.0.1', port: server.port, slot: 0, timeoutMs: 2000, enabled: true }) as DriverSession<EnipAddress> & {
    prepare(a: readonly EnipAddress[]): PreparedRead;
    read(p: PreparedRead): Promise<ReadResult>;
  };
  session.onDrop(() => undefined);
  await session.connect();
  const addresses = TAGS.map((t) => {
    const a = enipDriver.parseAddress(t);
    if (!a.ok) throw new Error(a.error.message);
    return a.value;
  });
  const prepared = session.prepare(addresses);
  const check = await session.read(prepared);
  if (check.errors.length) throw new Error(`bench tags unreadable: ${check.errors.join('; ')}`);

  const parx: number[] = [];
  const base: number[] = [];
  try {
    // Warm-up (JIT, socket buffers), not counted.
    await loop(500, () => bare.readTagGroup(group));
    await loop(500, () => session.read(prepared));
    for (let r = 0; r < ROUNDS; r++) {
      base.push(await loop(ROUND_MS, () => bare.readTagGroup(group)));
      parx.push(await loop(ROUND_MS, () => session.read(prepared)));
    }
  } finally {
    await session.close();
    bare.destroy();
    await server.close();
  }
  const best = (xs: number[]) => Math.max(...xs);
  const parxTags = best(parx) * TAGS.length;
  const baseTags = best(base) * TAGS.length;
  emit({
    name: 'enip tag reads per second, one connection, 50-tag group back to back',
    tags: TAGS.length,
    packetsPerCycle: prepared.requests,
    parxTagReadsPerS: Math.round(parxTags),
    baselineTagReadsPerS: Math.round(baseTags),
    baseline: 'bare ethernet-ip 1.2.5 Controller.readTagGroup on the same TagGroup, same simulator, same run',
    overheadPct: Math.round((1 - parxTags / baseTags) * 1000) / 10,
    roundsMs: ROUND_MS,
    parxCyclesPerSRounds: parx.map((x) => Math.round(x)),
    baselineCyclesPerSRounds: base.map((x) => Math.round(x)),
  });
}
