/**
 * Feeds the recorder from the sample journal: every 250 ms it reads what the journal gained,
 * runs the batching rule over it and carries the decisions out in the recorder worker.
 * The journal cursor travels with every write as the resume point, so after a crash the
 * recorder recovers its open batch and the pump resumes exactly after the last durable
 * sample — nothing acknowledged is lost, nothing is written twice.
 */
import path from 'node:path';
import type { RecordingConfig, SignalInfo, WorkspaceConfig } from '../shared/contract';
import type { SampleBatch } from '../shared/samples';
import type { JournalCursor, SampleJournal } from '../buffer/journal';
import { command, feed, initialState, type BatchingRule, type BatchingState, type Decision } from './batching';
import type { BatchFileInfo } from './batch-file';
import type { BatchDescriptor, SignalDescriptor } from './format';
import { RecorderHost } from './recorder-host';

export interface PumpDeps {
  readonly journal: SampleJournal;
  readonly workspace: string;
  readonly signals: () => readonly SignalInfo[];
  readonly config: () => WorkspaceConfig;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  readonly recorderEntry?: URL | string;
}

export interface RecordingStatus {
  readonly enabled: boolean;
  readonly directory: string;
  readonly open: { readonly id: string; readonly coil: string | null; readonly openedAt: number; readonly samples: number } | null;
  readonly lastFile: BatchFileInfo | null;
  readonly files: number;
  readonly errors: number;
}

const TICK_MS = 250;
const CHECKPOINT_MS = 5000;

/** The rule with signal names resolved to the ids samples carry; null when a named signal is missing. */
function resolveRule(rec: RecordingConfig, signals: readonly SignalInfo[]): BatchingRule | null {
  const r = rec.rule;
  if (r.mode !== 'coil') return r;
  const coil = signals.find((s) => s.name === r.coilSignal);
  return coil ? { mode: 'coil', coilSignal: coil.id, ...(r.maxSamples ? { maxSamples: r.maxSamples } : {}) } : null;
}

function copyRows(b: SampleBatch, from: number, to: number): SampleBatch {
  return { signal: b.signal.slice(from, to), ts: b.ts.slice(from, to), value: b.value.slice(from, to), quality: b.quality.slice(from, to) };
}

export class RecordingPump {
  private state: BatchingState;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private lastCheckpoint = 0;
  private coils = new Map<string, string>();
  private lastFile: BatchFileInfo | null = null;
  private files = 0;
  private errors = 0;
  private stopped = false;

  private constructor(
    private readonly deps: PumpDeps,
    private readonly host: RecorderHost,
    readonly directory: string,
    private rec: RecordingConfig,
    private rule: BatchingRule,
    private cursor: JournalCursor,
  ) {
    this.state = initialState(rule);
  }

  static async start(deps: PumpDeps, rec: RecordingConfig): Promise<RecordingPump> {
    const directory = path.join(deps.workspace, 'recordings');
    const rule = resolveRule(rec, deps.signals());
    if (!rule) throw new Error('recording: the coil signal does not exist');
    const { host, recovery } = await RecorderHost.start(directory, {}, deps.recorderEntry);
    let cursor: JournalCursor | null = null;
    if (recovery.ok) {
      for (const f of recovery.value.recovered) deps.log('warn', `recording: batch ${f.id} was open when ParX stopped; closed as recovered (${f.rows} rows, ${f.file})`);
      for (const p of recovery.value.problems) deps.log('error', `recording: cannot recover ${p.dir}: ${p.message} (left in place)`);
      const resume = recovery.value.checkpoint?.resume;
      if (resume) cursor = JSON.parse(resume) as JournalCursor;
    } else deps.log('error', `recording: recovery failed: ${recovery.error.message}`);
    const pump = new RecordingPump(deps, host, directory, rec, rule, cursor ?? (await deps.journal.end()));
    pump.timer = setInterval(() => void pump.tick(), TICK_MS);
    return pump;
  }

  /** A changed rule, line or compression closes the open batch ("configuration changed") and starts afresh. */
  async configure(rec: RecordingConfig): Promise<void> {
    if (JSON.stringify(rec) === JSON.stringify(this.rec)) return;
    const rule = resolveRule(rec, this.deps.signals());
    if (!rule) return this.deps.log('error', 'recording: the coil signal does not exist; the rule was not changed');
    await this.tick();
    await this.apply(command(this.rule, this.state, { type: 'stop', at: Date.now(), reason: 'configuration changed' }), null);
    this.rec = rec;
    this.rule = rule;
    this.state = initialState(rule);
  }

