/**
 * The demo line as an OPC UA server (node-opcua): a `PLC` folder with the `Line` object
 * (one variable per demo signal, source timestamps from the line model), a `Types` folder
 * with one variable of every scalar type and a Double[10] array, and optionally a `Bulk`
 * folder of many changing variables for load tests. The address map is documented in
 * resources/demo-line/opcua-map.md.
 *
 * It listens on 127.0.0.1 only (node-opcua's default is every interface), offers security
 * None and Basic256Sha256 (Sign, SignAndEncrypt), anonymous and user/password logins, and
 * keeps its certificates in a given or temporary folder — never in the user's home.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AccessRestrictionsFlag,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  PermissionFlag,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  WellKnownRoles,
  makeEUInformation,
  makeRoles,
  type Namespace,
  type NodeId,
  type UAObject,
  type UAVariable,
} from 'node-opcua';
import type { LineState } from './line-model';
import { DEMO_SIGNALS, type DemoSignal } from './demo-signals';
import { freePort } from './modbus-server';

export interface OpcUaSimOptions {
  /** Interface to listen on and to name in the endpoint URL; 127.0.0.1 unless given. */
  host?: string;
  /** A free port when omitted. */
  port?: number;
  users?: { username: string; password: string }[];
  /** Where the server keeps its certificate and trust lists; a temporary folder (removed on close) when omitted. */
  pkiDir?: string;
  /** How often the Line variables take the model's state. */
  updateMs?: number;
  /** Load testing: `count` Double variables `ns=1;s=Bulk.V<i>`, all changed every `updateMs`. */
  bulk?: { count: number; updateMs: number };
}

export interface OpcUaSimServer {
  readonly endpointUrl: string;
  readonly port: number;
  /** Values changed in the Bulk folder so far: what a load test really offered (timers run late on a busy machine). */
  bulkChanges(): number;
  close(): Promise<void>;
}

