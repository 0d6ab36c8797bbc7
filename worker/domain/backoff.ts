/** Exponential backoff for a failed queue message: 2, 4, 8 … seconds, capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.min(Math.max(attempts, 1), 9));
}
