/**
 * InfluxDB line protocol for recorded samples, written by hand: it is a one-line text format
 * (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/) and the
 * npm clients bring an HTTP stack and batching of their own that would sit beside ours.
 *
 * One point per sample, in the long layout of our batch files:
 *   parx,line=Line\ 1,signal=Exit\ Tension,unit=kN value=31.5,q=0i 1795153438561000
 * Tags line, signal, unit (sorted by key, as InfluxDB stores them); fields `value` (float) and
 * `q` (the quality code: 0 good, 1 uncertain, 2 stale, 3 bad); the timestamp in microseconds.
 * Line protocol has no NaN or infinity: such a sample carries `q` alone, so the point (and its
 * quality) is still there. Re-sending a point is harmless: the same series and time replace it
 * with identical fields, which is what lets the publisher resend after a crash.
 */
import type { SampleBatch } from '../shared/samples';

/** Commas and spaces in a measurement name. */
export function escapeMeasurement(s: string): string {
  return s.replace(/[\r\n\t]/g, ' ').replace(/([, ])/g, '\\$1');
}

/**
 * Commas, equals signs and spaces in tag keys, tag values and field keys. Line breaks and
 * tabs cannot appear in a point at all and become spaces.
 */
export function escapeTag(s: string): string {
  return s.replace(/[\r\n\t]/g, ' ').replace(/([,= ])/g, '\\$1');
}

/** `measurement,line=…,signal=…,unit=…`, the part before the fields: once per signal, not per sample. */
export function seriesKey(measurement: string, tags: Readonly<Record<string, string>>): string {
  const parts = [escapeMeasurement(measurement)];
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k];
    // An empty tag value is not allowed: leave the tag out (a signal without a unit).
    if (v) parts.push(`${escapeTag(k)}=${escapeTag(v)}`);
  }
  return parts.join(',');
}

/**
 * Appends the lines of the samples of `batch` whose signal has a series key (the others are
 * not published), from sample `from` on, until `lines` holds `limit` lines. Returns the index
 * of the first sample not looked at (batch length when done), so a big batch goes out in parts.
 */
export function appendLines(batch: SampleBatch, keys: ReadonlyMap<number, string>, lines: string[], limit: number, from = 0): number {
  const { signal, ts, value, quality } = batch;
  const n = ts.length;
  let i = from;
  for (; i < n && lines.length < limit; i++) {
    const key = keys.get(signal[i]!);
    if (key === undefined) continue;
    const v = value[i]!;
    const us = Math.round(ts[i]! * 1000);
    lines.push(Number.isFinite(v) ? `${key} value=${v},q=${quality[i]}i ${us}` : `${key} q=${quality[i]}i ${us}`);
  }
  return i;
}
