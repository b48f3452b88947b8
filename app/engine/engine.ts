/**
 * The engine: workspace configuration, signal registry, collector worker and live bus,
 * composed in one place. Transports (Electron IPC, the WebSocket server, the CLI) connect
 * clients; every request goes through the contract's validation before a handler runs.
 */
import { EventEmitter } from 'node:events';
import {
  RecordingSchema,
  validateRequest,
  type ConnectionStatus,
  type EventName,
  type EventPayload,
  type GroupStats,
  type MethodName,
  type WorkspaceConfig,
} from '../shared/contract';
import { parxError, toParxError, type ParxError, type Result } from '../shared/result';
import { CollectorHost } from '../collector/collector-host';
import { planAcquisition, type GroupPlan } from '../collector/planner';
import type { CollectorPlan } from '../collector/messages';
import { ConfigStore, type ConfigProblem } from '../workspace/config-store';
import { SampleJournal, type JournalOptions } from '../buffer/journal';
import { RecordingPump, retroCapture } from '../recorder/pump';
import { RecorderHost } from '../recorder/recorder-host';
import type { BatchFileInfo } from '../recorder/batch-file';
import path from 'node:path';
import { LiveBus } from './live-bus';
import { InfluxOutput } from '../outputs/influx-output';
import { SignalRegistry } from './signal-registry';
import { DerivedSignals } from './derived-signals';
import { HANDLERS } from './handlers';
import { noticeUntrustedCertificate } from './certificate-watch';
import { useWorkspaceTrustStore } from '../drivers/opcua/pki-dir';
import { PARX_VERSION } from './version';
import { Storage } from '../recorder/storage';
import { recordingsFolder } from '../recorder/folders';
import { startAlarms, stopAlarms } from '../dashboards/engine-alarms';
import { analysisOf } from '../analysis/engine-analysis';

export type EngineMode = 'electron' | 'browser' | 'node';

export interface EngineOptions {
  readonly workspace: string;
  readonly mode: EngineMode;
  /** The bundled collector worker file in an Electron build; source (via tsx) otherwise. */
  readonly collectorEntry?: URL | string;
  /** The disk-backed sample buffer (workspace/buffer); on unless switched off (e.g. a throwaway engine in a benchmark). */
  readonly buffer?: Partial<JournalOptions> | false;
  /** The bundled recorder worker in an Electron build; source (via tsx) otherwise. */
  readonly recorderEntry?: URL | string;
  /** The trigger worker's entry (bundled builds); the .ts source when absent. */
  readonly triggerEntry?: URL | string;
  /** The catalog worker's entry (bundled builds); the .ts source when absent. */
  readonly catalogEntry?: URL | string;
  /** Batch file type for this run, over the configuration's (`parx record --format`). */
  readonly recordingFormat?: 'parquet' | 'csv' | 'duckdb';
}

/** What a transport provides for one connected UI or program. */
export interface EngineClient {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  busy(): boolean;
  /** A read-only viewer (browser mode's share link); absent = operator. The server enforces it; engine.info reports it so the page hides what would be refused. */
  readonly role?: 'operator' | 'viewer';
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export class ClientSession {
  readonly subscriptions = new Map<string, () => void>();

  constructor(
    readonly engine: Engine,
    readonly client: EngineClient,
    private readonly onDispose: (s: ClientSession) => void,
  ) {}

  /** Never throws: bad input and handler failures come back as Result errors. */
  async call(method: unknown, params: unknown): Promise<Result<unknown>> {
    const request = validateRequest(method, params);
    if (!request.ok) return request;
    const handler = HANDLERS[request.value.method] as (p: unknown, s: ClientSession) => Promise<Result<unknown>>;
    try {
      return await handler(request.value.params, this);
    } catch (e) {
      return { ok: false, error: toParxError(e) };
    }
  }

  dispose(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.onDispose(this);
  }
}

export class Engine extends EventEmitter<{ log: [LogLine] }> {
  readonly registry = new SignalRegistry();
  readonly bus = new LiveBus();
  /** Derived signals evaluated live from their inputs, published on the bus under their own ids. */
  readonly derived = new DerivedSignals({ bus: this.bus, registry: this.registry, journal: () => this.journal, log: (l, m) => this.log(l, m) });
  readonly store: ConfigStore;
  readonly startedAt = Date.now();
  /** Set by `parx serve`: the read-only token of share links, which the operator's page puts in them. */
  viewerToken: string | null = null;
  readonly version = PARX_VERSION;
  private readonly sessions = new Set<ClientSession>();
  private readonly statuses = new Map<string, ConnectionStatus>();
  private groups: GroupStats[] = [];
  private planned: { config: WorkspaceConfig; groups: readonly GroupPlan[] } | undefined;
  private collector: CollectorHost | undefined;
  /** Every sample, on disk, for consumers that must not lose any (the recorder, publishers). */
  journal: SampleJournal | undefined;
  /** Recording to Parquet batch files, while the configuration enables it. */
  recording: RecordingPump | undefined;
  /** The catalog of batch files and the retention job, once recording is configured (app/recorder/storage.ts). */
  storage: Storage | undefined;
  /** Recorded samples published to InfluxDB, while `outputs.influx` is configured and enabled. */
  influx: InfluxOutput | undefined;
  config: WorkspaceConfig = { version: 1, connections: [], signals: [] };
  configProblem: ConfigProblem | null = null;

