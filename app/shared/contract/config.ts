/**
 * The workspace configuration: what to connect to and which signals to collect.
 * Declarative schemas: the engine validates with them, the UI builds forms from them.
 * Protocol-specific address syntax is checked by the driver (app/drivers/*) on top of this.
 */
import { z } from 'zod';
import { resolveDerived } from '../formula/derived';
import { checkRecordingTriggers, OnChangeBandSchema, TriggerSchema } from './trigger-config';

export const CONFIG_VERSION = 1;

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters');

export const ModbusConnectionSchema = z
  .object({
    name,
    protocol: z.literal('modbus'),
    host: z.string().trim().min(1, 'must not be empty').max(253),
    port: z.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'),
    unitId: z.number().int().min(0).max(255).default(1),
    timeoutMs: z.number().int().min(50).max(60_000).default(1000),
    enabled: z.boolean().default(true),
  })
  .strict();

/** Modbus RTU over a serial port: the same address syntax as Modbus TCP, framed with a CRC on the line. */
export const ModbusRtuConnectionSchema = z
  .object({
    name,
    protocol: z.literal('modbus-rtu'),
    /** The serial device: /dev/ttyUSB0, /dev/ttyS1, COM3. */
    path: z.string().trim().min(1, 'must not be empty').max(260),
    baudRate: z.number().int('must be a whole number').min(300, 'must be at least 300').max(921_600, 'must be at most 921600').default(19_200),
    parity: z.enum(['none', 'even', 'odd']).default('even'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    /** 1..247 address one device on the bus (0 is broadcast, which never answers a read). */
    unitId: z.number().int().min(1, 'must be between 1 and 247').max(247, 'must be between 1 and 247').default(1),
    /** How long to wait for a reply to one request before the link counts as broken. */
    timeoutMs: z.number().int().min(50).max(60_000).default(1000),
    enabled: z.boolean().default(true),
  })
  .strict();

const portNumber = z.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535');
const host = z.string().trim().min(1, 'must not be empty').max(253);
const timeoutMs = z.number().int().min(50).max(60_000).default(2000);

/** OPC UA: an endpoint URL; signals are NodeIds ("ns=1;s=PLC.Temp") sampled by subscription at their timebase. */
export const OpcUaConnectionSchema = z
  .object({
    name,
    protocol: z.literal('opcua'),
    endpointUrl: z.string().trim().regex(/^opc\.tcp:\/\/[^\s/]+(:\d+)?(\/\S*)?$/, 'must look like opc.tcp://host:port/path'),
    securityMode: z.enum(['None', 'Sign', 'SignAndEncrypt']).default('None'),
    securityPolicy: z.enum(['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss']).default('None'),
    auth: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('anonymous') }).strict(),
        z.object({ type: z.literal('username'), username: z.string().min(1), password: z.string() }).strict(),
      ])
      .default({ type: 'anonymous' }),
    /**
     * Sign / SignAndEncrypt: trust a server certificate ParX has not seen without asking
     * (off unless set: an unknown certificate is refused and offered under Certificates).
     */
    autoTrust: z.boolean().optional(),
    timeoutMs,
    enabled: z.boolean().default(true),
  })
  .strict();

/** MQTT: a broker; signals are topics, optionally with a JSON path (`topic@$.a.b`) or a Sparkplug B metric. */
export const MqttConnectionSchema = z
  .object({
    name,
    protocol: z.literal('mqtt'),
    url: z.string().trim().regex(/^(mqtt|mqtts|ws|wss):\/\/\S+$/, 'must look like mqtt://host:port or mqtts://host:port'),
    protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
    username: z.string().optional(),
    password: z.string().optional(),
    clientId: z.string().max(128).optional(),
    /** PEM text of a CA to trust for mqtts://, and whether to check the broker's certificate. */
    ca: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
    /** Sample time: when ParX received the message, or the timestamp inside the payload. */
    timestampSource: z.enum(['receive', 'payload']).default('receive'),
    timeoutMs,
    enabled: z.boolean().default(true),
  })
  .strict();

