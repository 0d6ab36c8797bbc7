import { and, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
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

/**
 * The same entry, inserted only if `where` matches a row of `from` once the earlier statements of the
 * batch have run. For guarded changes (a conditional UPDATE or DELETE that may match nothing): a refused
 * change leaves no entry claiming it happened, and an allowed one commits atomically with its entry.
 */
export function auditInsertWhen(db: Database, entry: AuditInput, condition: { from: SQLiteTable; where: SQL }) {
  const value = (v: string | number | null, column: string) => sql`${v}`.as(column);
  return db.insert(auditLog).select(
    db
      .select({
        id: value(newId(), "id"),
        workspaceId: value(entry.workspaceId, "workspace_id"),
        actorId: value(entry.actorId, "actor_id"),
        action: value(entry.action, "action"),
        targetType: value(entry.targetType ?? null, "target_type"),
        targetId: value(entry.targetId ?? null, "target_id"),
        detail: value(entry.detail ? JSON.stringify(entry.detail) : null, "detail"),
        ip: value(entry.ip, "ip"),
        userAgent: value(entry.userAgent, "user_agent"),
        createdAt: value(entry.at, "created_at"),
      })
      .from(condition.from)
      .where(condition.where)
      .limit(1),
  );
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
