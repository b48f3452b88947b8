/**
 * The trigger state machine (docs/triggers.md), pure: fed the time-ordered transitions of
 * its conditions and the data clock, it decides when each trigger of the pool starts,
 * stops, closes its batch and re-arms.
 *
 *   armed ──start──► active ──stop──► post-trigger ──(clock > stop + post)──► dead-time ──(close + dead)──► armed
 *                       ▲                  │
 *                       └───start again────┘   (a new start within the post window continues the batch)
 *
 * Times are sample times (ms). A condition with a minimum duration fires at onset + minimum
 * duration if it still holds then. A level start fires again after the dead time while it
 * still holds; an edge start fires once per edge.
 */
import type { Transition } from './conditions';

export type TriggerState = 'armed' | 'active' | 'post-trigger' | 'dead-time';

export interface ConditionUse {
  /** Index of the condition (its detector) in the pool. */
  readonly cond: number;
  readonly mode: 'level' | 'edge';
  readonly minDurationMs: number;
  readonly text: string;
}

export interface TriggerSpec {
  readonly name: string;
  readonly start: ConditionUse;
  /** null: a level start stops when it no longer holds; an edge start records its pre/post window only. */
  readonly stop: ConditionUse | null;
  readonly preMs: number;
  readonly postMs: number;
  readonly deadMs: number;
}

export type TriggerEvent =
  | { readonly trigger: number; readonly kind: 'start'; readonly at: number; readonly from: number; readonly reason: string }
  | { readonly trigger: number; readonly kind: 'retrigger'; readonly at: number; readonly reason: string }
  | { readonly trigger: number; readonly kind: 'stop'; readonly at: number; readonly closeAt: number; readonly reason: string }
  | { readonly trigger: number; readonly kind: 'close'; readonly at: number };

export interface Moment {
  readonly at: number;
  readonly reason: string;
}

export interface TriggerStatus {
  readonly name: string;
  readonly state: TriggerState;
  readonly lastStart: Moment | null;
  readonly lastStop: Moment | null;
  readonly batches: number;
}

/** A transition of condition `cond`, for the pool's merged, time-ordered list. */
export interface CondTransition extends Transition {
  readonly cond: number;
}

interface Cond {
  holds: boolean;
  since: number;
  edge: boolean;
}

interface Run {
  state: TriggerState;
  armedAt: number;
  activeSince: number;
  lastFire: number;
  lastStartOnset: number;
  lastStopOnset: number;
  stopAt: number;
  closeAt: number;
  lastStart: Moment | null;
  lastStop: Moment | null;
  batches: number;
}

const fmt = (ms: number): string => `${ms} ms`;

export class TriggerMachine {
  private readonly conds: Cond[];
  private readonly runs: Run[];
  private clock = -Infinity;

  constructor(
    readonly specs: readonly TriggerSpec[],
    conditions: number,
  ) {
    this.conds = Array.from({ length: conditions }, () => ({ holds: false, since: -Infinity, edge: false }));
    this.runs = specs.map(() => ({
      state: 'armed',
      armedAt: -Infinity,
      activeSince: -Infinity,
      lastFire: -Infinity,
      lastStartOnset: -Infinity,
      lastStopOnset: -Infinity,
      stopAt: -Infinity,
      closeAt: -Infinity,
      lastStart: null,
      lastStop: null,
      batches: 0,
    }));
  }

  /** Applies transitions (ascending t) and advances the clock to `now` (the newest sample time seen). */
  advance(transitions: readonly CondTransition[], now: number): TriggerEvent[] {
    const events: TriggerEvent[] = [];
    for (const tr of transitions) {
      this.runUntil(tr.t, events);
      const c = this.conds[tr.cond];
      if (c && c.holds !== tr.holds) Object.assign(c, { holds: tr.holds, since: tr.t, edge: tr.edge });
      else if (c && c.since === -Infinity) Object.assign(c, { holds: tr.holds, since: tr.t, edge: tr.edge });
      this.runUntil(tr.t, events);
    }
    this.runUntil(now, events);
    return events;
  }

  status(): TriggerStatus[] {
    return this.specs.map((s, i) => {
      const r = this.runs[i] as Run;
      return { name: s.name, state: r.state, lastStart: r.lastStart, lastStop: r.lastStop, batches: r.batches };
    });
  }

