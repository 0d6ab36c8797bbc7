/**
 * How often the comments of a published post are polled (LinkedIn and YouTube have no comment
 * webhooks Atelier can use). Comments come mostly in the first day, so a post is polled every
 * 5 minutes for 24 hours, hourly for the rest of its first week, and never after.
 *
 * YouTube's `commentThreads.list` costs 1 unit of the project's 10,000 a day (youtube.md §4): one
 * video costs at most 288 units on its first day and 24 a day after, and the poller spends at most
 * `youtubeCallsPerRun` calls a minute (2 → at most 2,880 units a day, under a third of the default
 * quota, leaving the rest to uploads at 1 and edits at 50). LinkedIn's daily ceilings are
 * unpublished (linkedin.md §9): 20 calls a minute keeps well inside what clients report.
 */
export const FRESH_WINDOW_MS = 24 * 60 * 60_000;
export const FRESH_EVERY_MS = 5 * 60_000;
export const WEEK_WINDOW_MS = 7 * 24 * 60 * 60_000;
export const WEEK_EVERY_MS = 60 * 60_000;

export type PollBudget = { youtubeCallsPerRun: number; linkedinCallsPerRun: number; pagesPerPost: number };
export const DEFAULT_POLL_BUDGET: PollBudget = { youtubeCallsPerRun: 2, linkedinCallsPerRun: 20, pagesPerPost: 3 };

/** How long to wait between polls of a post published at `publishedAt`; null once it is too old to poll. */
export function pollIntervalMs(publishedAt: number, now: number): number | null {
  const age = now - publishedAt;
  if (age < FRESH_WINDOW_MS) return FRESH_EVERY_MS;
  if (age < WEEK_WINDOW_MS) return WEEK_EVERY_MS;
  return null;
}

/** Whether a post is due: never polled, or its interval has passed since the last poll. */
export function isDue(publishedAt: number, lastPolledAt: number | null, now: number): boolean {
  const interval = pollIntervalMs(publishedAt, now);
  if (interval === null) return false;
  return lastPolledAt === null || now - lastPolledAt >= interval;
}
