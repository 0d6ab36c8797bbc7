import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { TargetRow } from "../db/queries/posts";
import { notifications, postTargets, publishAttempts } from "../db/schema";
import { newId } from "../security/ids";
import { ACTIVE_STATES, type AttemptOutcome, type AttemptStep, type NotificationKind, type TargetState } from "./states";

/**
 * A consumer's hold on a target while it prepares. Longer than a prepare step's platform calls, so a
 * live consumer never loses it mid-step; a crashed consumer's lease runs out and the watchdog
 * re-drives the target.
 */
export const LEASE_MS = 3 * 60_000;

/**
 * The hold on a prepared (`ready`) or `committing` target, counted from its due time (or now, when
 * late). From the hold on, a consumer makes at most two platform calls up to and including the go-live
 * one (a publishing-limit check, then the call), each cut off after DEFAULT_PLATFORM_TIMEOUT_MS (30 s):
 * the go-live call has ended 60 s after the due second at the latest, and 90 s leaves a margin. Only
 * once it has ended may another consumer look at the target (and it reconciles a committing one, never
 * re-commits it blindly). So a consumer that dies at the due second (a crash, a deploy) holds its
 * targets 90 s past due, not 3 minutes past its claim, and the watchdog's next run recovers them.
 */
export const COMMIT_LEASE_MS = 90_000;

/** When a commit-phase lease taken at `now` for a target due at `dueAt` runs out. */
export function commitLeaseEnd(dueAt: number | null, now: number): number {
  return Math.max(now, dueAt ?? now) + COMMIT_LEASE_MS;
}

export type LedgerFields = Partial<
  Pick<TargetRow, "state" | "checkpoint" | "commitStartedAt" | "remoteId" | "remoteUrl" | "publishedAt" | "statusDetail" | "errorCode" | "nextAttemptAt" | "leaseOwner" | "leaseExpiresAt" | "remoteDeletedAt" | "revision" | "dueAt">
>;

/**
 * Claims a target for one consumer with a conditional update: only at the message's revision, only in
 * a state the engine drives, and only when nobody else holds an unexpired lease. A second delivery of
 * the same message finds the lease taken (or the state moved on) and gets null.
 */
export async function claimTarget(db: Database, targetId: string, revision: number, owner: string, now: number): Promise<TargetRow | null> {
  // Prepared and committing targets get the commit-phase lease (see COMMIT_LEASE_MS), the others the prepare lease.
  const commitPhaseEnd = sql`max(${now}, coalesce(${postTargets.dueAt}, ${now})) + ${COMMIT_LEASE_MS}`;
  const rows = await db
    .update(postTargets)
    .set({ leaseOwner: owner, leaseExpiresAt: sql`CASE WHEN ${postTargets.state} IN ('ready', 'committing') THEN ${commitPhaseEnd} ELSE ${now + LEASE_MS} END` })
    .where(and(eq(postTargets.id, targetId), eq(postTargets.revision, revision), inArray(postTargets.state, [...ACTIVE_STATES]), or(isNull(postTargets.leaseExpiresAt), lte(postTargets.leaseExpiresAt, now))))
    .returning();
  return rows[0] ?? null;
}

/** Writes fields while the lease is still ours; false when it is not (cancelled, or taken over after expiry). */
export async function updateHeld(db: Database, targetId: string, owner: string, fields: LedgerFields, now: number): Promise<boolean> {
  const rows = await db
    .update(postTargets)
    .set({ ...fields, updatedAt: now })
    .where(and(eq(postTargets.id, targetId), eq(postTargets.leaseOwner, owner)))
    .returning({ id: postTargets.id });
  return rows.length > 0;
}

/**
 * Writes the commit marker right before the go-live call: only from `ready`, only with our lease and
 * the message's revision. False means someone cancelled or rescheduled it in the meantime: do not commit.
 */
export async function markCommitStarted(db: Database, targetId: string, owner: string, revision: number, dueAt: number, now: number): Promise<boolean> {
  const rows = await db
    .update(postTargets)
    .set({ state: "committing", commitStartedAt: now, leaseExpiresAt: commitLeaseEnd(dueAt, now), updatedAt: now })
    .where(and(eq(postTargets.id, targetId), eq(postTargets.leaseOwner, owner), eq(postTargets.revision, revision), eq(postTargets.state, "ready")))
    .returning({ id: postTargets.id });
  return rows.length > 0;
}

