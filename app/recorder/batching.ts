/**
 * Batching rules as a pure state machine: fed SampleBatches (and manual commands), it
 * decides when a batch opens and closes and which samples go where. No I/O, so every rule
 * is unit- and property-tested; the recorder host carries the decisions out.
 *
 * Samples are taken in arrival order. A change (coil id, rotation, shift) takes effect at
 * the sample that carries or crosses it: earlier samples stay in the old batch.
 */
import type { SampleBatch } from '../shared/samples';
import { stamp } from './format';
import { nextShiftStart, parseShiftStarts, shiftStartOf } from './shifts';

export type BatchingRule =
  /** One batch after another; a new one at every multiple of `rotateEveryMs` since the epoch (aligned: hourly files start at hh:00) or after `maxSamples`. */
  | { readonly mode: 'continuous'; readonly rotateEveryMs?: number; readonly maxSamples?: number }
  /** A new batch whenever the coil-id signal's value changes (bad or non-finite readings are ignored). */
  | { readonly mode: 'coil'; readonly coilSignal: number; readonly maxSamples?: number }
  /** Only between a start and a stop command; samples outside are not recorded. */
  | { readonly mode: 'manual'; readonly maxSamples?: number }
  /** A new batch at each shift start (`HH:MM`) in the plant's IANA time zone. */
  | { readonly mode: 'shift'; readonly timeZone: string; readonly shiftStarts: readonly string[] };

export interface OpenBatch {
  readonly id: string;
  readonly coil: string | null;
  readonly openedAt: number;
  readonly samples: number;
  /** When the batch rotates by time (continuous, shift); null when it does not. */
  readonly until: number | null;
}

export interface BatchingState {
  readonly open: OpenBatch | null;
  readonly recording: boolean;
  readonly lastId: string | null;
}

export type Decision =
  | { readonly kind: 'open'; readonly id: string; readonly coil: string | null; readonly at: number; readonly reason: string }
  /** Samples [from, to) of the fed batch belong to batch `id`. */
  | { readonly kind: 'write'; readonly id: string; readonly from: number; readonly to: number }
  /** The coil id became known after the batch opened (e.g. the first poll of the slow group came later). */
  | { readonly kind: 'tag'; readonly id: string; readonly coil: string }
  | { readonly kind: 'close'; readonly id: string; readonly at: number; readonly reason: string };

export interface Step {
  readonly state: BatchingState;
  readonly decisions: Decision[];
}

export function initialState(rule: BatchingRule): BatchingState {
  if (rule.mode === 'shift') parseShiftStarts(rule.shiftStarts); // refuse a bad rule up front
  return { open: null, recording: rule.mode !== 'manual', lastId: null };
}

/** Coil ids are integers in the PLC; written without a fraction or exponent. */
export const coilName = (v: number): string => (Number.isInteger(v) ? v.toFixed(0) : String(v));

/** Ids sort by opening time; a second batch in the same millisecond gets a suffix. */
function nextId(at: number, lastId: string | null): string {
  const base = stamp(at);
  if (lastId === null || !lastId.startsWith(base)) return base;
  const n = Number(/-(\d+)$/.exec(lastId.slice(base.length))?.[1] ?? 1);
  return `${base}-${n + 1}`;
}

function untilFor(rule: BatchingRule, at: number): number | null {
  if (rule.mode === 'continuous' && rule.rotateEveryMs) return (Math.floor(at / rule.rotateEveryMs) + 1) * rule.rotateEveryMs;
  if (rule.mode === 'shift') return nextShiftStart(at, parseShiftStarts(rule.shiftStarts), rule.timeZone);
  return null;
}

/** Where the period holding `t` begins: a batch after a gap in the data opens at its own period, not at the missed ones. */
function periodStart(rule: BatchingRule, t: number): number {
  if (rule.mode === 'continuous' && rule.rotateEveryMs) return Math.floor(t / rule.rotateEveryMs) * rule.rotateEveryMs;
  if (rule.mode === 'shift') return shiftStartOf(t, parseShiftStarts(rule.shiftStarts), rule.timeZone);
  return t;
}

