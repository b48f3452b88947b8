/**
 * How a timebase becomes OPC UA subscription settings. Every value is sampled at the
 * timebase; publishing is no faster than 50 ms (servers revise faster requests upward
 * anyway, and a publish per 10 ms costs more than it brings), and each item's queue holds
 * every sample of a publishing interval so none is lost in between.
 */
export interface SubscriptionPlan {
  readonly samplingIntervalMs: number;
  readonly publishingIntervalMs: number;
  readonly queueSize: number;
  /** Publishing intervals without data before the server sends a keep-alive (about every 2 s). */
  readonly maxKeepAliveCount: number;
  /** Publishing intervals without a client publish request before the server drops the subscription (≥ 3 keep-alives). */
  readonly lifetimeCount: number;
}

export const MIN_PUBLISHING_MS = 50;
const KEEPALIVE_MS = 2000;
const MAX_QUEUE = 100;

export function subscriptionPlan(timebaseMs: number): SubscriptionPlan {
  const sampling = Number.isFinite(timebaseMs) && timebaseMs > 0 ? Math.min(Math.max(1, Math.round(timebaseMs)), 3_600_000) : 1000;
  const publishing = Math.max(sampling, MIN_PUBLISHING_MS);
  const queueSize = Math.min(MAX_QUEUE, Math.ceil(publishing / sampling) + 1);
  const maxKeepAliveCount = Math.max(1, Math.ceil(KEEPALIVE_MS / publishing));
  return { samplingIntervalMs: sampling, publishingIntervalMs: publishing, queueSize, maxKeepAliveCount, lifetimeCount: maxKeepAliveCount * 10 };
}