  /** When `use` fires next, given the earliest allowed time and the onset it must be newer than; null: not pending. */
  private candidate(use: ConditionUse, notBefore: number, onsetAfter: number): number | null {
    const c = this.conds[use.cond] as Cond;
    if (!c.holds) return null;
    if (use.mode === 'edge') return c.edge && c.since > onsetAfter && c.since >= notBefore ? c.since + use.minDurationMs : null;
    return Math.max(c.since + use.minDurationMs, notBefore);
  }

  private runUntil(T: number, events: TriggerEvent[]): void {
    if (T > this.clock) this.clock = T;
    this.runs.forEach((r, i) => {
      // Each step moves the trigger on; the bound only guards against a bug looping forever.
      for (let guard = 0; guard < 10_000 && this.step(i, r, T, events); guard++);
    });
  }

  private step(i: number, r: Run, T: number, events: TriggerEvent[]): boolean {
    const spec = this.specs[i] as TriggerSpec;
    const start = spec.start;
    switch (r.state) {
      case 'armed': {
        const a = this.candidate(start, r.armedAt, start.mode === 'edge' ? r.lastStartOnset : -Infinity);
        if (a === null || a > T || a <= r.lastFire) return false;
        this.fire(i, r, a, events);
        return true;
      }
      case 'active': {
        let a: number | null;
        let reason: string;
        if (spec.stop) {
          a = this.candidate(spec.stop, r.activeSince, spec.stop.mode === 'edge' ? r.lastStopOnset : -Infinity);
          reason = `stop condition: ${spec.stop.text}${spec.stop.minDurationMs ? ` for ${fmt(spec.stop.minDurationMs)}` : ''}`;
        } else {
          const c = this.conds[start.cond] as Cond;
          a = c.holds ? null : Math.max(c.since, r.activeSince);
          reason = `${start.text} no longer holds`;
        }
        if (a === null || a > T) return false;
        if (spec.stop) r.lastStopOnset = (this.conds[spec.stop.cond] as Cond).since;
        this.stop(i, r, a, reason, events);
        return true;
      }
      case 'post-trigger': {
        // Only a fresh onset after the stop continues the batch (an edge must be a real edge).
        const c = this.conds[start.cond] as Cond;
        const again = c.holds && c.since > r.stopAt && (start.mode === 'level' || c.edge) ? c.since + start.minDurationMs : null;
        if (again !== null && again <= r.closeAt && again <= T) {
          r.state = 'active';
          r.activeSince = again;
          r.lastFire = again;
          r.lastStartOnset = (this.conds[start.cond] as Cond).since;
          r.lastStart = { at: again, reason: `${start.text} again within the post-trigger time` };
          events.push({ trigger: i, kind: 'retrigger', at: again, reason: r.lastStart.reason });
          if (start.mode === 'edge' && !spec.stop) this.stop(i, r, again, 'edge recorded (pre/post-trigger window)', events);
          return true;
        }
        if (r.closeAt >= T) return false;
        events.push({ trigger: i, kind: 'close', at: r.closeAt });
        r.state = 'dead-time';
        return true;
      }
      case 'dead-time': {
        const until = r.closeAt + spec.deadMs;
        if (until > T) return false;
        r.state = 'armed';
        r.armedAt = until;
        return true;
      }
    }
  }

  private fire(i: number, r: Run, a: number, events: TriggerEvent[]): void {
    const spec = this.specs[i] as TriggerSpec;
    const c = this.conds[spec.start.cond] as Cond;
    r.state = 'active';
    r.activeSince = a;
    r.lastFire = a;
    r.lastStartOnset = c.since;
    r.batches++;
    const reason = `${spec.start.text}${spec.start.minDurationMs ? ` for ${fmt(spec.start.minDurationMs)}` : ''}`;
    r.lastStart = { at: a, reason };
    events.push({ trigger: i, kind: 'start', at: a, from: a - spec.preMs, reason });
    if (spec.start.mode === 'edge' && !spec.stop) this.stop(i, r, a, 'edge recorded (pre/post-trigger window)', events);
  }

  private stop(i: number, r: Run, a: number, reason: string, events: TriggerEvent[]): void {
    const spec = this.specs[i] as TriggerSpec;
    r.state = 'post-trigger';
    r.stopAt = a;
    r.closeAt = a + spec.postMs;
    r.lastStop = { at: a, reason };
    events.push({ trigger: i, kind: 'stop', at: a, closeAt: r.closeAt, reason });
  }
}
