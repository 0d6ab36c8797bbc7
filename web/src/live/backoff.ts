export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * "Equal jitter" exponential backoff: half the exponential step is fixed, half random, so a
 * fleet of tabs that lost the same server does not reconnect in lockstep yet never retries instantly.
 */
export function backoffDelay(attempt: number, policy = DEFAULT_BACKOFF, random = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}
