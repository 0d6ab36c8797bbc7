import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { TargetRow } from "../db/queries/posts";
import { media, postMedia, postTargets } from "../db/schema";
import { workspaceHub } from "../live/publish";
import type { PlatformId } from "../platforms/types";
import { publisherFor } from "./registry";
import type { TargetState } from "./states";

/** Targets in these states have (or may have) reached the platform: schedule changes never touch them. */
export const LIVE_STATES = ["committing", "published", "unconfirmed"] as const satisfies readonly TargetState[];
/** Lead time for platforms without a publishing adapter yet (they fail at their due time with a clear reason). */
const DEFAULT_LEAD_SECONDS = 5;

/**
 * The statement that moves a post's not-yet-live targets to the post's new schedule, bumping their
 * revision so every queued message and schedule row for the old one becomes stale. Runs in the same
 * D1 batch as the post's own update.
 */
export function retargetPost(db: Database, postId: string, status: "draft" | "scheduled" | "cancelled", dueAt: number | null, now: number) {
  return db
    .update(postTargets)
    .set({ state: status, dueAt: status === "scheduled" ? dueAt : null, revision: sql`${postTargets.revision} + 1`, leaseOwner: null, leaseExpiresAt: null, commitStartedAt: null, statusDetail: null, errorCode: null, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(postTargets.postId, postId), notInArray(postTargets.state, [...LIVE_STATES])));
}

/** How long before its due time each target starts preparing (per platform and format, from the adapters' data). */
export async function leadTimesMs(db: Database, postId: string, targets: TargetRow[]): Promise<Map<string, number>> {
  const files = await db.select({ kind: media.kind, sizeBytes: media.sizeBytes, durationMs: media.durationMs }).from(postMedia).innerJoin(media, eq(media.id, postMedia.mediaId)).where(eq(postMedia.postId, postId)).orderBy(asc(postMedia.position));
  const list = files.map((f) => ({ kind: f.kind ?? ("image" as const), sizeBytes: f.sizeBytes, durationMs: f.durationMs }));
  return new Map(targets.map((t) => [t.id, 1000 * (publisherFor(t.platform as PlatformId)?.leadSeconds(t.format, list) ?? DEFAULT_LEAD_SECONDS)]));
}

/**
 * Tells the workspace's schedule about a post's targets as they are now in D1: scheduled ones are
 * (re)armed at due − lead, every other one is taken off. A failure here is logged, not thrown: the
 * ledger is already right, and the watchdog re-drives any overdue target within a minute.
 */
export async function syncSchedule(env: Env, db: Database, workspaceId: string, postId: string): Promise<void> {
  try {
    const targets = await db.select().from(postTargets).where(eq(postTargets.postId, postId));
    const scheduled = targets.filter((t) => t.state === "scheduled" && t.dueAt !== null);
    const others = targets.filter((t) => !scheduled.includes(t)).map((t) => t.id);
    const hub = workspaceHub(env, workspaceId);
    if (others.length) await hub.unscheduleTargets(others);
    if (scheduled.length) {
      const leads = await leadTimesMs(db, postId, scheduled);
      const result = await hub.scheduleTargets(scheduled.map((t) => ({ targetId: t.id, workspaceId, dueAt: t.dueAt as number, revision: t.revision, leadMs: leads.get(t.id) ?? DEFAULT_LEAD_SECONDS * 1000 })));
      if (!result.ok) console.error(JSON.stringify({ msg: "schedule refused", workspaceId, postId, problem: result.problem }));
    }
  } catch (error) {
    console.error(JSON.stringify({ msg: "schedule sync failed; the watchdog will pick overdue targets up", workspaceId, postId, error: String(error) }));
  }
}

/** Targets of a post by id, for routes acting on one channel. */
export function targetsOfPost(db: Database, postId: string, ids?: string[]) {
  return db.select().from(postTargets).where(ids ? and(eq(postTargets.postId, postId), inArray(postTargets.id, ids)) : eq(postTargets.postId, postId));
}