class Machine {
  readonly decisions: Decision[] = [];
  private runFrom = -1;

  constructor(
    readonly rule: BatchingRule,
    public state: BatchingState,
  ) {}

  openBatch(at: number, coil: string | null, reason: string): void {
    const id = nextId(at, this.state.lastId);
    this.decisions.push({ kind: 'open', id, coil, at, reason });
    this.state = { ...this.state, open: { id, coil, openedAt: at, samples: 0, until: untilFor(this.rule, at) }, lastId: id };
  }

  closeBatch(at: number, reason: string, i: number): void {
    this.endRun(i);
    const open = this.state.open;
    if (!open) return;
    this.decisions.push({ kind: 'close', id: open.id, at, reason });
    this.state = { ...this.state, open: null };
  }

  /** Sample i goes to the open batch. */
  take(i: number): void {
    if (this.runFrom < 0) this.runFrom = i;
    const open = this.state.open as OpenBatch;
    this.state = { ...this.state, open: { ...open, samples: open.samples + 1 } };
  }

  endRun(i: number): void {
    if (this.runFrom >= 0 && this.state.open && i > this.runFrom) this.decisions.push({ kind: 'write', id: this.state.open.id, from: this.runFrom, to: i });
    this.runFrom = -1;
  }
}

/** Routes one fed batch of samples. */
export function feed(rule: BatchingRule, state: BatchingState, batch: SampleBatch): Step {
  const m = new Machine(rule, state);
  const max = 'maxSamples' in rule && rule.maxSamples ? rule.maxSamples : Infinity;
  for (let i = 0; i < batch.ts.length; i++) {
    const t = batch.ts[i] as number;
    if (!m.state.recording) {
      m.endRun(i);
      continue;
    }
    if (rule.mode === 'coil' && batch.signal[i] === rule.coilSignal && batch.quality[i] !== 3 && Number.isFinite(batch.value[i])) {
      const coil = coilName(batch.value[i] as number);
      const open = m.state.open;
      if (open && open.coil === null) {
        m.decisions.push({ kind: 'tag', id: open.id, coil });
        m.state = { ...m.state, open: { ...open, coil } };
      } else if (open && open.coil !== coil) {
        m.closeBatch(t, `coil id changed to ${coil}`, i);
        m.openBatch(t, coil, `coil id changed to ${coil}`);
      } else if (!open) {
        m.openBatch(t, coil, `coil ${coil} in the line`);
      }
    }
    let open = m.state.open;
    if (open && open.until !== null && t >= open.until) {
      const at = open.until;
      const why = rule.mode === 'shift' ? `shift change at ${stamp(at)}` : `rotation every ${(rule as { rotateEveryMs?: number }).rotateEveryMs} ms`;
      m.closeBatch(at, why, i);
      m.openBatch(periodStart(rule, t), open.coil, why);
    } else if (open && open.samples >= max) {
      m.closeBatch(t, `reached ${max} samples`, i);
      m.openBatch(t, open.coil, `reached ${max} samples`);
    }
    open = m.state.open;
    if (!open) m.openBatch(t, null, rule.mode === 'coil' ? 'recording started, coil id not yet known' : 'recording started');
    m.take(i);
  }
  m.endRun(batch.ts.length);
  return { state: m.state, decisions: m.decisions };
}

/** Manual start/stop (any mode may be stopped and started again; only `manual` starts stopped). */
export function command(rule: BatchingRule, state: BatchingState, cmd: { readonly type: 'start' | 'stop'; readonly at: number; readonly reason: string }): Step {
  const m = new Machine(rule, state);
  if (cmd.type === 'stop') {
    m.closeBatch(cmd.at, cmd.reason, 0);
    m.state = { ...m.state, recording: false };
  } else if (!state.recording) {
    m.state = { ...m.state, recording: true };
    // Manual batches open at the command; the others at their first sample, when the coil or shift is known.
    if (rule.mode === 'manual') m.openBatch(cmd.at, null, cmd.reason);
  }
  return { state: m.state, decisions: m.decisions };
}
