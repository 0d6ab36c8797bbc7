import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inboxActions } from "../../db/schema-inbox";

/**
 * The action ledger's conditional writes (the publish ledger's rules, ARCHITECTURE.md §2): one
 * consumer holds an action at a time by lease; the commit marker is written before the platform call;
 * every later write is conditioned on still holding the lease, so a consumer whose lease ran out
 * cannot overwrite what the next one decided.
 */
export const ACTION_LEASE_MS = 60_000;

export type ActionRow = typeof inboxActions.$inferSelect;

/** Claims a pending action no one holds (or whose lease ran out); null for done, failed or held ones. */
export async function claimAction(db: Database, actionId: string, owner: string, now: number): Promise<ActionRow | null> {
  const rows = await db
    .update(inboxActions)
    .set({ leaseOwner: owner, leaseExpiresAt: now + ACTION_LEASE_MS, attempts: sql`${inboxActions.attempts} + 1`, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(inboxActions.id, actionId), eq(inboxActions.state, "pending"), or(isNull(inboxActions.leaseExpiresAt), lte(inboxActions.leaseExpiresAt, now))))
    .returning();
  return rows[0] ?? null;
}

/** Writes the commit marker while we hold the lease; false when we no longer do (do not call the platform). */
export async function markCommitStarted(db: Database, actionId: string, owner: string, now: number): Promise<boolean> {
  const rows = await db
    .update(inboxActions)
    .set({ commitStartedAt: now, updatedAt: now })
    .where(and(eq(inboxActions.id, actionId), eq(inboxActions.leaseOwner, owner), eq(inboxActions.state, "pending"), isNull(inboxActions.commitStartedAt)))
    .returning({ id: inboxActions.id });
  return rows.length > 0;
}

type Held = Partial<Pick<ActionRow, "state" | "remoteId" | "error" | "commitStartedAt" | "nextAttemptAt">>;

/** The statement that ends our hold with the final fields, for a `db.batch` with the message it concerns. */
export function releaseStatement(db: Database, actionId: string, owner: string, fields: Held, now: number) {
  return db
    .update(inboxActions)
    .set({ ...fields, leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
    .where(and(eq(inboxActions.id, actionId), eq(inboxActions.leaseOwner, owner)))
    .returning({ id: inboxActions.id });
}

/** A pending action nobody has touched for this long past its planned retry is driven again. */
export const ACTION_STALL_MS = 5 * 60_000;

/**
 * Pending actions that nothing will carry out any more: no live lease, and quiet for `ACTION_STALL_MS`
 * after their last claim or planned retry (the queue message was lost, or its consumer died and the
 * message ran out before the lease did). Oldest first.
 */
export async function strandedActions(db: Database, now: number, limit: number): Promise<Pick<ActionRow, "id" | "workspaceId">[]> {
  const quietSince = now - ACTION_STALL_MS;
  return db
    .select({ id: inboxActions.id, workspaceId: inboxActions.workspaceId })
    .from(inboxActions)
    .where(
      and(
        eq(inboxActions.state, "pending"),
        lte(inboxActions.updatedAt, quietSince),
        or(isNull(inboxActions.leaseExpiresAt), lte(inboxActions.leaseExpiresAt, now)),
        or(isNull(inboxActions.nextAttemptAt), lte(inboxActions.nextAttemptAt, quietSince)),
      ),
    )
    .orderBy(inboxActions.updatedAt)
    .limit(limit);
}
