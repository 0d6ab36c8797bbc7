import { and, eq, gte, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { postTargets } from "../../db/schema";
import { WEEK_WINDOW_MS } from "./cadence";

/**
 * The poll cursor lives in the target's checkpoint under `comments` (no table of its own): when the
 * post was last polled, the platform time of the newest comment seen, and a sweep in progress. All
 * writes touch only that key, in SQL, so the publish engine's own checkpoint keys are never overwritten.
 *
 * A sweep is a read from the newest comment down to `lastSeenAt` that did not fit in one poll (more
 * new comments than the pages a poll may read): the next poll goes on from the page where this one
 * stopped (`page`: YouTube's page token, LinkedIn's start offset) instead of starting at the top
 * again, which would never reach the comments in between. The cursor moves to the sweep's newest
 * comment only once the sweep reaches it.
 */
export type CommentSweep = { page: string; newestSeenAt: number | null };
export type CommentCursor = { lastPolledAt: number | null; lastSeenAt: number | null; sweep: CommentSweep | null };

export type PolledTarget = {
  id: string;
  workspaceId: string;
  connectionId: string;
  platform: "linkedin" | "youtube";
  remoteId: string;
  remoteUrl: string | null;
  publishedAt: number;
  cursor: CommentCursor;
};

function cursorOf(checkpoint: Record<string, unknown>): CommentCursor {
  const raw = checkpoint.comments;
  const value = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const sweep = value.sweep && typeof value.sweep === "object" ? (value.sweep as Record<string, unknown>) : null;
  const page = sweep && typeof sweep.page === "string" && sweep.page !== "" ? sweep.page : null;
  return { lastPolledAt: num(value.lastPolledAt), lastSeenAt: num(value.lastSeenAt), sweep: page ? { page, newestSeenAt: num(sweep?.newestSeenAt) } : null };
}

/**
 * A target goes live at its due time or soon after (retries move `due_at` forward), so bounding
 * `due_at` lets the scan use the (state, due_at) index instead of reading every post ever published.
 */
const DUE_SLACK_MS = 7 * 24 * 60 * 60_000;

/** The scan for published, still live LinkedIn and YouTube targets from the last week (older ones are never polled). */
export function recentPublishedQuery(db: Database, now: number) {
  return db
    .select({ id: postTargets.id, workspaceId: postTargets.workspaceId, connectionId: postTargets.connectionId, platform: postTargets.platform, remoteId: postTargets.remoteId, remoteUrl: postTargets.remoteUrl, publishedAt: postTargets.publishedAt, checkpoint: postTargets.checkpoint })
    .from(postTargets)
    .where(
      and(
        eq(postTargets.state, "published"),
        gte(postTargets.dueAt, now - WEEK_WINDOW_MS - DUE_SLACK_MS),
        inArray(postTargets.platform, ["linkedin", "youtube"]),
        isNull(postTargets.remoteDeletedAt),
        isNotNull(postTargets.remoteId),
        gte(postTargets.publishedAt, now - WEEK_WINDOW_MS),
      ),
    );
}

export async function recentPublishedTargets(db: Database, now: number): Promise<PolledTarget[]> {
  const rows = await recentPublishedQuery(db, now);
  const targets: PolledTarget[] = [];
  for (const row of rows) {
    if (!row.remoteId || row.publishedAt === null || (row.platform !== "linkedin" && row.platform !== "youtube")) continue;
    targets.push({ id: row.id, workspaceId: row.workspaceId, connectionId: row.connectionId, platform: row.platform, remoteId: row.remoteId, remoteUrl: row.remoteUrl, publishedAt: row.publishedAt, cursor: cursorOf(row.checkpoint) });
  }
  return targets;
}

/**
 * Takes this poll of the target: stamps `lastPolledAt` only if it is still the value read, so two
 * overlapping cron runs never poll the same post twice. False when another run took it first.
 */
export async function claimPoll(db: Database, target: PolledTarget, now: number): Promise<boolean> {
  const next = JSON.stringify({ lastPolledAt: now, lastSeenAt: target.cursor.lastSeenAt, sweep: target.cursor.sweep });
  const claimed = await db
    .update(postTargets)
    .set({ checkpoint: sql`json_set(${postTargets.checkpoint}, '$.comments', json(${next}))` })
    .where(and(eq(postTargets.id, target.id), eq(postTargets.state, "published"), sql`json_extract(${postTargets.checkpoint}, '$.comments.lastPolledAt') IS ${target.cursor.lastPolledAt}`))
    .returning({ id: postTargets.id });
  return claimed.length > 0;
}

/**
 * A read reached the cursor: the newest-seen mark moves forward (never back: a slower run finishing
 * late cannot rewind it) and any sweep is over.
 */
export async function advanceCursor(db: Database, targetId: string, newestSeenAt: number | null): Promise<void> {
  const lastSeen = newestSeenAt === null ? sql`json_extract(${postTargets.checkpoint}, '$.comments.lastSeenAt')` : sql`MAX(COALESCE(json_extract(${postTargets.checkpoint}, '$.comments.lastSeenAt'), 0), ${newestSeenAt})`;
  await db
    .update(postTargets)
    .set({ checkpoint: sql`json_set(${postTargets.checkpoint}, '$.comments.lastSeenAt', ${lastSeen}, '$.comments.sweep', json('null'))` })
    .where(eq(postTargets.id, targetId));
}

/** Remembers where an unfinished read stopped (or forgets it, with null: the next poll starts at the top). */
export async function saveSweep(db: Database, targetId: string, sweep: CommentSweep | null): Promise<void> {
  await db
    .update(postTargets)
    .set({ checkpoint: sql`json_set(${postTargets.checkpoint}, '$.comments.sweep', json(${JSON.stringify(sweep)}))` })
    .where(eq(postTargets.id, targetId));
}