/** Ends our hold, writing the last fields in the same statement. */
export function releaseHeld(db: Database, targetId: string, owner: string, fields: LedgerFields, now: number): Promise<boolean> {
  return updateHeld(db, targetId, owner, { ...fields, leaseOwner: null, leaseExpiresAt: null }, now);
}

export function findTarget(db: Database, targetId: string) {
  return db.select().from(postTargets).where(eq(postTargets.id, targetId)).get();
}

export type AttemptRecord = { step: AttemptStep; startedAt: number; endedAt: number; outcome: AttemptOutcome; httpStatus?: number | null; platformCode?: string | null; message?: string | null };

export async function recordAttempt(db: Database, target: { id: string; workspaceId: string }, attempt: AttemptRecord): Promise<void> {
  await attemptInsert(db, target, attempt);
}

/** The attempt row's INSERT, for a `db.batch` with the state change it belongs to (one round trip). */
export function attemptInsert(db: Database, target: { id: string; workspaceId: string }, attempt: AttemptRecord) {
  return db.insert(publishAttempts).values({
    id: newId(),
    targetId: target.id,
    workspaceId: target.workspaceId,
    step: attempt.step,
    startedAt: attempt.startedAt,
    endedAt: attempt.endedAt,
    outcome: attempt.outcome,
    httpStatus: attempt.httpStatus ?? null,
    platformCode: attempt.platformCode ?? null,
    message: attempt.message ? attempt.message.slice(0, 2000) : null,
  });
}

/** `updateHeld` as a statement, for batching. */
export function heldUpdate(db: Database, targetId: string, owner: string, fields: LedgerFields, now: number) {
  return db.update(postTargets).set({ ...fields, updatedAt: now }).where(and(eq(postTargets.id, targetId), eq(postTargets.leaseOwner, owner)));
}

export function attemptsOfTargets(db: Database, targetIds: string[]) {
  return db.select().from(publishAttempts).where(inArray(publishAttempts.targetId, targetIds)).orderBy(asc(publishAttempts.startedAt), sql`rowid`);
}

export type NewNotification = { workspaceId: string; kind: NotificationKind; postId: string | null; targetId: string | null; connectionId: string | null; title: string; body: string };

/** Raises a notification, replacing (resolving) any open one for the same target, so a target has at most one open. */
export async function raiseNotification(db: Database, n: NewNotification, now: number): Promise<{ id: string; replaced: string[] }> {
  const replaced = n.targetId ? await resolveNotificationsOfTarget(db, n.targetId, now) : [];
  const id = newId();
  await db.insert(notifications).values({ id, ...n, createdAt: now });
  return { id, replaced };
}

export async function resolveNotificationsOfTarget(db: Database, targetId: string, now: number, by: string | null = null): Promise<string[]> {
  const rows = await resolveNotificationsStatement(db, targetId, now, by);
  return rows.map((r) => r.id);
}

export function resolveNotificationsStatement(db: Database, targetId: string, now: number, by: string | null = null) {
  return db
    .update(notifications)
    .set({ resolvedAt: now, resolvedBy: by })
    .where(and(eq(notifications.targetId, targetId), isNull(notifications.resolvedAt)))
    .returning({ id: notifications.id });
}

/** Targets the watchdog must look at: active, due before `overdueBefore`, and not held by a live lease. */
export function overdueTargets(db: Database, overdueBefore: number, now: number, limit: number) {
  return db
    .select()
    .from(postTargets)
    .where(and(inArray(postTargets.state, [...ACTIVE_STATES]), lt(postTargets.dueAt, overdueBefore), or(isNull(postTargets.leaseExpiresAt), lte(postTargets.leaseExpiresAt, now))))
    .orderBy(asc(postTargets.dueAt))
    .limit(limit);
}

/** Moves targets to a new state and revision from outside the engine (routes: schedule, cancel, retry). */
export function setTargetsSchedule(db: Database, targetIds: string[], fields: { state: TargetState; dueAt: number | null; statusDetail?: string | null }, now: number) {
  return db
    .update(postTargets)
    .set({
      state: fields.state,
      dueAt: fields.dueAt,
      revision: sql`${postTargets.revision} + 1`,
      leaseOwner: null,
      leaseExpiresAt: null,
      commitStartedAt: null,
      statusDetail: fields.statusDetail ?? null,
      errorCode: null,
      nextAttemptAt: null,
      updatedAt: now,
    })
    .where(inArray(postTargets.id, targetIds))
    .returning();
}
