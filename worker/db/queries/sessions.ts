import { and, eq, gt, isNull, ne, or, lt, isNotNull } from "drizzle-orm";
import type { AuthedUser } from "../../http/app-env";
import type { Database } from "../client";
import { sessions, users } from "../schema";
import { newId } from "../../security/ids";
import { SESSION_TTL_MS } from "../../security/session-token";

export function newSessionInsert(db: Database, userId: string, now: number, meta: { ip: string | null; userAgent: string | null }) {
  const id = newId();
  return {
    id,
    statement: db.insert(sessions).values({ id, userId, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_TTL_MS, ip: meta.ip, userAgent: meta.userAgent }),
  };
}

export async function findActiveSession(db: Database, sessionId: string, userId: string, now: number): Promise<{ sessionId: string; lastSeenAt: number; user: AuthedUser } | null> {
  const row = await db
    .select({
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      user: { id: users.id, email: users.email, name: users.name, avatarKey: users.avatarKey, avatarUpdatedAt: users.avatarUpdatedAt, createdAt: users.createdAt },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .get();
  return row ?? null;
}

export async function touchSession(db: Database, sessionId: string, now: number): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
}

export function revokeSession(db: Database, sessionId: string, now: number) {
  return db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export function revokeOtherSessions(db: Database, userId: string, keepSessionId: string, now: number) {
  return db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId), isNull(sessions.revokedAt)));
}

/** Retention: expired sessions, and revoked ones a day after revocation, are deleted. */
export function purgeDeadSessions(db: Database, now: number) {
  return db.delete(sessions).where(or(lt(sessions.expiresAt, now), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, now - 24 * 60 * 60 * 1000))));
}
