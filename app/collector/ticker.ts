/**
 * A drift-free periodic clock for one polling group: tick k is due at start + k·period,
 * whatever the previous tick cost. Lateness against that grid is the cycle jitter we report.
 * A tick that comes more than a period late skips the missed slots (counted as overruns)
 * instead of firing a burst to catch up.
 */
import { nowMs } from './stats';

export interface Tick {
  readonly dueMs: number;
  readonly firedMs: number;
  /** Slots skipped because the thread was busy for longer than a period. */
  readonly skipped: number;
}

export interface Ticker {
  stop(): void;
}

/** setTimeout fires ~1 ms late on average; aiming this much early and then waiting out the rest keeps p99 lateness low. */
const EARLY_MS = 1;

export function startTicker(periodMs: number, onTick: (tick: Tick) => void, clock: () => number = nowMs): Ticker {
  const start = clock();
  let k = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // Only worth a spin where a millisecond is a small part of the period.
  const early = periodMs >= 5 ? EARLY_MS : 0;
  const schedule = (): void => {
    const due = start + (k + 1) * periodMs;
    const delay = Math.max(0, due - clock() - early);
    timer = setTimeout(fire, delay);
  };

  const fire = (): void => {
    if (stopped) return;
    k++;
    let due = start + k * periodMs;
    // Spin out the sub-millisecond remainder: at most EARLY_MS of busy wait per tick.
    while (early > 0 && clock() < due - 0.05) {
      /* wait */
    }
    const fired = clock();
    const late = fired - due;
    let skipped = 0;
    if (late >= periodMs) {
      skipped = Math.floor(late / periodMs);
      k += skipped;
      due = start + k * periodMs;
    }
    onTick({ dueMs: due, firedMs: fired, skipped });
    if (!stopped) schedule();
  };

  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