/** EtherNet/IP (Logix): a controller; signals are tag names (`Temp`, `Program:Main.Count`, `Arr[2]`). */
export const EnipConnectionSchema = z
  .object({
    name,
    protocol: z.literal('enip'),
    host,
    port: portNumber.default(44818),
    slot: z.number().int().min(0).max(255).default(0),
    timeoutMs,
    enabled: z.boolean().default(true),
  })
  .strict();

/** GE EGD: one exchange (producer + exchange id) received on a UDP port; signals are `type:offset`. */
export const EgdConnectionSchema = z
  .object({
    name,
    protocol: z.literal('egd'),
    /** Local address to receive on: 0.0.0.0 for every interface. */
    bindHost: z.string().trim().min(1).default('0.0.0.0'),
    port: portNumber.default(18246),
    /** Producer id as the dotted IPv4 the producer puts in its packets. */
    producer: z.string().trim().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'must be a dotted IPv4 producer id such as 10.0.0.5'),
    exchange: z.number().int().min(0).max(0xffffffff),
    /** Signals turn stale when no packet of the exchange arrived for this long. */
    staleAfterMs: z.number().int().min(10).max(600_000).default(1000),
    /** When set, packets with another configuration signature are refused (bad quality). */
    signature: z.number().int().min(0).max(0xffffffff).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

const PROTOCOLS = ['modbus', 'modbus-rtu', 'opcua', 'mqtt', 'enip', 'egd'] as const;

export const ConnectionSchema = z.discriminatedUnion(
  'protocol',
  [ModbusConnectionSchema, ModbusRtuConnectionSchema, OpcUaConnectionSchema, MqttConnectionSchema, EnipConnectionSchema, EgdConnectionSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `unknown protocol ${JSON.stringify((issue.input as { protocol?: unknown } | undefined)?.protocol)} (supported: ${PROTOCOLS.join(', ')})`
        : undefined,
  },
);

export const SignalSchema = z
  .object({
    name,
    unit: z.string().max(32).default(''),
    description: z.string().max(500).default(''),
    connection: name,
    address: z.string().trim().min(1, 'must not be empty').max(200),
    scale: z.number().finite().default(1),
    offset: z.number().finite().default(0),
    timebaseMs: z.number().int().min(1, 'must be at least 1 ms').max(3_600_000, 'must be at most one hour').default(100),
  })
  .strict();

/** How recorded samples are cut into batch files (see docs/file-format.md). */
export const BatchingRuleSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('continuous'), rotateEveryMs: z.number().int().min(1000).max(7 * 86_400_000).optional(), maxSamples: z.number().int().min(1000).optional() }).strict(),
  z.object({ mode: z.literal('coil'), coilSignal: name, maxSamples: z.number().int().min(1000).optional() }).strict(),
  z.object({ mode: z.literal('manual'), maxSamples: z.number().int().min(1000).optional() }).strict(),
  z
    .object({
      mode: z.literal('shift'),
      timeZone: z.string().refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Europe/Berlin'),
      shiftStarts: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')).min(1),
    })
    .strict(),
]);

/** Limits on what a line keeps; a batch past any of them is archived (when archiveTo is set) and then deleted. */
const RetentionLimitsSchema = z
  .object({
    maxAgeDays: z.number().positive('must be more than 0').optional(),
    maxTotalMB: z.number().positive('must be more than 0').optional(),
    maxCount: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
  })
  .strict();

/** Retention and archival of closed batch files, applied per line (see docs/file-format.md). */
export const RetentionSchema = RetentionLimitsSchema.extend({
  /** Copy each expiring file here (e.g. a network share) and verify the copy before deleting the original. */
  archiveTo: z.string().trim().min(1, 'must not be empty').max(1000).optional(),
  /** How often the cleanup job runs. */
  everyMinutes: z.number().min(1, 'must be at least 1 minute').max(7 * 24 * 60).default(60),
  /** Limits for one line instead of the ones above, by line name. */
  lines: z.record(z.string().min(1), RetentionLimitsSchema).optional(),
}).strict();