  private constructor(readonly options: EngineOptions) {
    super();
    this.store = new ConfigStore(options.workspace);
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    // "Test connection" and browsing (in this process) trust what the collector trusts.
    useWorkspaceTrustStore(options.workspace);
    if (options.buffer !== false) {
      engine.journal = await SampleJournal.open(path.join(options.workspace, 'buffer'), options.buffer ?? {}, (m) => engine.log('error', m));
    }
    engine.collector = new CollectorHost(
      {
        samples: (b) => {
          // Journal first: it copies the batch into its record, so the bus may hand the arrays on.
          engine.journal?.append(b);
          engine.bus.publish(b);
        },
        status: (s) => {
          engine.statuses.set(s.name, s);
          engine.broadcast('connection.state', s);
          noticeUntrustedCertificate(engine, s);
        },
        stats: (g, connections) => {
          engine.groups = g;
          for (const c of connections) if (engine.statuses.has(c.name)) engine.statuses.set(c.name, c);
        },
        log: (level, message) => engine.log(level, message),
      },
      options.collectorEntry,
      // Certificates the OPC UA client trusts live in the workspace it runs on.
      { ...process.env, PARX_PKI_DIR: process.env.PARX_PKI_DIR ?? path.join(options.workspace, 'pki', 'opcua') },
    );
    const loaded = await engine.store.load();
    engine.configProblem = loaded.problem;
    if (loaded.problem) engine.log('error', `${loaded.problem.message} — running on ${loaded.source || 'an empty configuration'}; nothing was overwritten`);
    await engine.apply(loaded.config);
    await startAlarms(engine);
    return engine;
  }

  log(level: LogLine['level'], message: string): void {
    this.emit('log', { level, message });
  }

