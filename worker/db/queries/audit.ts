import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "../client";
import { auditLog, users } from "../schema";
import { newId } from "../../security/ids";

/** Audit entries are kept at most this long; the cron deletes older ones (privacy promise). */
export const AUDIT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

export type AuditInput = {
  workspaceId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  detail?: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  at: number;
};

/** Returns the insert so callers put it in the same `db.batch()` as the change it records. */
export function auditInsert(db: Database, entry: AuditInput) {
  return db.insert(auditLog).values({
    id: newId(),
    workspaceId: entry.workspaceId,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    detail: entry.detail ?? null,
    ip: entry.ip,
    userAgent: entry.userAgent,
    createdAt: entry.at,
  });
}

/** Cursor = `<createdAt>.<id>` of the last entry seen; pages go back in time. */
export async function listWorkspaceAudit(db: Database, workspaceId: string, limit: number, before: { at: number; id: string } | null) {
  const rows = await db
    .select({ entry: auditLog, actorName: users.name, actorAvatarUpdatedAt: users.avatarUpdatedAt, actorHasAvatar: users.avatarKey })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        eq(auditLog.workspaceId, workspaceId),
        before ? or(lt(auditLog.createdAt, before.at), and(eq(auditLog.createdAt, before.at), lt(auditLog.id, before.id))) : undefined,
      ),
    )
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit + 1)
    .all();
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export function purgeOldAudit(db: Database, now: number) {
  return db.delete(auditLog).where(lt(auditLog.createdAt, now - AUDIT_RETENTION_MS));
}
