/**
 * The pump's side of the trigger pool: carries the worker's events out as batch files.
 * A start opens a batch from (start − pre): the pre-trigger samples are read again from the
 * journal, which already holds the past; samples then go to every open trigger batch whose
 * window holds their time; a stop fixes the window's end (stop + post), and the batch closes
 * once the data has passed that end by CLOSE_GRACE_MS (slower polls of the same moment have
 * arrived by then). Each trigger's batches are its own files: opened_by and closed_by name
 * the trigger and the condition.
 */
import type { JournalCursor, SampleJournal } from '../../buffer/journal';
import type { OnChangeBand, TriggerConfig } from '../../shared/contract/trigger-config';
import type { Result } from '../../shared/result';
import type { SampleBatch } from '../../shared/samples';
import type { BatchFileInfo } from '../batch-file';
import type { BatchDescriptor } from '../format';
import { safeName, stamp } from '../format';
import type { RecorderHost } from '../recorder-host';
import type { TriggerEvent, TriggerStatus } from './machine';
import type { PoolSignal } from './pool';
import { TriggerHost } from './trigger-host';
import { PreTriggerRing, select, type Window } from './windows';

/** How far the data must have passed a window's end before its batch closes. */
export const CLOSE_GRACE_MS = 1000;

interface OpenTriggerBatch {
  readonly id: string;
  readonly trigger: number;
  window: Window;
  closedBy: string;
  samples: number;
}

export interface TriggerBatchInfo {
  readonly id: string;
  readonly trigger: string;
  readonly from: number;
  readonly until: number | null;
  readonly samples: number;
}

export interface TriggerRecordingDeps {
  readonly recorder: RecorderHost;
  readonly journal: SampleJournal;
  readonly descriptor: (b: { id: string; at: number; reason: string }) => BatchDescriptor;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** A closed batch file, for the pump's status. */
  readonly closed: (file: BatchFileInfo) => void;
  readonly failed: (r: Result<unknown>) => boolean;
  readonly workerEntry?: URL | string;
}

export interface Evaluated {
  /** The on-change filter's verdict (null: no filter). */
  readonly keep: Uint8Array | null;
  readonly events: TriggerEvent[];
}

export class TriggerRecording {
  private readonly ring = new PreTriggerRing<JournalCursor>();
  private readonly open: OpenTriggerBatch[] = [];
  /** The end of each trigger's last batch: its next batch starts after it. */
  private readonly lastEnd: number[];
  private statuses: TriggerStatus[];
  private readonly maxPre: number;
  private clock = -Infinity;
  private lastId = '';

  private constructor(
    private readonly deps: TriggerRecordingDeps,
    private readonly host: TriggerHost,
    private readonly names: string[],
    private readonly triggers: readonly TriggerConfig[],
  ) {
    this.lastEnd = names.map(() => -Infinity);
    this.statuses = names.map((name) => ({ name, state: 'armed', lastStart: null, lastStop: null, batches: 0 }));
    this.maxPre = Math.max(0, ...triggers.map((t) => t.preMs));
  }

  static async start(deps: TriggerRecordingDeps, cfg: { triggers: readonly TriggerConfig[]; onChange: readonly OnChangeBand[]; signals: readonly PoolSignal[] }): Promise<Result<TriggerRecording>> {
    // The pool gets them all (its errors name the configuration's index) and skips the disabled ones, as here.
    const triggers = cfg.triggers.filter((t) => t.enabled);
    const started = await TriggerHost.start({ triggers: cfg.triggers, onChange: cfg.onChange, signals: cfg.signals }, deps.workerEntry);
    if (!started.ok) return started;
    return { ok: true, value: new TriggerRecording(deps, started.value.host, started.value.names, triggers) };
  }

  /** Runs the conditions and the on-change filter over one journal batch (in the worker). */
  async evaluate(batch: SampleBatch): Promise<Result<Evaluated>> {
    const r = await this.host.feed(batch);
    if (!r.ok) return r;
    this.statuses = r.value.status;
    return { ok: true, value: { keep: r.value.keep, events: r.value.events } };
  }