export const RecordingSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The production line's name: part of every file's metadata and of the folder layout. */
    line: name.default('Line 1'),
    rule: BatchingRuleSchema.default({ mode: 'continuous', rotateEveryMs: 3_600_000 }),
    /** A strip length signal (m) for the length index, or a speed signal (m/min) to integrate. */
    lengthSignal: name.optional(),
    speedSignal: name.optional(),
    compression: z.enum(['zstd', 'snappy', 'none']).default('zstd'),
    /** The batch file type (docs/file-format.md): Parquet (when absent), CSV for spreadsheets, or one DuckDB database per batch. */
    format: z.enum(['parquet', 'csv', 'duckdb']).optional(),
    /** Folder for batch files; <workspace>/recordings when absent. */
    destination: z.string().trim().min(1, 'must not be empty').max(1000).optional(),
    retention: RetentionSchema.optional(),
    /** Which signals are recorded (all when absent). */
    signals: z.array(name).optional(),
    /** The trigger pool (docs/triggers.md): each trigger opens and closes batches of its own, beside the batching rule. */
    triggers: z.array(TriggerSchema).optional(),
    /** On-change recording: per-signal deadband and heartbeat; signals not listed are recorded in full. */
    onChange: z.array(OnChangeBandSchema).optional(),
  })
  .strict();

/**
 * Recorded samples published to an InfluxDB server as they arrive (docs/outputs.md): the
 * 1.x API with `database`, or the 2.x API with `bucket`, `org` and `token`.
 */
export const InfluxOutputSchema = z
  .object({
    enabled: z.boolean().default(true),
    url: z
      .string()
      .trim()
      .max(500)
      .regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// address such as http://historian:8086'),
    database: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    /** 1.x: the retention policy (the database's default when absent). */
    retentionPolicy: z.string().trim().min(1).max(200).optional(),
    bucket: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    org: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    token: z.string().max(2000).optional(),
    measurement: z.string().trim().min(1, 'must not be empty').max(200).default('parx'),
    /** Which signals are published (every recorded one when absent). */
    signals: z.array(name).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.bucket === undefined && o.database === undefined) ctx.addIssue({ code: 'custom', path: ['database'], message: 'give a database (InfluxDB 1.x) or a bucket and org (2.x)' });
    if (o.bucket !== undefined && o.database !== undefined) ctx.addIssue({ code: 'custom', path: ['bucket'], message: 'give either a database (1.x) or a bucket (2.x), not both' });
    if (o.bucket !== undefined && o.org === undefined) ctx.addIssue({ code: 'custom', path: ['org'], message: 'a bucket (InfluxDB 2.x) needs its org' });
  });
export type InfluxOutputConfig = z.infer<typeof InfluxOutputSchema>;

/** Where recorded samples go besides batch files. */
export const OutputsSchema = z.object({ influx: InfluxOutputSchema.optional() }).strict();

/** A derived signal: a formula over other signals (docs/formulas.md), computed live and on query. */
export const DerivedSignalSchema = z
  .object({
    name,
    unit: z.string().max(32).default(''),
    description: z.string().max(500).default(''),
    formula: z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters'),
    /** Also record it into batch files like an acquired signal (otherwise computed on query only). */
    persist: z.boolean().default(false),
  })
  .strict();