/** The NodeId identifier of a demo signal: "Line Speed" → "Line.LineSpeed". */
export function lineNodeId(signal: string): string {
  return `ns=1;s=Line.${signal.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** UNECE common codes, as OPC UA's EUInformation wants them. */
const UNITS: Record<string, [code: string, long: string]> = {
  'm/min': ['2X', 'metre per minute'],
  kN: ['B47', 'kilonewton'],
  'µm': ['4H', 'micrometre'],
  mm: ['MMT', 'millimetre'],
  '°C': ['CEL', 'degree Celsius'],
  A: ['AMP', 'ampere'],
  m: ['MTR', 'metre'],
};

/** Plausible instrument ranges, for EURange. */
const RANGES: Partial<Record<keyof LineState, [number, number]>> = {
  lineSpeed: [0, 800],
  entryTension: [0, 80],
  exitTension: [0, 80],
  thicknessDeviation: [-50, 50],
  stripWidth: [800, 2000],
  furnaceZone1Temp: [0, 1000],
  furnaceZone2Temp: [0, 1000],
  mainDriveCurrent: [0, 3000],
  coilLength: [0, 5000],
};

/** The Types folder: identifier suffix, data type, fixed value (as node-opcua wants it), and the number a client should see. */
export const TYPE_SAMPLES: readonly { name: string; dataType: DataType; value: unknown; expected: number | string }[] = [
  { name: 'Boolean', dataType: DataType.Boolean, value: true, expected: 1 },
  { name: 'SByte', dataType: DataType.SByte, value: -100, expected: -100 },
  { name: 'Byte', dataType: DataType.Byte, value: 200, expected: 200 },
  { name: 'Int16', dataType: DataType.Int16, value: -30000, expected: -30000 },
  { name: 'UInt16', dataType: DataType.UInt16, value: 60000, expected: 60000 },
  { name: 'Int32', dataType: DataType.Int32, value: -2_000_000_000, expected: -2_000_000_000 },
  { name: 'UInt32', dataType: DataType.UInt32, value: 4_000_000_000, expected: 4_000_000_000 },
  // 64-bit integers travel as [high, low] unsigned 32-bit words (two's complement for Int64): −(2^40 + 5) and 2^52 + 7.
  { name: 'Int64', dataType: DataType.Int64, value: [0xfffffeff, 4294967291], expected: -(2 ** 40 + 5) },
  { name: 'UInt64', dataType: DataType.UInt64, value: [1048576, 7], expected: 2 ** 52 + 7 },
  { name: 'Float', dataType: DataType.Float, value: 3.25, expected: 3.25 },
  { name: 'Double', dataType: DataType.Double, value: Math.PI, expected: Math.PI },
  { name: 'String', dataType: DataType.String, value: 'Coil 250001', expected: 'not numeric' },
  { name: 'DateTime', dataType: DataType.DateTime, value: new Date(Date.UTC(2024, 0, 15, 6, 30)), expected: Date.UTC(2024, 0, 15, 6, 30) },
];

export const ARRAY_SAMPLE = Array.from({ length: 10 }, (_, i) => i * 1.5);

function lineDataType(s: DemoSignal): DataType {
  if (s.key === 'weldSeam' || s.key === 'tensionHighAlarm') return DataType.Boolean;
  if (s.key === 'coilId') return DataType.UInt32;
  return DataType.Double;
}

function lineVariant(s: DemoSignal, state: LineState): Variant {
  const dataType = lineDataType(s);
  const raw = state[s.key];
  return new Variant({ dataType, value: dataType === DataType.Boolean ? Boolean(raw) : Number(raw) });
}

function addLine(ns: Namespace, line: UAObject, state: LineState): { signal: DemoSignal; variable: UAVariable }[] {
  return DEMO_SIGNALS.map((signal) => {
    const nodeId = lineNodeId(signal.name);
    const browseName = nodeId.slice('ns=1;s=Line.'.length);
    const unit = UNITS[signal.unit];
    const range = RANGES[signal.key];
    const common = { componentOf: line, browseName, nodeId, description: signal.description, minimumSamplingInterval: 10 };
    const variable =
      unit && range
        ? ns.addAnalogDataItem({
            ...common,
            dataType: 'Double',
            engineeringUnits: makeEUInformation(unit[0], signal.unit, unit[1]),
            engineeringUnitsRange: { low: range[0], high: range[1] },
          })
        : ns.addVariable({ ...common, dataType: DataType[lineDataType(signal)] });
    variable.setValueFromSource(lineVariant(signal, state), StatusCodes.Good, new Date(state.timeMs));
    return { signal, variable };
  });
}

function addTypes(ns: Namespace, folder: UAObject): void {
  for (const t of TYPE_SAMPLES) {
    ns.addVariable({
      organizedBy: folder,
      browseName: t.name,
      nodeId: `s=Types.${t.name}`,
      dataType: DataType[t.dataType],
      value: new Variant({ dataType: t.dataType, arrayType: VariantArrayType.Scalar, value: t.value }),
    });
  }
  ns.addVariable({
    organizedBy: folder,
    browseName: 'DoubleArray',
    nodeId: 's=Types.DoubleArray',
    dataType: 'Double',
    valueRank: 1,
    arrayDimensions: [ARRAY_SAMPLE.length],
    value: new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array(ARRAY_SAMPLE) }),
  });
}

/** Anonymous and logged-in sessions may browse, read and subscribe; nothing else. */
const BULK_PERMISSIONS = [WellKnownRoles.Anonymous, WellKnownRoles.AuthenticatedUser].map((role) => ({
  roleId: makeRoles([role])[0] as NodeId,
  permissions: PermissionFlag.Browse | PermissionFlag.Read | PermissionFlag.ReceiveEvents,
}));

/**
 * Permissions and access restrictions are set on each bulk variable although they only
 * restate the defaults: without them node-opcua resolves both from the namespace's metadata
 * nodes (child lookups by name) on every sample of every monitored item, which was the
 * largest share of this server's CPU at 10,000 items sampled every 100 ms.
 */
function addBulk(ns: Namespace, folder: UAObject, count: number): UAVariable[] {
  return Array.from({ length: count }, (_, i) => {
    const v = ns.addVariable({ organizedBy: folder, browseName: `V${i}`, nodeId: `s=Bulk.V${i}`, dataType: 'Double', minimumSamplingInterval: 10, value: new Variant({ dataType: DataType.Double, value: 0 }) });
    v.setRolePermissions(BULK_PERMISSIONS);
    v.setAccessRestrictions(AccessRestrictionsFlag.None);
    return v;
  });
}

export async function serveOpcUa(line: () => LineState, opts: OpcUaSimOptions = {}): Promise<OpcUaSimServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const ownPki = opts.pkiDir === undefined;
  const pkiDir = opts.pkiDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'parx-opcua-sim-')));
  const users = opts.users ?? [];
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pkiDir, 'server'),
    // A simulator trusts any client; a real PLC would not.
    automaticallyAcceptUnknownCertificate: true,
    disableFileWatchers: true,
  });
  const server = new OPCUAServer({
    port,
    host,
    hostname: host,
    resourcePath: '/parx/demo-line',
    serverCertificateManager,
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    allowAnonymous: true,
    userManager: { isValidUser: (username: string, password: string) => users.some((u) => u.username === username && u.password === password) },
    buildInfo: { productName: 'ParX demo line', manufacturerName: 'ParX' },
    serverCapabilities: { maxSessions: 50 },
    maxConnectionsPerEndpoint: 50,
    isAuditing: false,
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('OPC UA simulator: the server has no address space');
  const ns = addressSpace.getOwnNamespace();
  const plc = ns.addFolder(addressSpace.rootFolder.objects, { browseName: 'PLC', nodeId: 's=PLC' });
  const lineObject = ns.addObject({ organizedBy: plc, browseName: 'Line', nodeId: 's=Line', description: 'The strip processing line' });
  const types = ns.addFolder(plc, { browseName: 'Types', nodeId: 's=Types' });
  const lineVars = addLine(ns, lineObject, line());
  addTypes(ns, types);

  const timers: ReturnType<typeof setInterval>[] = [];
  let bulkChanges = 0;
  timers.push(
    setInterval(() => {
      const state = line();
      const at = new Date(state.timeMs);
      for (const { signal, variable } of lineVars) variable.setValueFromSource(lineVariant(signal, state), StatusCodes.Good, at);
    }, opts.updateMs ?? 50),
  );
  if (opts.bulk && opts.bulk.count > 0) {
    const bulkVars = addBulk(ns, ns.addFolder(plc, { browseName: 'Bulk', nodeId: 's=Bulk' }), opts.bulk.count);
    let tick = 0;
    timers.push(
      setInterval(() => {
        tick++;
        const at = new Date();
        for (let i = 0; i < bulkVars.length; i++) (bulkVars[i] as UAVariable).setValueFromSource(new Variant({ dataType: DataType.Double, value: tick + i / 1e6 }), StatusCodes.Good, at);
        bulkChanges += bulkVars.length;
      }, opts.bulk.updateMs),
    );
  }

  await server.start();
  const endpointUrl = server.getEndpointUrl() ?? `opc.tcp://${host}:${port}/parx/demo-line`;
  let closed = false;
  return {
    endpointUrl,
    port,
    bulkChanges: () => bulkChanges,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      // shutdown(0): no grace period, so a test sees the link drop at once.
      await server.shutdown(0);
      await serverCertificateManager.dispose().catch(() => undefined);
      if (ownPki) await fs.rm(pkiDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** `npx tsx app/sim/opcua-server.ts [PORT] [USER:PASSWORD]` — the demo line over OPC UA on its own, until Ctrl-C. */
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { StripLine } = await import('./line-model');
  const line = new StripLine({ startMs: Date.now() });
  const [portText, login] = process.argv.slice(2);
  const [username, password] = (login ?? 'operator:operator').split(':');
  const server = await serveOpcUa(() => line.step(Date.now()), {
    port: portText ? Number(portText) : 4840,
    users: [{ username: username ?? 'operator', password: password ?? '' }],
    pkiDir: path.join(os.tmpdir(), 'parx-opcua-sim-pki'),
  });
  process.stdout.write(`demo line on ${server.endpointUrl} (anonymous, or user ${username ?? 'operator'})\n`);
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
}
