import type { SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Context } from "hono";
import { auditInsert, auditInsertWhen, type AuditInput } from "../db/queries/audit";
import type { AppEnv, Auth } from "./app-env";
import { clientIp, userAgent } from "./request-context";

type AuditFields = { action: string; workspaceId?: string | null; targetType?: string; targetId?: string; detail?: Record<string, unknown>; actorId?: string };

function stamped(c: Context<AppEnv>, fields: AuditFields): AuditInput {
  const auth = c.get("auth") as Auth | undefined;
  return {
    workspaceId: fields.workspaceId ?? null,
    actorId: fields.actorId ?? auth?.user.id ?? null,
    action: fields.action,
    targetType: fields.targetType ?? null,
    targetId: fields.targetId ?? null,
    detail: fields.detail ?? null,
    ip: clientIp(c.req.raw.headers),
    userAgent: userAgent(c.req.raw.headers),
    at: c.var.clock(),
  };
}

/** An audit insert stamped with the request's actor, IP, user agent and time, ready for `db.batch()`. */
export function audit(c: Context<AppEnv>, fields: AuditFields) {
  return auditInsert(c.var.db, stamped(c, fields));
}

/** Like `audit`, but written only if `condition` matches a row after the batch's earlier statements (see auditInsertWhen). */
export function auditWhen(c: Context<AppEnv>, fields: AuditFields, condition: { from: SQLiteTable; where: SQL }) {
  return auditInsertWhen(c.var.db, stamped(c, fields), condition);
}
