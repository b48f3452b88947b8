/**
 * One received packet → one sample per subscribed signal. Pure (the receive time comes in),
 * so the tests and the benchmark run exactly what the driver runs.
 */
import { Quality } from '../../shared/samples';
import type { PushedSample } from '../driver';
import type { EgdAddress } from './address';
import { timestampMs, type ProductionFrame } from './frame';
import { describeStatus, productionStatus } from './status';
import { dataView, readSignal } from './values';

/** A producer clock further off than this is not trusted (no SNTP, wrong year): the receive time is used instead. */
export const PLAUSIBLE_CLOCK_MS = 24 * 3600_000;

export interface ExchangeKey {
  readonly producer: string;
  readonly exchange: number;
}

export interface PacketOutcome {
  readonly samples: PushedSample[];
  /** Why some or all samples are bad; undefined when every sample is good. */
  readonly error?: string;
}

export function describeExchange(k: ExchangeKey): string {
  return `exchange ${k.exchange} from ${k.producer}`;
}

/** The packet's own time when it is plausible, else when it arrived. */
export function sampleTime(frame: ProductionFrame, receivedMs: number): number {
  const t = timestampMs(frame.timestamp);
  return t !== undefined && Math.abs(t - receivedMs) <= PLAUSIBLE_CLOCK_MS ? t : receivedMs;
}

function allBad(addresses: readonly EgdAddress[], ts: number): PushedSample[] {
  return addresses.map((_, index) => ({ index, ts, value: NaN, quality: Quality.bad }));
}

export function consumePacket(frame: ProductionFrame, addresses: readonly EgdAddress[], signature: number | undefined, receivedMs: number): PacketOutcome {
  const ts = sampleTime(frame, receivedMs);
  const status = productionStatus(frame.status);
  if (!status.ok) return { samples: allBad(addresses, ts), error: `${describeExchange(frame)}: ${describeStatus(frame.status)}` };
  if (signature !== undefined && frame.signature !== signature) {
    return {
      samples: allBad(addresses, ts),
      error: `${describeExchange(frame)}: configuration signature ${frame.signature} is not the configured ${signature} (the producer's exchange layout changed?)`,
    };
  }
  const view = dataView(frame.data);
  const samples: PushedSample[] = new Array<PushedSample>(addresses.length);
  let firstReason: string | undefined;
  let badCount = 0;
  for (let index = 0; index < addresses.length; index++) {
    const v = readSignal(frame.data, view, addresses[index] as EgdAddress, frame.exchange);
    if (v.ok) {
      samples[index] = { index, ts, value: v.value, quality: Quality.good };
    } else {
      samples[index] = { index, ts, value: NaN, quality: Quality.bad };
      firstReason ??= v.reason;
      badCount++;
    }
  }
  if (firstReason === undefined) return { samples };
  return { samples, error: badCount > 1 ? `${firstReason} (and ${badCount - 1} more signals)` : firstReason };
}

/** A packet of the exchange that could not be decoded: every signal bad, with the decoder's reason. */
export function consumeDamaged(key: ExchangeKey, reason: string, addresses: readonly EgdAddress[], receivedMs: number): PacketOutcome {
  return { samples: allBad(addresses, receivedMs), error: `${describeExchange(key)}: ${reason}` };
}
