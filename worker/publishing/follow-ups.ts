import { and, asc, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { TargetRow } from "../db/queries/posts";
import { postTargets } from "../db/schema";
import type { AdapterContext, PlatformFailure } from "../platforms/types";
import { LEASE_MS, recordAttempt } from "./ledger";
import type { AttemptOutcome } from "./states";
import type { Checkpoint, PublishAdapter, PublishJob } from "./types";

/**
 * Follow-ups after a post went live (the first comment, the rest of a Threads thread), and their
 * recovery. Follow-ups that make several things live save their progress on the published row; while
 * they run, the checkpoint says `followUps: "pending"`. If the consumer dies in between, the watchdog
 * finds the row still pending after FOLLOW_UP_STALL_MS and sends a `followUps` message, and the
 * adapter resumes from the saved progress (each link published once). A follow-up that keeps failing
 * for a transient reason is tried again that way up to FOLLOW_UP_TRIES times, then left with its
 * reason in the attempt history.
 */
export const FOLLOW_UP_STALL_MS = 5 * 60_000;
export const FOLLOW_UP_TRIES = 5;

type FollowUpState = { followUps?: "pending" | "done" | "failed"; followUpTries?: number };

export type FollowUpRun = { db: Database; now: () => number; target: TargetRow; publisher: PublishAdapter; ctx: AdapterContext; job: PublishJob };

/** Runs the adapter's follow-ups for a target that just went live (or is being resumed), recording what happened. */
export async function runFollowUps(run: FollowUpRun, published: { remoteId: string; checkpoint: Checkpoint }): Promise<void> {
  const { db, now, target, publisher } = run;
  if (!publisher.afterPublish) return;
  const startedAt = now();
  let latest: Checkpoint = published.checkpoint;
  let saved = false;
  const write = (checkpoint: Checkpoint) => db.update(postTargets).set({ checkpoint, updatedAt: now() }).where(and(eq(postTargets.id, target.id), eq(postTargets.revision, target.revision), eq(postTargets.state, "published")));
  const saveCheckpoint = async (checkpoint: Checkpoint) => {
    latest = { ...checkpoint, followUps: "pending" };
    saved = true;
    await write(latest);
  };
  const after = await publisher.afterPublish(run.ctx, { ...run.job, checkpoint: published.checkpoint, remoteId: published.remoteId, saveCheckpoint });
  if (saved || (published.checkpoint as FollowUpState).followUps === "pending") {
    const tries = ((latest as FollowUpState).followUpTries ?? 0) + 1;
    const again = !after.ok && after.failure.kind === "retry" && tries < FOLLOW_UP_TRIES;
    await write({ ...latest, followUps: after.ok ? "done" : again ? "pending" : "failed", followUpTries: tries });
  }
  if (after.ok && after.did === null) return;
  await recordAttempt(
    db,
    target,
    after.ok
      ? { step: "after_publish", startedAt, endedAt: now(), outcome: "ok", message: after.did }
      : { step: "after_publish", startedAt, endedAt: now(), outcome: outcomeOf(after.failure), httpStatus: after.failure.status ?? null, platformCode: after.failure.platformCode ?? null, message: `The post is live, but ${after.what} failed: ${after.failure.message}` },
  );
}

export function outcomeOf(failure: PlatformFailure): AttemptOutcome {
  return failure.kind === "retry" ? "retry" : failure.kind === "fatal" ? "rejected" : failure.kind === "refresh" ? "refresh" : "reauth";
}

/** Published targets whose follow-ups stopped half-way and have not moved for a while (for the watchdog). */
export function stalledFollowUps(db: Database, stalledBefore: number, limit: number) {
  return db
    .select({ id: postTargets.id, workspaceId: postTargets.workspaceId, revision: postTargets.revision })
    .from(postTargets)
    .where(and(eq(postTargets.state, "published"), sql`json_extract(${postTargets.checkpoint}, '$.followUps') = 'pending'`, lt(postTargets.updatedAt, stalledBefore)))
    .orderBy(asc(postTargets.updatedAt))
    .limit(limit);
}

/** Takes the published row's lease for a resumed follow-up, so two deliveries never run it side by side. */
export async function claimFollowUps(db: Database, targetId: string, revision: number, owner: string, now: number): Promise<TargetRow | null> {
  const rows = await db
    .update(postTargets)
    .set({ leaseOwner: owner, leaseExpiresAt: now + LEASE_MS, updatedAt: now })
    .where(and(eq(postTargets.id, targetId), eq(postTargets.revision, revision), eq(postTargets.state, "published"), sql`json_extract(${postTargets.checkpoint}, '$.followUps') = 'pending'`, or(isNull(postTargets.leaseExpiresAt), lte(postTargets.leaseExpiresAt, now))))
    .returning();
  return rows[0] ?? null;
}

export async function releaseFollowUps(db: Database, targetId: string, owner: string): Promise<void> {
  await db.update(postTargets).set({ leaseOwner: null, leaseExpiresAt: null }).where(and(eq(postTargets.id, targetId), eq(postTargets.leaseOwner, owner)));
}
