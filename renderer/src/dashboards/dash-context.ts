/** What every widget of a dashboard pane shares: live data, whether the pane is visible, a redraw clock. */
import { createContext, useContext, useEffect, useRef } from 'react';
import type { Transport } from '../transport/transport';
import type { LiveSubscriptions } from './subscriptions';

/** One interval per cadence for the whole pane, not one per widget; stopped while the pane is hidden. */
export class Clock {
  private readonly groups = new Map<number, { timer: ReturnType<typeof setInterval> | null; callbacks: Set<() => void> }>();
  private running = true;

  every(ms: number, cb: () => void): () => void {
    let g = this.groups.get(ms);
    if (!g) this.groups.set(ms, (g = { timer: null, callbacks: new Set() }));
    g.callbacks.add(cb);
    this.sync();
    return () => {
      g.callbacks.delete(cb);
      this.sync();
    };
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.sync();
  }

  private sync(): void {
    for (const [ms, g] of this.groups) {
      const want = this.running && g.callbacks.size > 0;
      if (want && !g.timer) {
        g.timer = setInterval(() => {
          for (const cb of g.callbacks) cb();
        }, ms);
      } else if (!want && g.timer) {
        clearInterval(g.timer);
        g.timer = null;
      }
    }
  }

  dispose(): void {
    this.running = false;
    this.sync();
    this.groups.clear();
  }
}

export interface DashContext {
  transport: Transport;
  subs: LiveSubscriptions;
  /** False while the pane is hidden (another tab in front): widgets hold no subscriptions then. */
  active: boolean;
  clock: Clock;
  /** Opens the analysis pane on these signals and this time range, or says why it cannot. */
  openAnalysis(signals: string[], from: number, to: number): string | null;
}

export const DashCtx = createContext<DashContext | null>(null);

export function useDash(): DashContext {
  const c = useContext(DashCtx);
  if (!c) throw new Error('useDash outside a dashboard');
  return c;
}

/** Live samples of `signals` at `rate` while the pane is visible. */
export function useLive(signals: readonly string[], rate: number): void {
  const { subs, active } = useDash();
  const key = signals.join('\u0001');
  useEffect(() => {
    if (!active || key === '') return;
    const h = subs.acquire(key.split('\u0001'), rate);
    return () => h.dispose();
  }, [subs, active, key, rate]);
}

/** Calls `cb` every `ms` while the pane is visible; the latest `cb` is used without re-registering. */
export function useEvery(ms: number, cb: () => void): void {
  const { clock } = useDash();
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => clock.every(ms, () => ref.current()), [clock, ms]);
}
