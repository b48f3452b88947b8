/**
 * Feeds the recorder from the sample journal: every 250 ms it reads what the journal gained,
 * runs the batching rule over it and carries the decisions out in the recorder worker.
 * The journal cursor travels with every write as the resume point, so after a crash the
 * recorder recovers its open batch and the pump resumes exactly after the last durable
 * sample — nothing acknowledged is lost, nothing is written twice.
 */
import type { RecordingConfig, SignalInfo, WorkspaceConfig } from '../shared/contract';
import type { SampleBatch } from '../shared/samples';
import type { JournalCursor, SampleJournal } from '../buffer/journal';
import type { BatchPool } from '../buffer/batch-pool';
import { command, feed, initialState, type BatchingRule, type BatchingState, type Decision } from './batching';
import type { BatchFileInfo } from './batch-file';
import { stamp, type BatchDescriptor, type SignalDescriptor } from './format';
import type { Result } from '../shared/result';
import { RecorderHost } from './recorder-host';
import { compact, recordMask } from './triggers/deadband';
import { TriggerRecording } from './triggers/trigger-batches';
import { recordingsFolder } from './folders';
import { freeBytes, isDiskFull, RESUME_FREE_BYTES } from './disk-full';

export interface PumpDeps {
  readonly journal: SampleJournal;
  readonly workspace: string;
  readonly signals: () => readonly SignalInfo[];
  readonly config: () => WorkspaceConfig;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  readonly recorderEntry?: URL | string;
  /** The trigger worker's entry (bundled builds); the .ts source when absent. */
  readonly triggerEntry?: URL | string;
  /** Told about every batch file written (closed, recovered, captured): the catalog's feed. */
  readonly onFile?: (file: BatchFileInfo) => void;
}

export interface RecordingStatus {
  readonly enabled: boolean;
  readonly directory: string;
  readonly open: { readonly id: string; readonly coil: string | null; readonly openedAt: number; readonly samples: number } | null;
  readonly lastFile: BatchFileInfo | null;
  readonly files: number;
  readonly errors: number;
  /** Why recording stopped by itself (a full disk) or is losing samples (the disk buffer cannot write), in words for the UI's alarm; null while it records. */
  readonly alarm: { readonly message: string; readonly since: number; readonly kind: 'stopped' | 'losing' } | null;
  /** Bytes of the disk buffer not yet recorded: what the journal is holding for the recorder. */
  readonly backlogBytes: number;
}

const TICK_MS = 250;
/** While the disk is full: how often free space is looked at. */
const FULL_RETRY_MS = 2000;
const CHECKPOINT_MS = 5000;
/**
 * Appends sent to the recorder worker before the oldest reply is awaited. The worker handles
 * requests strictly in order (a close or checkpoint sent later is done after them), so keeping
 * some in flight changes no outcome; it lets this thread read and decode the next journal records
 * while the worker appends the previous ones — the two sides take about as long as each other.
 * A failed append is counted when its reply is taken, at the latest when the pump stops.
 */
export const APPENDS_IN_FLIGHT = 8;
/**
 * Closes sent and not yet answered. The worker writes a closed batch's file beside the appends
 * of the next (its batch is whole in staging first), so the pump goes on reading the journal;
 * past this many it waits for the oldest, and the journal absorbs what arrives meanwhile.
 */
export const CLOSES_IN_FLIGHT = 2;