  connect(client: EngineClient): ClientSession {
    const session = new ClientSession(this, client, (s) => this.sessions.delete(s));
    this.sessions.add(session);
    return session;
  }

  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const s of this.sessions) s.client.emit(event, payload);
  }

  /** Makes `config` the running configuration: registry first, then the collector. */
  async apply(config: WorkspaceConfig): Promise<Result<null, ParxError>> {
    this.config = config;
    this.registry.apply(config);
    this.derived.apply(config);
    const names = new Set(config.connections.map((c) => c.name));
    for (const name of this.statuses.keys()) if (!names.has(name)) this.statuses.delete(name);
    const plan: CollectorPlan = {
      connections: config.connections,
      signals: this.registry.acquired().map((s) => {
        const c = config.signals.find((x) => x.name === s.name);
        return { id: s.id, connection: s.connection, address: s.address, scale: c?.scale ?? 1, offset: c?.offset ?? 0, timebaseMs: s.timebaseMs };
      }),
    };
    const collector = this.collector;
    if (!collector) return { ok: true, value: null };
    const configured = await collector.configure(plan);
    await this.applyRecording(config);
    await this.applyOutputs(config);
    return configured;
  }

  /** Starts, restarts (on a changed setting) or stops the InfluxDB output; it reads the journal. */
  private async applyOutputs(config: WorkspaceConfig): Promise<void> {
    const want = config.outputs?.influx;
    if (this.influx && (!want?.enabled || !this.influx.sameAs(want))) {
      const old = this.influx;
      this.influx = undefined;
      await old.stop();
    }
    if (!want?.enabled || this.influx) return;
    if (!this.journal) {
      this.log('error', 'the InfluxDB output reads the disk buffer, which this engine runs without');
      return;
    }
    this.influx = await InfluxOutput.start(
      { journal: this.journal, workspace: this.options.workspace, signals: () => this.registry.recorded(), line: () => this.config.recording?.line, log: (l, m) => this.log(l, m) },
      want,
    );
  }

  /** Starts, reconfigures or stops the recorder to match the configuration; recording needs the journal. */
  private async applyRecording(config: WorkspaceConfig): Promise<void> {
    const rec = config.recording && this.options.recordingFormat ? { ...config.recording, format: this.options.recordingFormat } : config.recording;
    try {
      if (rec && !this.storage) {
        this.storage = Storage.start({ workspace: this.options.workspace, catalogEntry: this.options.catalogEntry, config: () => this.config, log: (l, m) => this.log(l, m), openBatches: () => (this.recording?.status().open ? [this.recording.status().open?.id ?? ''] : []) });
      }
      if (rec?.enabled && this.journal) {
        if (this.recording) await this.recording.configure(rec);
        else
          this.recording = await RecordingPump.start(
            { journal: this.journal, workspace: this.options.workspace, signals: () => this.registry.recorded(), config: () => this.config, log: (l, m) => this.log(l, m), recorderEntry: this.options.recorderEntry, triggerEntry: this.options.triggerEntry, onFile: (f) => this.fileWritten(f) },
            rec,
          );
      } else if (this.recording) {
        const pump = this.recording;
        this.recording = undefined;
        await pump.stop();
      }
    } catch (e) {
      this.log('error', `recording could not start: ${(e as Error).message}`);
    }
  }

  /** A batch file written (closed, recovered, captured): into the catalog, and its min/max pyramid built for its first trend. */
  private fileWritten(f: BatchFileInfo): void {
    this.storage?.fileClosed(f);
    void analysisOf(this).pyramidAtClose(f.file, (l, m) => this.log(l, m));
  }

  /**
   * Retro-capture the last `minutes` from the journal. Through the running recorder when
   * recording is on (one owner of the recordings folder); otherwise a recorder started for it.
   */
  async capture(minutes: number, reason: string): Promise<Result<BatchFileInfo, ParxError>> {
    if (this.recording) return this.recording.capture(minutes, reason);
    const journal = this.journal;
    if (!journal) return { ok: false, error: parxError('invalid-request', 'this engine runs without a disk buffer, so there is nothing to capture') };
    const rec = RecordingSchema.parse({ ...(this.config.recording ?? {}), enabled: false });
    const { host } = await RecorderHost.start(recordingsFolder(this.options.workspace, rec.destination), {}, this.options.recorderEntry);
    try {
      return await retroCapture({ journal, workspace: this.options.workspace, signals: () => this.registry.recorded(), config: () => this.config, log: (l, m) => this.log(l, m), onFile: (f) => this.fileWritten(f) }, host, rec, minutes, reason);
    } finally {
      await host.stop();
    }
  }

  connectionStatuses(): ConnectionStatus[] {
    return this.config.connections.map(
      (c) =>
        this.statuses.get(c.name) ?? {
          name: c.name,
          protocol: c.protocol,
          endpoint: '',
          state: c.enabled ? 'connecting' : 'disabled',
          lastError: null,
          since: this.startedAt,
          reconnects: 0,
          nextRetryMs: null,
          reads: 0,
          errors: 0,
        },
    );
  }

  /** The acquisition planner's view of the running configuration, computed once per configuration. */
  plan(): readonly GroupPlan[] {
    if (this.planned?.config !== this.config) this.planned = { config: this.config, groups: planAcquisition(this.config) };
    return this.planned.groups;
  }

  /** Measured statistics from the collector, each beside the planner's prediction for its group. */
  groupStats(): GroupStats[] {
    const plan = this.plan();
    return this.groups.map((g) => {
      const p = plan.find((x) => x.connection === g.connection && x.timebaseMs === g.timebaseMs);
      return { ...g, predictedCycleMs: p && p.verdict !== 'push' && p.verdict !== 'invalid' ? p.predictedCycleMs : null };
    });
  }

  async stop(): Promise<void> {
    for (const s of [...this.sessions]) s.dispose();
    this.derived.dispose();
    this.bus.dispose();
    await this.collector?.stop();
    await this.recording?.stop();
    await this.influx?.stop();
    await this.storage?.stop();
    await this.journal?.close();
    await stopAlarms(this);
  }
}

export type { MethodName };
