/** What the connection runner needs of a polling or a push group. */
import type { GroupStats } from '../shared/contract';
import { Quality, type SampleBatch } from '../shared/samples';
import type { DriverSession } from '../drivers/driver';
import type { CollectorSignal } from './messages';

export interface GroupSink {
  samples(batch: SampleBatch): void;
  /** The link broke during a request. */
  broken(reason: string): void;
  readError(message: string): void;
}

export interface SignalGroup {
  readonly connection: string;
  readonly timebaseMs: number;
  /** Identity for hot reload: equal keys mean the same signals at the same timebase. */
  readonly key: string;
  start(session: DriverSession, sink: GroupSink): void;
  stop(): void;
  stats(): GroupStats;
  /** A gap marker: every signal bad (NaN) at `ts`, so consumers break the line instead of bridging it. */
  gapBatch(ts: number): SampleBatch;
}

export function gapBatch(signals: readonly CollectorSignal[], ts: number): SampleBatch {
  const n = signals.length;
  return {
    signal: Uint32Array.from(signals, (s) => s.id),
    ts: new Float64Array(n).fill(ts),
    value: new Float64Array(n).fill(NaN),
    quality: new Uint8Array(n).fill(Quality.bad),
  };
}

/** Raw → engineering value; a bad sample stays NaN whatever its raw value. */
export function groupKey(timebaseMs: number, signals: readonly CollectorSignal[]): string {
  return `${timebaseMs}:${JSON.stringify(signals)}`;
}

export function engineering(s: CollectorSignal, raw: number, quality: number): number {
  return quality === Quality.bad ? NaN : raw * s.scale + s.offset;
}