/** What a new batch file will say about itself: line, coil, signals with units and sources, length index. */
export function batchDescriptor(deps: Pick<PumpDeps, 'signals' | 'config'>, rec: RecordingConfig, b: { id: string; coil: string | null; at: number; reason: string }): BatchDescriptor {
  const configured = new Map(deps.config().signals.map((s) => [s.name, s]));
  const signals = deps.signals().map((s): SignalDescriptor & { id: number } => ({
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
  const lengthIndex = rec.lengthSignal ? { from: 'length' as const, signal: rec.lengthSignal } : rec.speedSignal ? { from: 'speed' as const, signal: rec.speedSignal } : null;
  return { id: b.id, line: rec.line, coil: b.coil, start: b.at, openedBy: b.reason, signals, lengthIndex, compression: rec.compression, format: rec.format ?? 'parquet' };
}

/**
 * Retro-capture: "save the last X minutes" after something happened. The journal already
 * holds every recent sample on disk; this copies the last `minutes` of it into a batch file
 * of its own. It reaches back as far as the journal holds (its size bound).
 */
export async function retroCapture(deps: PumpDeps, host: RecorderHost, rec: RecordingConfig, minutes: number, reason: string): Promise<Result<BatchFileInfo>> {
  const now = Date.now();
  const since = now - minutes * 60_000;
  const id = `retro-${stamp(now)}`;
  const opened = await host.open(batchDescriptor(deps, rec, { id, coil: null, at: since, reason: `retro-capture of the last ${minutes} min: ${reason}` }));
  if (!opened.ok) return opened;
  let rows = 0;
  for await (const { batch } of deps.journal.replay()) {
    const keep: number[] = [];
    for (let i = 0; i < batch.ts.length; i++) if ((batch.ts[i] as number) >= since && (batch.ts[i] as number) <= now) keep.push(i);
    if (keep.length === 0) continue;
    const part = {
      signal: Uint32Array.from(keep, (i) => batch.signal[i] as number),
      ts: Float64Array.from(keep, (i) => batch.ts[i] as number),
      value: Float64Array.from(keep, (i) => batch.value[i] as number),
      quality: Uint8Array.from(keep, (i) => batch.quality[i] as number),
    };
    rows += keep.length;
    const appended = await host.append(id, part);
    if (!appended.ok) return appended;
  }
  if (rows === 0) deps.log('warn', `retro-capture: the journal holds no samples from the last ${minutes} min`);
  const closed = await host.close(id, { closedBy: 'retro-capture complete', end: now });
  if (closed.ok) deps.onFile?.(closed.value);
  return closed;
}

/** The rule with signal names resolved to the ids samples carry; null when a named signal is missing. */
function resolveRule(rec: RecordingConfig, signals: readonly SignalInfo[]): BatchingRule | null {
  const r = rec.rule;
  if (r.mode !== 'coil') return r;
  const coil = signals.find((s) => s.name === r.coilSignal);
  return coil ? { mode: 'coil', coilSignal: coil.id, ...(r.maxSamples ? { maxSamples: r.maxSamples } : {}) } : null;
}

/**
 * Where recording resumes after a crash or a full disk: a journal cursor, and `skip` recorded
 * rows of the record there that are already in a closed batch file. A rotation or coil change
 * can fall inside one journal record; the rows before it are in the closed file, those after
 * it only in the next batch's staging — resuming after the whole record would lose them,
 * resuming before it would write the first rows twice.
 */
export interface ResumePoint extends JournalCursor {
  readonly skip?: number;
}

/** Rows [from, to) in arrays of their own: from `pool` when given (their buffers come back from the worker). */
function copyRows(b: SampleBatch, from: number, to: number, pool?: BatchPool): SampleBatch {
  if (!pool) return { signal: b.signal.slice(from, to), ts: b.ts.slice(from, to), value: b.value.slice(from, to), quality: b.quality.slice(from, to) };
  const out = pool.take(to - from);
  out.signal.set(b.signal.subarray(from, to));
  out.ts.set(b.ts.subarray(from, to));
  out.value.set(b.value.subarray(from, to));
  out.quality.set(b.quality.subarray(from, to));
  return out;
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
  /** The trigger pool and on-change filter, when the recording configures any. */
  private triggers: TriggerRecording | undefined;
  /** Journal batches decode into the recorder host's pool: the worker sends their buffers back after each append. */
  private readonly alloc = (n: number): SampleBatch => this.host.pool.take(n);
  /** Ids of the signals recorded (recording.signals); null = all. */
  private selected: Set<number> | null = null;
  private closedSinceCheckpoint = false;
  /** Appends sent and not yet answered, oldest first (see APPENDS_IN_FLIGHT). */
  private inFlight: Promise<Result<null>>[] = [];
  /** Closes sent and not yet answered, oldest first (see CLOSES_IN_FLIGHT); each handles its own reply. */
  private closing: Promise<void>[] = [];
  /**
   * Set when the recordings' disk is full. Recording then stops the way a crash would, but
   * cleanly: the worker stops with its batches staged, nothing more is read from the journal
   * (which keeps the samples), and once space returns the worker starts again, recovers the
   * interrupted batch (`recovered`) and the pump resumes at its last durable sample.
   */
  private full: { message: string; since: number; halted: boolean } | null = null;
  private fullTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly deps: PumpDeps,
    private host: RecorderHost,
    readonly directory: string,
    private rec: RecordingConfig,
    private rule: BatchingRule,
    private cursor: JournalCursor,
    /** Recorded rows of the first record read that a closed batch already holds (see ResumePoint). */
    private skip = 0,
  ) {
    this.state = initialState(rule);
  }

  static async start(deps: PumpDeps, rec: RecordingConfig): Promise<RecordingPump> {
    const directory = recordingsFolder(deps.workspace, rec.destination);
    const rule = resolveRule(rec, deps.signals());
    if (!rule) throw new Error('recording: the coil signal does not exist');
    const { host, cursor } = await startRecorder(deps, directory, 'when ParX stopped');
    const pump = new RecordingPump(deps, host, directory, rec, rule, cursor ? journalCursor(cursor) : await deps.journal.end(), cursor?.skip ?? 0);
    await pump.startTriggers(rec);
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
    await this.closesDone();
    await this.triggers?.stop('configuration changed');
    this.rec = rec;
    this.rule = rule;
    this.state = initialState(rule);
    await this.startTriggers(rec);
  }

  /** Starts the trigger worker when the recording has triggers or an on-change filter; a refused configuration is logged. */
  private async startTriggers(rec: RecordingConfig): Promise<void> {
    this.triggers = undefined;
    const signals = this.deps.signals();
    this.selected = rec.signals ? new Set(signals.filter((s) => rec.signals?.includes(s.name)).map((s) => s.id)) : null;
    if (!rec.triggers?.length && !rec.onChange?.length) return;
    const started = await TriggerRecording.start(
      {
        recorder: this.host,
        journal: this.deps.journal,
        descriptor: (b) => this.descriptor(b.id, null, b.at, b.reason),
        log: this.deps.log,
        closed: (file) => this.fileClosed(file),
        failed: (r) => this.check(r),
        ...(this.deps.triggerEntry ? { workerEntry: this.deps.triggerEntry } : {}),
      },
      { triggers: rec.triggers ?? [], onChange: rec.onChange ?? [], signals },
    );
    if (started.ok) this.triggers = started.value;
    else this.check(started);
  }

  private fileClosed(file: BatchFileInfo): void {
    this.closedSinceCheckpoint = true;
    this.lastFile = file;
    this.files++;
    this.deps.onFile?.(file);
    this.deps.log('info', `recording: ${file.file} (${file.rows} rows)`);
  }

  /**
   * One journal batch: the trigger worker judges it (conditions, on-change filter), the
   * batching rule gets the recorded samples, the trigger pool its windows. With a pool, only
   * a checkpoint of every open batch moves the resume point (after any close, and every 5 s).
   */
  private async record(batch: SampleBatch, before: JournalCursor, after: JournalCursor): Promise<void> {
    const judged = this.triggers ? await this.triggers.evaluate(batch) : null;
    if (judged && !judged.ok) this.check(judged);
    const keep = recordMask(batch, judged?.ok ? judged.value.keep : null, this.selected);
    let recorded = compact(batch, keep);
    if (this.skip > 0) {
      recorded = copyRows(recorded, Math.min(this.skip, recorded.ts.length), recorded.ts.length);
      this.skip = 0;
    }
    // The pump may hand `recorded` itself to the worker unless the trigger pool still reads the journal batch afterwards.
    const owned = recorded !== batch || !this.triggers;
    await this.apply(feed(this.rule, this.state, recorded), recorded, after, before, owned);
    if (this.triggers && judged?.ok) await this.triggers.apply(batch, keep, judged.value.events, before);
    if (this.triggers && this.closedSinceCheckpoint) {
      this.closedSinceCheckpoint = false;
      this.lastCheckpoint = Date.now();
      this.check(await this.host.checkpoint(JSON.stringify(after)));
    }
  }

  /** Each trigger's state, last start and stop, batches opened (empty without triggers). */
  triggerStatus(): ReturnType<TriggerRecording['status']> {
    return this.triggers?.status() ?? [];
  }

  /** Manual recording: start or stop a batch now. */
  async command(type: 'start' | 'stop', reason: string): Promise<void> {
    await this.tick();
    await this.apply(command(this.rule, this.state, { type, at: Date.now(), reason }), null);
    await this.closesDone();
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
    if (this.full) return this.halt();
    for await (const { batch, cursor } of this.deps.journal.replay(this.cursor, this.alloc)) {
      await this.record(batch, this.cursor, cursor);
      this.cursor = cursor;
      if (this.full) return this.halt();
    }
    if (Date.now() - this.lastCheckpoint > CHECKPOINT_MS) {
      this.lastCheckpoint = Date.now();
      await this.host.checkpoint(JSON.stringify(this.cursor));
    }
  }

  private async apply(step: { state: BatchingState; decisions: Decision[] }, batch: SampleBatch | null, after?: JournalCursor, before?: JournalCursor, owned = false): Promise<void> {
    this.state = step.state;
    // Read before a write may transfer the batch's arrays away (a transferred array reads as empty).
    const rows = batch?.ts.length ?? 0;
    // A batch owned here and written whole, once, goes to the worker as it is: no copy, and its buffers return to the pool.
    const whole = owned && step.decisions.filter((d) => d.kind === 'write').length === 1;
    // With a trigger pool several batches may be open: no single write or close may move the resume point.
    const pooled = this.triggers !== undefined;
    // A command (stop, configuration change) has no batch of its own: everything read so far is
    // processed, so the pump's cursor is the resume point. Null here made a crash after a manual
    // stop resume at the journal's end, losing what came in between.
    const resume = pooled ? undefined : JSON.stringify(after ?? this.cursor);
    /** Rows of `batch` sent to batches so far in this step: those a close takes with it. */
    let consumed = 0;
    for (const d of step.decisions) {
      switch (d.kind) {
        case 'open':
          this.check(await this.host.open(this.descriptor(d.id, d.coil, d.at, d.reason)));
          break;
        case 'write':
          if (batch) {
            const rowsOut = whole && d.from === 0 && d.to === rows ? batch : copyRows(batch, d.from, d.to, this.host.pool);
            await this.send(this.host.append(d.id, rowsOut, 0, d.to - d.from, d.to === rows ? resume : pooled ? undefined : null));
          }
          consumed = d.to;
          break;
        case 'tag':
          this.coils.set(d.id, d.coil);
          // Staged at once: a crash before the close still names the recovered file with the coil.
          this.check(await this.host.tag(d.id, d.coil));
          break;
        case 'close': {
          // Only a coil learnt after opening is passed: otherwise the descriptor's coil stands.
          const tagged = this.coils.get(d.id);
          // Rows of this record after the close go to the next batch, not yet durable: resume inside the record.
          const partial = batch && before && !pooled && consumed < rows;
          const closeResume = partial ? JSON.stringify({ ...before, skip: consumed } satisfies ResumePoint) : resume;
          const reply = this.host.close(d.id, { closedBy: d.reason, end: d.at, ...(tagged !== undefined ? { coil: tagged } : {}) }, closeResume);
          // Reported in the order the batches closed, even if a later file is written first.
          const closing = (this.closing[this.closing.length - 1] ?? Promise.resolve()).then(() => reply).then((closed) => {
            if (this.check(closed) && closed.ok) {
              this.closedSinceCheckpoint = true;
              this.lastFile = closed.value;
              this.files++;
              this.deps.onFile?.(closed.value);
              this.deps.log('info', `recording: ${closed.value.file} (${closed.value.rows} rows, ${d.reason})`);
            }
          }).catch((e: unknown) => void this.check({ ok: false, error: { message: (e as Error).message } }));
          this.coils.delete(d.id);
          this.closing.push(closing);
          while (this.closing.length > CLOSES_IN_FLIGHT) await this.closing.shift();
          break;
        }
      }
    }
  }

  /** Keeps an append in flight; waits for the oldest once APPENDS_IN_FLIGHT are outstanding. */
  private async send(append: Promise<Result<null>>): Promise<void> {
    this.inFlight.push(append);
    while (this.inFlight.length > APPENDS_IN_FLIGHT) this.check(await this.inFlight.shift()!);
  }

  /** Waits for every append in flight and counts its failures. */
  private async settle(): Promise<void> {
    while (this.inFlight.length > 0) this.check(await this.inFlight.shift()!);
  }

  /** Waits until every close sent has its file written (and reported). */
  private async closesDone(): Promise<void> {
    while (this.closing.length > 0) await this.closing.shift();
  }

  private check(r: { ok: boolean; error?: { message: string } }): boolean {
    if (r.ok) return true;
    const message = r.error?.message ?? 'failed';
    if (isDiskFull(message) || (this.full && /no open batch|worker (exited|is not running)/.test(message))) {
      // Said once, as an alarm; what fails after it while the worker stops is its consequence.
      if (!this.full) {
        this.full = { message, since: Date.now(), halted: false };
        this.errors++;
        this.deps.log('error', `recording stopped: the disk under ${this.directory} is full (${message}); the disk buffer keeps the samples and recording resumes by itself when space returns`);
      }
      return false;
    }
    this.errors++;
    this.deps.log('error', `recording: ${message}`);
    return false;
  }

  /**
   * The disk is full: wait for what is in flight, stop the trigger pool and the worker with
   * every batch staged (as a crash would leave them, but cleanly), then look for space.
   */
  private async halt(): Promise<void> {
    const full = this.full;
    if (!full || full.halted) return;
    full.halted = true;
    await this.settle();
    await this.closesDone();
    await this.triggers?.stop('disk full').catch(() => undefined);
    this.triggers = undefined;
    await this.host.stop();
    this.scheduleResume();
  }

  private scheduleResume(): void {
    if (this.stopped) return;
    this.fullTimer = setTimeout(() => {
      // A worker that cannot start is one more try later, never the end of recording.
      this.ticking = this.ticking
        .then(() => this.resume())
        .catch((e: unknown) => {
          this.deps.log('error', `recording: restarting after a full disk failed: ${(e as Error).message}; trying again`);
          this.scheduleResume();
        });
    }, FULL_RETRY_MS);
  }

  /** Space again: the worker recovers the interrupted batch and the pump goes on from its resume point. */
  private async resume(): Promise<void> {
    if (this.stopped || !this.full) return;
    const free = await freeBytes(this.directory);
    if (free !== null && free < RESUME_FREE_BYTES) return this.scheduleResume();
    const { host, cursor, full } = await startRecorder(this.deps, this.directory, 'when the disk filled up');
    if (full) {
      await host.stop();
      return this.scheduleResume();
    }
    this.host = host;
    if (cursor) {
      this.cursor = journalCursor(cursor);
      this.skip = cursor.skip ?? 0;
    }
    this.state = initialState(this.rule);
    this.coils.clear();
    await this.startTriggers(this.rec);
    const stoppedFor = Math.round((Date.now() - this.full.since) / 1000);
    this.full = null;
    this.deps.log('info', `recording resumed after ${stoppedFor} s with a full disk; the samples of that time come from the disk buffer`);
  }

  private descriptor(id: string, coil: string | null, at: number, reason: string): BatchDescriptor {
    return batchDescriptor(this.deps, this.rec, { id, coil, at, reason });
  }

  /** Retro-capture through this pump's recorder worker (one owner of the recordings folder). */
  capture(minutes: number, reason: string): Promise<Result<BatchFileInfo>> {
    return retroCapture(this.deps, this.host, this.rec, minutes, reason);
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
      alarm: this.full
        ? { message: `Recording stopped: the disk under ${this.directory} is full (${this.full.message}). The disk buffer keeps the samples; recording resumes by itself when space returns.`, since: this.full.since, kind: 'stopped' }
        : this.bufferAlarm(),
      backlogBytes: this.deps.journal.bytesAfter(this.cursor),
    };
  }

  /** The disk buffer in front of the recorder cannot write (its own disk is full): what arrives now is lost, not recorded. */
  private bufferAlarm(): RecordingStatus['alarm'] {
    const failing = this.deps.journal.stats().failing;
    return failing ? { message: `Samples are being lost: the disk buffer under ${this.deps.journal.dir} cannot write (${failing.message}). Recording goes on with what arrives once it can.`, since: failing.since, kind: 'losing' } : null;
  }

  /** Records what is left, closes the open batch ("ParX stopped") and stops the worker. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    clearTimeout(this.fullTimer);
    if (this.full) {
      // Stopped while the disk is full: the worker is already down, its batches staged for the next start.
      this.stopped = true;
      await this.ticking;
      await this.host.stop();
      return;
    }
    await this.tick();
    await this.apply(command(this.rule, this.state, { type: 'stop', at: Date.now(), reason: 'ParX stopped' }), null);
    await this.triggers?.stop('ParX stopped');
    await this.settle();
    await this.closesDone();
    await this.host.checkpoint(JSON.stringify(this.cursor));
    this.stopped = true;
    await this.host.stop();
  }
}

/**
 * Starts the recorder worker, which first recovers batches left open (closed as `recovered`),
 * and returns where the journal is to be read from (its last checkpoint). `full`: recovery ran
 * into a full disk again (the batches stay staged).
 */
async function startRecorder(deps: PumpDeps, directory: string, when: string): Promise<{ host: RecorderHost; cursor: ResumePoint | null; full: boolean }> {
  const { host, recovery } = await RecorderHost.start(directory, {}, deps.recorderEntry);
  let cursor: ResumePoint | null = null;
  let full = false;
  if (recovery.ok) {
    for (const f of recovery.value.recovered) {
      deps.log('warn', `recording: batch ${f.id} was open ${when}; closed as recovered (${f.rows} rows, ${f.file})`);
      deps.onFile?.(f);
    }
    for (const p of recovery.value.problems) {
      full ||= isDiskFull(p.message);
      deps.log('error', `recording: cannot recover ${p.dir}: ${p.message} (left in place)`);
    }
    const resume = recovery.value.checkpoint?.resume;
    if (resume) cursor = JSON.parse(resume) as ResumePoint;
  } else {
    full = isDiskFull(recovery.error.message);
    deps.log('error', `recording: recovery failed: ${recovery.error.message}`);
  }
  return { host, cursor, full };
}

function journalCursor(p: ResumePoint): JournalCursor {
  return { segment: p.segment, offset: p.offset };
}
