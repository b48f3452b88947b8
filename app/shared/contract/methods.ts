/**
 * Every request the UI can make of the engine, declared once with runtime schemas.
 * Electron IPC (preload) and the WebSocket server are both generated from this table;
 * the engine validates every payload against `params` before a handler sees it.
 */
import { z } from 'zod';
import { WorkspaceConfigSchema } from './config';
import { method } from './method';
import { analysisMethods } from './analysis';
import { catalogMethods } from './catalog';
import { dashboardMethods } from './dashboards';
import { formulaMethods } from './formulas';
import { triggerMethods } from './triggers';
import { filesMethods } from './files';
import { acquisitionMethods } from './acquisition';

export const ConnectionStateSchema = z.enum(['disabled', 'connecting', 'connected', 'disconnected']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const FieldProblemSchema = z.object({ path: z.string(), message: z.string() });

export const SignalInfoSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  unit: z.string(),
  description: z.string(),
  connection: z.string(),
  address: z.string(),
  timebaseMs: z.number(),
  /** Derived signals only: the formula (connection is '(derived)'). */
  formula: z.string().optional(),
  /** Set when the signal cannot produce data, in words: "missing input: Line Speed". */
  status: z.string().optional(),
});
export type SignalInfo = z.infer<typeof SignalInfoSchema>;

