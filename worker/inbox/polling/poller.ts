import type { PlatformFailure } from "../../platforms/types";
import type { InboxDeps } from "../deps";
import { inboundDeps } from "../inbound/consumer";
import { recordInbound } from "../store";
import { DEFAULT_POLL_BUDGET, isDue, type PollBudget } from "./cadence";
import { openPollChannel, type PollChannel } from "./channel";
import { advanceCursor, claimPoll, recentPublishedTargets, saveSweep, type PolledTarget } from "./cursor";
import { readLinkedInPost } from "./linkedin-reader";
import type { CallBudget, PostReader } from "./read";
import { readYoutubeVideo } from "./youtube-reader";

export type PollDeps = InboxDeps & {
  /** Used by a token refresh that waits for another refresh of the same channel. */
  wait: (ms: number) => Promise<void>;
  platformTimeoutMs?: number;
  budget?: PollBudget;
};

/** What a run did, for the cron's log line and the tests. */
export type PollReport = { due: number; polled: number; failed: number; created: number; skipped: number };

const READERS: Record<PolledTarget["platform"], PostReader> = { linkedin: readLinkedInPost, youtube: readYoutubeVideo };

/** The poller's dependencies in production: the inbound consumer's (hub, publish queue) plus a real wait. */
export function pollingDeps(env: Env, now: number): PollDeps {
  return { ...inboundDeps(env, { now: () => now }), wait: (ms) => scheduler.wait(ms) };
}

function counter(limit: number): CallBudget & { left: () => number; exhaust: () => void } {
  let left = limit;
  return {
    take: () => {
      if (left <= 0) return false;
      left -= 1;
      return true;
    },
    left: () => left,
    exhaust: () => {
      left = 0;
    },
  };
}

/** Daily quota or throttling: nothing more of that platform this run (the next runs try again). */
const stopsPlatform = (failure: PlatformFailure) => failure.status === 429 || failure.platformCode === "quotaExceeded" || failure.platformCode === "dailyLimitExceeded";

const log = (msg: string, fields: Record<string, unknown>) => console.warn(JSON.stringify({ msg, ...fields }));

/**
 * One cron run of comment polling for LinkedIn and YouTube: every due post (see cadence.ts), least
 * recently polled first, within the run's call budget per platform. Each post is claimed through its
 * cursor first; its comments go through `recordInbound` (deduplicated by platform id; rules run for
 * new inbound ones). A failure on one post or channel never stops the others; a channel whose token
 * cannot be used is logged once per run and skipped, and nothing is marked here.
 */
export async function pollComments(deps: PollDeps): Promise<PollReport> {
  const now = deps.now();
  const budget = deps.budget ?? DEFAULT_POLL_BUDGET;
  const budgets = { linkedin: counter(budget.linkedinCallsPerRun), youtube: counter(budget.youtubeCallsPerRun) };
  const due = (await recentPublishedTargets(deps.db, now))
    .filter((t) => isDue(t.publishedAt, t.cursor.lastPolledAt, now))
    .sort((a, b) => (a.cursor.lastPolledAt ?? 0) - (b.cursor.lastPolledAt ?? 0) || b.publishedAt - a.publishedAt);
  const report: PollReport = { due: due.length, polled: 0, failed: 0, created: 0, skipped: 0 };
  const channels = new Map<string, Promise<Awaited<ReturnType<typeof openPollChannel>>>>();

  for (const target of due) {
    const platformBudget = budgets[target.platform];
    try {
      let opening = channels.get(target.connectionId);
      if (!opening) {
        opening = openPollChannel(deps, target.connectionId);
        channels.set(target.connectionId, opening);
        const opened = await opening;
        if (!opened.ok) log("comment polling: channel skipped", { connectionId: target.connectionId, kind: opened.failure.kind, reason: opened.failure.message });
      }
      const opened = await opening;
      // Peek at the budget before claiming: a post claimed but not read would wait a whole interval.
      if (!opened.ok || platformBudget.left() === 0 || !(await claimPoll(deps.db, target, now))) {
        report.skipped++;
        continue;
      }
      const outcome = await pollOne(deps, opened.channel, target, platformBudget, budget.pagesPerPost);
      if (outcome.ok) {
        report.polled++;
        report.created += outcome.created;
      } else {
        report.failed++;
        log("comment polling: post failed", { targetId: target.id, platform: target.platform, kind: outcome.failure.kind, status: outcome.failure.status, reason: outcome.failure.message });
        if (stopsPlatform(outcome.failure)) platformBudget.exhaust();
      }
    } catch (error) {
      report.failed++;
      log("comment polling: post failed", { targetId: target.id, platform: target.platform, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // Logged by the cron with the rest of its run's report (one line per run).
  return report;
}

/** Reads one post and records what it found; the cursor moves only past a read that reached it. */
async function pollOne(deps: PollDeps, channel: PollChannel, target: PolledTarget, budget: CallBudget, pagesPerPost: number): Promise<{ ok: true; created: number } | { ok: false; failure: PlatformFailure }> {
  const read = await READERS[target.platform](channel, target, budget, pagesPerPost);
  if (!read.ok) {
    // The page a sweep was to go on from may have expired: the next poll starts at the top (the
    // cursor has not moved, so nothing is skipped; what is read again is deduplicated).
    if (target.cursor.sweep) await saveSweep(deps.db, target.id, null);
    return read;
  }
  let created = 0;
  // Oldest first, so a reply finds its parent already stored and the thread's preview ends on the newest.
  for (const item of [...read.items].sort((a, b) => a.platformAt - b.platformAt)) {
    const recorded = await recordInbound(deps, item);
    if (recorded?.created) created++;
  }
  if (read.complete) {
    if (read.newestSeenAt !== null || target.cursor.sweep) await advanceCursor(deps.db, target.id, read.newestSeenAt);
  } else if (read.resumeAt !== null) {
    await saveSweep(deps.db, target.id, { page: read.resumeAt, newestSeenAt: read.newestSeenAt });
  }
  return { ok: true, created };
}
