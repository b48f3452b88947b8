import { isBitArea, registerCount } from './address';
import type { ModbusAddress, ModbusArea } from './address';

/** One read on the wire; `items` are indexes into the address list it serves, in offset order. */
export interface ModbusRequest {
  area: ModbusArea;
  start: number;
  count: number;
  items: number[];
}

export interface PackingLimits {
  /** Registers per read of hr/ir; the protocol allows at most 125 (function codes 3 and 4). */
  maxRegisters: number;
  /** Bits per read of co/di; the protocol allows at most 2000 (function codes 1 and 2). */
  maxBits: number;
  /** Largest unused stretch (registers or bits) still read to merge two reads: reading a few spare words is cheaper than another round trip. */
  maxGap: number;
}

export const DEFAULT_PACKING_LIMITS: Readonly<PackingLimits> = { maxRegisters: 125, maxBits: 2000, maxGap: 16 };

const AREA_ORDER: readonly ModbusArea[] = ['hr', 'ir', 'co', 'di'];

/** Limits beyond the protocol would only earn exception responses, so they are held to it. */
function effectiveLimits(limits: Partial<PackingLimits>): PackingLimits {
  const pick = (value: number | undefined, fallback: number, high: number): number =>
    value === undefined || !Number.isFinite(value) ? fallback : Math.min(high, Math.max(1, Math.floor(value)));
  return {
    maxRegisters: pick(limits.maxRegisters, DEFAULT_PACKING_LIMITS.maxRegisters, 125),
    maxBits: pick(limits.maxBits, DEFAULT_PACKING_LIMITS.maxBits, 2000),
    maxGap:
      limits.maxGap === undefined || Number.isNaN(limits.maxGap)
        ? DEFAULT_PACKING_LIMITS.maxGap
        : Math.max(0, Math.floor(limits.maxGap)),
  };
}

interface Span {
  index: number;
  start: number;
  end: number; // exclusive
}

/**
 * Groups addresses into as few reads as the limits allow. Per area, values are taken in offset
 * order and added to the open read while it stays within the size limit and the hole before
 * the value is at most maxGap. A value is never split across reads; a value bigger than the
 * size limit (a long string with a small maxRegisters) gets a read of its own, oversized,
 * because a split read would tear it.
 */
export function packRequests(addresses: readonly ModbusAddress[], limits: Partial<PackingLimits> = {}): ModbusRequest[] {
  const { maxRegisters, maxBits, maxGap } = effectiveLimits(limits);
  const requests: ModbusRequest[] = [];

  for (const area of AREA_ORDER) {
    const spans: Span[] = [];
    addresses.forEach((a, index) => {
      if (a.area === area) spans.push({ index, start: a.offset, end: a.offset + registerCount(a) });
    });
    if (spans.length === 0) continue;
    spans.sort((x, y) => x.start - y.start || x.end - y.end || x.index - y.index);

    const max = isBitArea(area) ? maxBits : maxRegisters;
    let open: ModbusRequest | undefined;
    let openEnd = 0;
    for (const span of spans) {
      if (open !== undefined) {
        const end = Math.max(openEnd, span.end);
        // A value lying wholly inside the open read costs nothing, even when that read is oversized.
        if (span.start - openEnd <= maxGap && (end - open.start <= max || end === openEnd)) {
          open.items.push(span.index);
          openEnd = end;
          open.count = end - open.start;
          continue;
        }
      }
      open = { area, start: span.start, count: span.end - span.start, items: [span.index] };
      openEnd = span.end;
      requests.push(open);
    }
  }
  return requests;
}
