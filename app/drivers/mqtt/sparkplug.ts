/**
 * Sparkplug B on the wire: topics `spBv1.0/GROUP/TYPE/NODE[/DEVICE]` and protobuf payloads,
 * decoded by Eclipse Tahu's `sparkplug-payload` (the reference implementation, so ParX reads
 * what real edge nodes write). Metric values become numbers; what cannot be a number
 * (strings, data sets, templates, null) comes back with the reason.
 */
import { get as sparkplugNamespace } from 'sparkplug-payload';
import { err, ok, type Result } from '../../shared/result';
import { SPARKPLUG_NAMESPACE } from './address';

export const MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD'] as const;
export type SpbMessageType = (typeof MESSAGE_TYPES)[number];

export interface SpbTopic {
  readonly group: string;
  readonly type: SpbMessageType;
  readonly node: string;
  readonly device?: string;
}

export interface SpbMetric {
  readonly name?: string;
  readonly alias?: number;
  readonly type: string;
  /** The value as a number; absent when it is not numeric (see `reason`). */
  readonly value?: number;
  readonly reason?: string;
  /** ms since the epoch, when the metric carries its own timestamp. */
  readonly ts?: number;
}

export interface SpbPayload {
  readonly seq?: number;
  readonly ts?: number;
  readonly metrics: readonly SpbMetric[];
}

const codec = sparkplugNamespace(SPARKPLUG_NAMESPACE);
const TYPES = new Set<string>(MESSAGE_TYPES);

/** `spBv1.0/G/NDATA/N` or `spBv1.0/G/DDATA/N/D`; undefined for anything else (STATE, other namespaces). */
export function parseSpbTopic(topic: string): SpbTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== SPARKPLUG_NAMESPACE || parts.length < 4 || parts.length > 5) return undefined;
  const [, group, type, node, device] = parts as [string, string, string, string, string | undefined];
  if (!TYPES.has(type) || group === '' || node === '') return undefined;
  const isDevice = type.startsWith('D');
  if (isDevice !== (device !== undefined) || device === '') return undefined;
  return device === undefined ? { group, type: type as SpbMessageType, node } : { group, type: type as SpbMessageType, node, device };
}

export function formatSpbTopic(t: SpbTopic): string {
  return `${SPARKPLUG_NAMESPACE}/${t.group}/${t.type}/${t.node}${t.device === undefined ? '' : `/${t.device}`}`;
}

interface LongLike {
  toNumber(): number;
  toSigned(): LongLike;
}

function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).toNumber === 'function' && typeof (v as LongLike).toSigned === 'function';
}

/** A uint64 field (seq, alias, timestamp) as a number, or undefined. */
function plainNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (isLong(v)) return v.toNumber();
  return undefined;
}

/** Signed types travel in unsigned protobuf fields (two's complement); the library hands Int64 back unsigned. */
function metricValue(type: string, v: unknown): { value: number } | { reason: string } {
  if (v === null || v === undefined) return { reason: 'is null' };
  if (typeof v === 'boolean') return { value: v ? 1 : 0 };
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : { reason: 'is not finite' };
  if (isLong(v)) return { value: type.startsWith('Int') ? v.toSigned().toNumber() : v.toNumber() };
  return { reason: `is a ${type}, not a number` };
}

function decodeMetric(m: unknown): SpbMetric {
  const raw = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
  const type = typeof raw.type === 'string' ? raw.type : 'Unknown';
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  const alias = plainNumber(raw.alias);
  const ts = plainNumber(raw.timestamp);
  const v = metricValue(type, raw.value);
  return {
    ...(name === undefined ? {} : { name }),
    ...(alias === undefined ? {} : { alias }),
    type,
    ...('value' in v ? { value: v.value } : { reason: v.reason }),
    ...(ts === undefined || ts <= 0 ? {} : { ts }),
  };
}

export function decodeSpbPayload(bytes: Uint8Array): Result<SpbPayload, string> {
  if (!codec) return err('sparkplug-payload has no spBv1.0 codec');
  let decoded: { seq?: unknown; timestamp?: unknown; metrics?: unknown };
  try {
    decoded = codec.decodePayload(bytes) as typeof decoded;
  } catch (e) {
    return err(`payload is not Sparkplug B (${e instanceof Error ? e.message : String(e)})`);
  }
  const seq = plainNumber(decoded.seq);
  const ts = plainNumber(decoded.timestamp);
  const metrics = Array.isArray(decoded.metrics) ? decoded.metrics.map(decodeMetric) : [];
  return ok({ ...(seq === undefined ? {} : { seq }), ...(ts === undefined || ts <= 0 ? {} : { ts }), metrics });
}