export const ConnectionStatusSchema = z.object({
  name: z.string(),
  protocol: z.string(),
  endpoint: z.string(),
  state: ConnectionStateSchema,
  /** Why it is not connected, in words: "connect ECONNREFUSED 127.0.0.1:5020". */
  lastError: z.string().nullable(),
  since: z.number(),
  reconnects: z.number().int(),
  nextRetryMs: z.number().nullable(),
  reads: z.number().int(),
  errors: z.number().int(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

export const GroupStatsSchema = z.object({
  connection: z.string(),
  mode: z.enum(['poll', 'push']),
  timebaseMs: z.number(),
  signals: z.number().int(),
  cycles: z.number().int(),
  overruns: z.number().int(),
  lastCycleMs: z.number(),
  /** Lateness of cycle starts against the ideal grid (start + k·timebase), over the last ~2000 cycles. */
  jitterP50Ms: z.number(),
  jitterP99Ms: z.number(),
  jitterMaxMs: z.number(),
  /** What the acquisition planner predicted for this group's cycle, beside the measured lastCycleMs. */
  predictedCycleMs: z.number().nullable(),
});
export type GroupStats = z.infer<typeof GroupStatsSchema>;

export const MAX_LIVE_RATE = 30;

const signalNames = z.array(z.string().min(1)).min(1, 'name at least one signal').max(10_000);

export const coreMethods = {
  'engine.info': method(
    z.object({}).strict(),
    z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser', 'node']),
      workspace: z.string(),
      startedAt: z.number(),
      /** Browser mode: the read-only token for share links (null when not served to browsers). */
      viewerToken: z.string().nullable(),
      /** What this client may do: a viewer (a read-only share link) only reads; the server refuses the rest. */
      role: z.enum(['operator', 'viewer']),
    }),
    'What engine this is, which workspace it runs on, and what this client may do.',
  ),
  'config.get': method(
    z.object({}).strict(),
    z.object({
      config: WorkspaceConfigSchema,
      file: z.string(),
      /** Set when the file on disk is invalid and the engine runs on the last good version. */
      problem: z.object({ file: z.string(), message: z.string(), problems: z.array(FieldProblemSchema) }).nullable(),
    }),
    'The configuration the engine runs on.',
  ),
  'config.validate': method(
    z.object({ config: z.unknown() }).strict(),
    z.object({ problems: z.array(FieldProblemSchema) }),
    'Check a configuration without saving it; every problem names its field.',
  ),
  'config.save': method(
    z.object({ config: z.unknown() }).strict(),
    z.object({ file: z.string(), history: z.string() }),
    'Validate, save (keeping the previous version in history) and apply a configuration.',
  ),
  'signals.list': method(z.object({}).strict(), z.array(SignalInfoSchema), 'Every configured signal.'),
  'connections.list': method(z.object({}).strict(), z.array(ConnectionStatusSchema), 'Every connection with its state.'),
  'health.get': method(
    z.object({}).strict(),
    z.object({
      connections: z.array(ConnectionStatusSchema),
      groups: z.array(GroupStatsSchema),
      droppedLive: z.number().int(),
      buffer: z
        .object({
          segments: z.number().int(),
          bytes: z.number(),
          droppedSegments: z.number().int(),
          truncatedBytes: z.number(),
          lastFlushAt: z.number(),
          flushErrors: z.number().int(),
          /** While the disk buffer cannot write (a full workspace disk): since when and why. */
          failing: z.object({ since: z.number(), message: z.string() }).nullable().default(null),
          /** Samples of flushes that could not be written. */
          lostSamples: z.number().int().default(0),
        })
        .nullable(),
      /** The recorder's backlog in the disk buffer and its alarm (a full disk); null when not recording. */
      recorder: z
        .object({ backlogBytes: z.number(), alarm: z.string().nullable() })
        .nullable()
        .default(null),
      /** The InfluxDB output (docs/outputs.md), null when none is configured. */
      influx: z
        .object({
          state: z.enum(['sending', 'retrying', 'stopped']),
          url: z.string(),
          points: z.number(),
          rejected: z.number(),
          lastError: z.string().nullable(),
          sentUpTo: z.number().nullable(),
        })
        .nullable()
        .default(null),
    }),
    'Connections, polling groups and the live bus at a glance.',
  ),
  'connections.test': method(
    z.object({ connection: z.unknown(), signals: z.array(z.string().min(1)).max(500).default([]), timeoutMs: z.number().int().min(100).max(60_000).default(5000) }).strict(),
    z.object({
      ok: z.boolean(),
      /** Why the connection itself failed, in words; null when it connected. */
      error: z.string().nullable(),
      values: z.array(z.object({ signal: z.string(), value: z.number().nullable(), quality: z.string(), ts: z.number(), error: z.string().optional() })),
    }),
    'Connect once with these settings and read the given addresses: "Test connection".',
  ),
  'connections.browse': method(
    z.object({ connection: z.unknown(), parent: z.string().nullable().default(null), timeoutMs: z.number().int().min(100).max(60_000).default(3000) }).strict(),
    z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['folder', 'object', 'variable', 'topic', 'tag', 'register']),
        hasChildren: z.boolean(),
        dataType: z.string().optional(),
        access: z.string().optional(),
        description: z.string().optional(),
        sample: z.string().optional(),
      }),
    ),
    'What a device offers under `parent` (OPC UA nodes, MQTT topics heard within the timeout, Logix tags).',
  ),
  'recording.status': method(
    z.object({}).strict(),
    z.object({
      enabled: z.boolean(),
      directory: z.string().nullable(),
      open: z.object({ id: z.string(), coil: z.string().nullable(), openedAt: z.number(), samples: z.number() }).nullable(),
      lastFile: z.object({ id: z.string(), file: z.string(), coil: z.string().nullable(), rows: z.number(), start: z.number(), end: z.number(), status: z.string(), bytes: z.number() }).nullable(),
      files: z.number().int(),
      errors: z.number().int(),
      /**
       * Set while recording cannot keep everything, with what the operator should know; null while it records.
       * `stopped`: the recordings' disk is full, recording waits (the disk buffer keeps the samples).
       * `losing`: the disk buffer's own disk cannot write, so what arrives now is lost.
       */
      alarm: z.object({ message: z.string(), since: z.number(), kind: z.enum(['stopped', 'losing']).default('stopped') }).nullable().default(null),
      /** Bytes of the disk buffer the recorder has not taken yet: grows while it falls behind or is stopped by a full disk. */
      backlogBytes: z.number().default(0),
    }),
    'Whether ParX is recording, the open batch, the last file written, its backlog, and why it stopped if it did.',
  ),
  'recording.command': method(
    z.object({ action: z.enum(['start', 'stop']), reason: z.string().max(200).default('operator') }).strict(),
    z.object({ done: z.boolean() }),
    'Start or stop a batch by hand (manual recording; any rule can be paused and resumed).',
  ),
  'recording.capture': method(
    z.object({ minutes: z.number().min(0.05).max(24 * 60, 'at most 24 hours'), reason: z.string().max(200).default('operator') }).strict(),
    z.object({ file: z.string(), rows: z.number(), start: z.number(), end: z.number() }),
    'Retro-capture: write the last N minutes (from the disk buffer) into a batch file of their own.',
  ),
  'live.subscribe': method(
    z
      .object({
        signals: signalNames,
        maxRate: z.number().min(0.1).max(MAX_LIVE_RATE, `must be at most ${MAX_LIVE_RATE} updates per second`).default(MAX_LIVE_RATE),
      })
      .strict(),
    z.object({ subscription: z.string(), signals: z.array(SignalInfoSchema) }),
    'Receive live samples of these signals as `live.samples` events, at most maxRate batches per second.',
  ),
  'live.unsubscribe': method(z.object({ subscription: z.string().min(1) }).strict(), z.object({ removed: z.boolean() }), 'Stop a subscription.'),
} as const;

/** Each area declares its methods in its own file (analysis.ts, catalog.ts, formulas.ts, dashboards.ts). */
export const methods = { ...coreMethods, ...acquisitionMethods, ...catalogMethods, ...triggerMethods, ...filesMethods, ...analysisMethods, ...formulaMethods, ...dashboardMethods } as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsIn<M extends MethodName> = z.input<Methods[M]['params']>;
export type Params<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
