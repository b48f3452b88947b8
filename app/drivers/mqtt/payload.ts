/**
 * From an MQTT payload to one value, or the reason there is none. Plain topics carry a
 * number or true/false as text; JSON topics a document the address's path points into.
 *
 * Timestamps (timestampSource 'payload', JSON only): the field `ts`, else `timestamp`, of
 * the object that holds the value; else the same fields at the document root. A number is
 * ms since the epoch, a string must be ISO-8601 (`2024-05-01T12:00:00.000Z`). Anything else,
 * or no such field, means the receive time is used.
 */
import { err, ok, type Result } from '../../shared/result';
import { formatJsonPath, lookupPath, type PathSegment } from './json-path';

export interface Extracted {
  readonly value: number;
  /** ms since the epoch, when the payload carries a usable timestamp. */
  readonly ts?: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const SHOWN_CHARS = 40;

/** A payload as it may appear in a message a person reads: short, one line, no control characters. */
export function shorten(text: string, max = SHOWN_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export function plainValue(text: string): Result<Extracted, string> {
  const t = text.trim();
  if (t.length === 0) return err('payload is empty');
  if (NUMBER.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? ok({ value: v }) : err(`payload ${shorten(t)} is out of range`);
  }
  const lower = t.toLowerCase();
  if (lower === 'true') return ok({ value: 1 });
  if (lower === 'false') return ok({ value: 0 });
  return err(`payload is not a number: ${shorten(t)}`);
}

/** JSON.parse without the exception: a device sending garbage must spoil a sample, not the worker. */
export function parseJsonPayload(text: string): Result<unknown, string> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return err(`payload is not JSON: ${shorten(text)} (${e instanceof Error ? e.message : String(e)})`);
  }
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** A timestamp field's value as ms since the epoch, or undefined. */
export function timestampOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : undefined;
  if (typeof v === 'string' && ISO_DATE.test(v)) {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function fieldTimestamp(obj: unknown): number | undefined {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  if (Object.hasOwn(o, 'ts')) {
    const ts = timestampOf(o.ts);
    if (ts !== undefined) return ts;
  }
  return Object.hasOwn(o, 'timestamp') ? timestampOf(o.timestamp) : undefined;
}

export function payloadTimestamp(doc: unknown, parent: unknown): number | undefined {
  return fieldTimestamp(parent) ?? fieldTimestamp(doc);
}

export function jsonValue(doc: unknown, path: readonly PathSegment[], withTimestamp: boolean): Result<Extracted, string> {
  const found = lookupPath(doc, path);
  // Formatted only when a message needs it: this runs for every message of a busy topic.
  const pathText = (): string => formatJsonPath(path);
  if (!found.found) {
    const missing = typeof found.missing === 'number' ? `no element [${found.missing}]` : `no key ${JSON.stringify(found.missing)}`;
    return err(`path ${pathText()} not found (${missing} at ${found.at})`);
  }
  const v = found.value;
  let value: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return err(`value at ${pathText()} is out of range`);
    value = v;
  } else if (typeof v === 'boolean') {
    value = v ? 1 : 0;
  } else {
    return err(`value at ${pathText()} is ${describeType(v)}, not a number`);
  }
  if (!withTimestamp) return ok({ value });
  const ts = payloadTimestamp(doc, found.parent);
  return ok(ts === undefined ? { value } : { value, ts });
}