  /** Manual recording: start or stop a batch now. */
  async command(type: 'start' | 'stop', reason: string): Promise<void> {
    await this.tick();
    await this.apply(command(this.rule, this.state, { type, at: Date.now(), reason }), null);
  }

  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.readJournal()).catch((e: unknown) => {
      this.errors++;
      this.deps.log('error', `recording: ${(e as Error).message}`);
    });
    return this.ticking;
  }

  private async readJournal(): Promise<void> {
    if (this.stopped) return;
    for await (const { batch, cursor } of this.deps.journal.replay(this.cursor)) {
      await this.apply(feed(this.rule, this.state, batch), batch, cursor);
      this.cursor = cursor;
    }
    if (Date.now() - this.lastCheckpoint > CHECKPOINT_MS) {
      this.lastCheckpoint = Date.now();
      await this.host.checkpoint(JSON.stringify(this.cursor));
    }
  }

  private async apply(step: { state: BatchingState; decisions: Decision[] }, batch: SampleBatch | null, after?: JournalCursor): Promise<void> {
    this.state = step.state;
    const resume = after ? JSON.stringify(after) : null;
    for (const d of step.decisions) {
      switch (d.kind) {
        case 'open':
          this.check(await this.host.open(this.descriptor(d.id, d.coil, d.at, d.reason)));
          break;
        case 'write':
          if (batch) this.check(await this.host.append(d.id, copyRows(batch, d.from, d.to), 0, d.to - d.from, d.to === batch.ts.length ? resume : null));
          break;
        case 'tag':
          this.coils.set(d.id, d.coil);
          break;
        case 'close': {
          // Only a coil learnt after opening is passed: otherwise the descriptor's coil stands.
          const tagged = this.coils.get(d.id);
          const closed = await this.host.close(d.id, { closedBy: d.reason, end: d.at, ...(tagged !== undefined ? { coil: tagged } : {}) }, resume);
          this.coils.delete(d.id);
          if (this.check(closed) && closed.ok) {
            this.lastFile = closed.value;
            this.files++;
            this.deps.log('info', `recording: ${closed.value.file} (${closed.value.rows} rows, ${d.reason})`);
          }
          break;
        }
      }
    }
  }

  private check(r: { ok: boolean; error?: { message: string } }): boolean {
    if (!r.ok) {
      this.errors++;
      this.deps.log('error', `recording: ${r.error?.message ?? 'failed'}`);
    }
    return r.ok;
  }

  private descriptor(id: string, coil: string | null, at: number, reason: string): BatchDescriptor {
    const configured = new Map(this.deps.config().signals.map((s) => [s.name, s]));
    const signals = this.deps.signals().map((s): SignalDescriptor & { id: number } => ({
      id: s.id,
      name: s.name,
      unit: s.unit,
      description: s.description,
      source: { connection: s.connection, address: s.address },
      data_type: 'double',
      scale: configured.get(s.name)?.scale ?? 1,
      offset: configured.get(s.name)?.offset ?? 0,
      timebase_ms: s.timebaseMs,
    }));
    const lengthIndex = this.rec.lengthSignal ? { from: 'length' as const, signal: this.rec.lengthSignal } : this.rec.speedSignal ? { from: 'speed' as const, signal: this.rec.speedSignal } : null;
    return { id, line: this.rec.line, coil, start: at, openedBy: reason, signals, lengthIndex, compression: this.rec.compression };
  }

  status(): RecordingStatus {
    const open = this.state.open;
    return {
      enabled: true,
      directory: this.directory,
      open: open ? { id: open.id, coil: open.coil ?? this.coils.get(open.id) ?? null, openedAt: open.openedAt, samples: open.samples } : null,
      lastFile: this.lastFile,
      files: this.files,
      errors: this.errors,
    };
  }

  /** Records what is left, closes the open batch ("ParX stopped") and stops the worker. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    await this.tick();
    await this.apply(command(this.rule, this.state, { type: 'stop', at: Date.now(), reason: 'ParX stopped' }), null);
    await this.host.checkpoint(JSON.stringify(this.cursor));
    this.stopped = true;
    await this.host.stop();
  }
}
