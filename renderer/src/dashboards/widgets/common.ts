/** Small helpers the widgets share: a signal's latest state, and how stale counts. */
import { useParx } from '../../store';
import type { SignalInfo } from '../../../../app/shared/contract';
import type { DashboardLive } from '../subscriptions';

/** No sample for this long (or three timebases, whichever is longer) and the value is shown stale. */
export const STALE_MS = 5000;

export type Shown = { value: number; quality: 'good' | 'stale' | 'bad' | 'none'; ts: number };

export function latestOf(data: DashboardLive, name: string, timebaseMs = 1000): Shown {
  const last = data.trace(name)?.latest();
  if (!last) return { value: NaN, quality: 'none', ts: 0 };
  if (last.quality === 3 || Number.isNaN(last.value)) return { value: NaN, quality: 'bad', ts: last.ts };
  const age = data.engineNow() - last.ts;
  if (last.quality === 2 || age > Math.max(STALE_MS, 3 * timebaseMs)) return { value: last.value, quality: 'stale', ts: last.ts };
  return { value: last.value, quality: 'good', ts: last.ts };
}

export function useSignalInfo(name: string): SignalInfo | undefined {
  return useParx((s) => s.signals.find((x) => x.name === name));
}

export function useKnownSignals(names: readonly string[]): { known: string[]; missing: string[] } {
  const all = useParx((s) => s.signals);
  const set = new Set(all.map((s) => s.name));
  return { known: names.filter((n) => set.has(n)), missing: names.filter((n) => !set.has(n)) };
}
