/** Exponential backoff for a failed queue message: 2, 4, 8 … seconds, capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.min(Math.max(attempts, 1), 9));
}

/**
 * Backoff with "equal jitter": half the exponential delay for sure, the other half random, so many
 * targets failing together (a platform outage) do not come back in one thundering herd.
 */
export function retryDelayWithJitter(attempts: number, random: () => number = Math.random): number {
  const base = retryDelaySeconds(attempts);
  return Math.max(1, Math.round(base / 2 + random() * (base / 2)));
}