export const WorkspaceConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION, { error: `must be ${CONFIG_VERSION} (this ParX reads configuration version ${CONFIG_VERSION})` }),
    connections: z.array(ConnectionSchema).default([]),
    signals: z.array(SignalSchema).default([]),
    recording: RecordingSchema.optional(),
    derived: z.array(DerivedSignalSchema).optional(),
    outputs: OutputsSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const connections = new Set<string>();
    cfg.connections.forEach((c, i) => {
      if (connections.has(c.name)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'name'], message: `duplicate connection name "${c.name}"` });
      connections.add(c.name);
    });
    const signals = new Set<string>();
    cfg.signals.forEach((s, i) => {
      if (signals.has(s.name)) ctx.addIssue({ code: 'custom', path: ['signals', i, 'name'], message: `duplicate signal name "${s.name}"` });
      signals.add(s.name);
      if (!connections.has(s.connection)) {
        ctx.addIssue({ code: 'custom', path: ['signals', i, 'connection'], message: `no connection named "${s.connection}"` });
      }
    });
    const derived = checkDerivedSignals(cfg.signals, cfg.derived ?? [], ctx);
    // Triggers, on-change bands and the recorded list may name derived signals (they are then recorded).
    checkRecordingTriggers(cfg.recording, [...cfg.signals, ...derived], ctx);
    const r = cfg.recording;
    const named: [string | undefined, (string | number)[]][] = [
      [r?.rule.mode === 'coil' ? r.rule.coilSignal : undefined, ['recording', 'rule', 'coilSignal']],
      [r?.lengthSignal, ['recording', 'lengthSignal']],
      [r?.speedSignal, ['recording', 'speedSignal']],
    ];
    for (const [signal, path] of named) {
      if (signal !== undefined && !signals.has(signal)) ctx.addIssue({ code: 'custom', path, message: `no signal named "${signal}"` });
    }
    const known = new Set([...signals, ...derived.map((d) => d.name)]);
    cfg.outputs?.influx?.signals?.forEach((s, i) => {
      if (!known.has(s)) ctx.addIssue({ code: 'custom', path: ['outputs', 'influx', 'signals', i], message: `no signal named "${s}"` });
    });
  });

/**
 * Names unique across signals and derived signals; the formula must compile (the error at
 * derived.N.formula says where in the formula) and must not read itself, directly or through
 * other derived signals. An input that no longer exists is not an error: the configuration
 * loads and the derived signal is flagged (resolveDerived).
 */
function checkDerivedSignals(signals: readonly { name: string; unit: string }[], derived: readonly { name: string; formula: string; unit?: string }[], ctx: z.RefinementCtx): { name: string; unit: string }[] {
  const units = new Map(signals.map((s) => [s.name, s.unit]));
  const names = new Set(units.keys());
  derived.forEach((d, i) => {
    if (names.has(d.name)) ctx.addIssue({ code: 'custom', path: ['derived', i, 'name'], message: `duplicate signal name "${d.name}" (signal and derived signal names share one list)` });
    names.add(d.name);
  });
  const resolved = resolveDerived((n) => units.get(n), derived);
  for (const r of resolved) {
    const i = derived.indexOf(r.def);
    if (!r.check.compiled.ok) ctx.addIssue({ code: 'custom', path: ['derived', i, 'formula'], message: `formula: ${r.check.compiled.error.message}` });
    else if (r.status?.startsWith('formula cycle')) ctx.addIssue({ code: 'custom', path: ['derived', i, 'formula'], message: r.status });
  }
  return resolved.map((r) => ({ name: r.def.name, unit: r.unit }));
}

export type DerivedSignalConfig = z.infer<typeof DerivedSignalSchema>;
export type ModbusConnectionConfig = z.infer<typeof ModbusConnectionSchema>;
export type ModbusRtuConnectionConfig = z.infer<typeof ModbusRtuConnectionSchema>;
export type OpcUaConnectionConfig = z.infer<typeof OpcUaConnectionSchema>;
export type MqttConnectionConfig = z.infer<typeof MqttConnectionSchema>;
export type EnipConnectionConfig = z.infer<typeof EnipConnectionSchema>;
export type EgdConnectionConfig = z.infer<typeof EgdConnectionSchema>;
export type ConnectionConfig = z.infer<typeof ConnectionSchema>;
export type SignalConfig = z.infer<typeof SignalSchema>;
export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;
export type RecordingConfig = z.infer<typeof RecordingSchema>;
export type RetentionConfig = z.infer<typeof RetentionSchema>;
export type Protocol = ConnectionConfig['protocol'];

export function emptyConfig(): WorkspaceConfig {
  return { version: CONFIG_VERSION, connections: [], signals: [] };
}
