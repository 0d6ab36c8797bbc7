import type { Context } from "hono";
import { auditInsert } from "../db/queries/audit";
import type { AppEnv, Auth } from "./app-env";
import { clientIp, userAgent } from "./request-context";

type AuditFields = { action: string; workspaceId?: string | null; targetType?: string; targetId?: string; detail?: Record<string, unknown>; actorId?: string };

/** An audit insert stamped with the request's actor, IP, user agent and time, ready for `db.batch()`. */
export function audit(c: Context<AppEnv>, fields: AuditFields) {
  const auth = c.get("auth") as Auth | undefined;
  return auditInsert(c.var.db, {
    workspaceId: fields.workspaceId ?? null,
    actorId: fields.actorId ?? auth?.user.id ?? null,
    action: fields.action,
    targetType: fields.targetType ?? null,
    targetId: fields.targetId ?? null,
    detail: fields.detail ?? null,
    ip: clientIp(c.req.raw.headers),
    userAgent: userAgent(c.req.raw.headers),
    at: c.var.clock(),
  });
}