  /**
   * Carries out one journal batch's events and writes its samples (those `record` marks) to
   * the open trigger batches. `before`: the journal position before this batch. Returns
   * whether a batch closed (the pump then checkpoints every open batch).
   */
  async apply(batch: SampleBatch, record: Uint8Array | null, events: readonly TriggerEvent[], before: JournalCursor | undefined): Promise<boolean> {
    for (const e of events) {
      if (e.kind === 'start') await this.openBatch(e.trigger, e.at, e.from, e.reason);
      const b = this.open.findLast((o) => o.trigger === e.trigger);
      if (!b) continue;
      if (e.kind === 'stop') {
        b.window = { ...b.window, until: e.closeAt };
        this.lastEnd[e.trigger] = e.closeAt;
        b.closedBy = `trigger "${this.names[e.trigger]}" stop: ${e.reason}; post-trigger ${this.triggers[e.trigger]?.postMs ?? 0} ms`;
      } else if (e.kind === 'retrigger') b.window = { ...b.window, until: null };
    }
    for (const b of this.open) await this.write(b, batch, record);
    let maxTs = -Infinity;
    for (let i = 0; i < batch.ts.length; i++) if ((batch.ts[i] as number) > maxTs) maxTs = batch.ts[i] as number;
    if (maxTs > this.clock) this.clock = maxTs;
    this.ring.push({ before, maxTs, keep: record });
    this.ring.prune(this.clock - this.maxPre - CLOSE_GRACE_MS);
    let closedAny = false;
    for (const b of [...this.open]) {
      if (b.window.until !== null && this.clock >= b.window.until + CLOSE_GRACE_MS) {
        await this.closeBatch(b, b.closedBy, b.window.until);
        closedAny = true;
      }
    }
    return closedAny;
  }

  private async openBatch(trigger: number, at: number, from: number, reason: string): Promise<void> {
    const name = this.names[trigger] as string;
    const pre = this.triggers[trigger]?.preMs ?? 0;
    // The previous batch of this trigger may still be waiting out the close grace: both stay open, their windows do not overlap.
    let id = `${stamp(at)}_${safeName(name)}`;
    if (id === this.lastId || this.lastId.startsWith(`${id}-`)) id = `${id}-${Number(/-(\d+)$/.exec(this.lastId.slice(id.length))?.[1] ?? 1) + 1}`;
    this.lastId = id;
    const window: Window = { from, after: this.lastEnd[trigger] ?? -Infinity, until: null };
    const opened = await this.deps.recorder.open(this.deps.descriptor({ id, at: Math.max(from, window.after), reason: `trigger "${name}" start: ${reason}; pre-trigger ${pre} ms` }));
    if (!this.deps.failed(opened)) return;
    const b: OpenTriggerBatch = { id, trigger, window, closedBy: `trigger "${name}" stop`, samples: 0 };
    this.open.push(b);
    await this.preTrigger(b);
  }

  /** The pre-trigger samples: journal batches read earlier whose time reaches into the window. */
  private async preTrigger(b: OpenTriggerBatch): Promise<void> {
    const earlier = this.ring.since(b.window.from);
    if (earlier.length === 0) return;
    let k = 0;
    try {
      for await (const { batch } of this.deps.journal.replay(earlier[0]?.before)) {
        if (k >= earlier.length) break;
        await this.write(b, batch, earlier[k]?.keep ?? null);
        k++;
      }
    } catch (e) {
      this.deps.log('warn', `recording: pre-trigger samples of ${b.id} could not be read back from the journal: ${(e as Error).message}`);
    }
  }

  private async write(b: OpenTriggerBatch, batch: SampleBatch, record: Uint8Array | null): Promise<void> {
    const rows = select(batch, b.window, record);
    if (!rows) return;
    b.samples += rows.ts.length;
    // No resume token: with several batches open, only a checkpoint of all of them is a safe resume point.
    this.deps.failed(await this.deps.recorder.append(b.id, rows));
  }

  private async closeBatch(b: OpenTriggerBatch, closedBy: string, end: number): Promise<void> {
    this.open.splice(this.open.indexOf(b), 1);
    this.lastEnd[b.trigger] = Math.max(this.lastEnd[b.trigger] ?? -Infinity, end);
    const closed = await this.deps.recorder.close(b.id, { closedBy, end });
    if (this.deps.failed(closed) && closed.ok) this.deps.closed(closed.value);
  }

  /** Closes every open trigger batch now (configuration changed, ParX stopping) and stops the worker. */
  async stop(reason: string): Promise<void> {
    for (const b of [...this.open]) await this.closeBatch(b, `trigger "${this.names[b.trigger]}": ${reason}`, Math.min(this.clock, b.window.until ?? Infinity));
    await this.host.stop();
  }

  get openCount(): number {
    return this.open.length;
  }

  status(): (TriggerStatus & { open: TriggerBatchInfo | null })[] {
    return this.statuses.map((s, i) => {
      const b = this.open.findLast((o) => o.trigger === i);
      // The worker's machine is ahead: a batch it closed is still open here until the grace has passed.
      return { ...s, open: b ? { id: b.id, trigger: s.name, from: b.window.from, until: b.window.until, samples: b.samples } : null };
    });
  }
}
