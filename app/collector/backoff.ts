/**
 * Reconnect delays: exponential with full jitter, so a plant full of collectors that lost
 * the same switch do not all knock on the PLC in the same millisecond.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** 0 = no jitter, 1 = uniformly anywhere between half and the full delay. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 10_000, jitter: 0.5 };

export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const spread = exp * Math.min(1, Math.max(0, policy.jitter)) * 0.5;
  return Math.round(exp - spread * random());
}
