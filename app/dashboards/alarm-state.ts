/**
 * The state of one alarm, sample by sample, as a pure function: the condition with its
 * deadband (hysteresis, so a value hovering at the limit does not chatter), then the
 * on-delay (the condition must hold that long before the alarm is raised). A sample
 * without a value (NaN: bad quality, a gap) changes nothing: no data is not "in limits".
 */
import type { LimitAlarm } from '../shared/dashboards/alarm-schema';

export interface AlarmRuntime {
  /** The condition, after the deadband. */
  readonly holding: boolean;
  /** Since when the condition holds while the on-delay runs; null when not waiting. */
  readonly pendingSince: number | null;
  /** Raised and not yet cleared. */
  readonly active: boolean;
}

export const IDLE: AlarmRuntime = { holding: false, pendingSince: null, active: false };

export type AlarmChange = 'raise' | 'clear' | null;

/** A limit condition with hysteresis: it starts past the setpoint and ends only past setpoint ∓ deadband. */
export function limitHolds(def: Pick<LimitAlarm, 'direction' | 'setpoint' | 'deadband'>, wasHolding: boolean, value: number): boolean {
  if (def.direction === 'hi') return wasHolding ? value > def.setpoint - def.deadband : value > def.setpoint;
  return wasHolding ? value < def.setpoint + def.deadband : value < def.setpoint;
}

/** Advances the alarm to time `t` with the condition `holds` (after deadband). */
export function stepAlarm(s: AlarmRuntime, holds: boolean, t: number, onDelayMs: number): { next: AlarmRuntime; change: AlarmChange } {
  if (!holds) {
    const next: AlarmRuntime = { holding: false, pendingSince: null, active: false };
    return { next, change: s.active ? 'clear' : null };
  }
  if (s.active) return { next: { holding: true, pendingSince: null, active: true }, change: null };
  const since = s.holding && s.pendingSince !== null ? s.pendingSince : t;
  if (t - since >= onDelayMs) return { next: { holding: true, pendingSince: null, active: true }, change: 'raise' };
  return { next: { holding: true, pendingSince: since, active: false }, change: null };
}

/** One sample of a limit alarm's signal. */
export function stepLimit(s: AlarmRuntime, def: Pick<LimitAlarm, 'direction' | 'setpoint' | 'deadband' | 'onDelayMs'>, t: number, value: number): { next: AlarmRuntime; change: AlarmChange } {
  if (Number.isNaN(value)) return { next: s, change: null };
  return stepAlarm(s, limitHolds(def, s.holding, value), t, def.onDelayMs);
}

/** One output sample of a formula alarm: true (non-zero) while the condition holds. */
export function stepFormula(s: AlarmRuntime, onDelayMs: number, t: number, value: number): { next: AlarmRuntime; change: AlarmChange } {
  if (Number.isNaN(value)) return { next: s, change: null };
  return stepAlarm(s, value !== 0, t, onDelayMs);
}
