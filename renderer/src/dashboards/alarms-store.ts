/** The window's view of alarms: loaded once, then kept current by `alarm.changed` events. */
import { useMemo } from 'react';
import { create } from 'zustand';
import type { AlarmDefinition, AlarmOccurrence } from '../../../app/shared/dashboards/alarm-schema';
import type { Transport } from '../transport/transport';

interface AlarmsState {
  definitions: AlarmDefinition[];
  occurrences: AlarmOccurrence[];
  problems: { alarm: string; message: string }[];
  error: string | null;
  load(t: Transport): Promise<void>;
  apply(o: AlarmOccurrence): void;
}

export const useAlarms = create<AlarmsState>()((set) => ({
  definitions: [],
  occurrences: [],
  problems: [],
  error: null,
  load: async (t) => {
    const r = await t.call('alarms.list', { limit: 500 });
    if (r.ok) set({ definitions: r.value.definitions, occurrences: r.value.occurrences, problems: r.value.problems, error: null });
    else set({ error: r.error.message });
  },
  apply: (o) =>
    set((s) => {
      const rest = s.occurrences.filter((x) => x.key !== o.key);
      return { occurrences: [o, ...rest].slice(0, 1000) };
    }),
}));

const attached = new WeakSet<object>();

/** Starts following alarms on this transport (once per window). */
export function followAlarms(t: Transport): void {
  if (attached.has(t)) return;
  attached.add(t);
  t.on('alarm.changed', (o) => useAlarms.getState().apply(o));
  t.onReconnect(() => void useAlarms.getState().load(t));
  void useAlarms.getState().load(t);
}

/** Raises of the limit alarms on these signals, as echarts mark-line items (live trends). */
export function useAlarmMarkers(names: readonly string[]): { xAxis: number; name: string }[] {
  const occurrences = useAlarms((s) => s.occurrences);
  const definitions = useAlarms((s) => s.definitions);
  return useMemo(() => {
    const mine = new Set(definitions.filter((d) => d.kind === 'limit' && names.includes(d.signal)).map((d) => d.id));
    return occurrences.filter((o) => mine.has(o.alarm)).map((o) => ({ xAxis: o.activeAt, name: o.message }));
  }, [occurrences, definitions, names]);
}
