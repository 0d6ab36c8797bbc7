import { and, asc, eq, gt, isNull, lt, or, isNotNull } from "drizzle-orm";
import type { Database } from "../client";
import { invites, users, workspaces } from "../schema";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function listPendingInvites(db: Database, workspaceId: string, now: number) {
  return db
    .select({ invite: invites, creatorName: users.name, creatorAvatarKey: users.avatarKey, creatorAvatarUpdatedAt: users.avatarUpdatedAt })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.createdBy))
    .where(and(eq(invites.workspaceId, workspaceId), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
    .orderBy(asc(invites.createdAt))
    ;
}

export function findInviteByTokenHash(db: Database, tokenHash: string) {
  return db
    .select({ invite: invites, workspace: workspaces, inviterName: users.name })
    .from(invites)
    .innerJoin(workspaces, eq(workspaces.id, invites.workspaceId))
    .leftJoin(users, eq(users.id, invites.createdBy))
    .where(eq(invites.tokenHash, tokenHash))
    .get();
}

/** Single use: only the first accept of a live invite changes the row; the caller checks `returning`. */
export function consumeInvite(db: Database, inviteId: string, userId: string, now: number) {
  return db
    .update(invites)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invites.id, inviteId), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
    .returning({ id: invites.id });
}

/** Invites are kept 30 days past expiry or use (for the team page's history), then deleted. */
export function purgeOldInvites(db: Database, now: number) {
  const cutoff = now - 30 * 24 * 60 * 60 * 1000;
  return db.delete(invites).where(or(lt(invites.expiresAt, cutoff), and(isNotNull(invites.acceptedAt), lt(invites.acceptedAt, cutoff)), and(isNotNull(invites.revokedAt), lt(invites.revokedAt, cutoff))));
}
