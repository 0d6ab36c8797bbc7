import { createRoute, z } from "@hono/zod-openapi";
import { Id } from "../contracts/common";
import { AuditPage, AuditQuery } from "../contracts/workspaces";
import { listWorkspaceAudit } from "../db/queries/audit";
import { jsonContent, problems } from "../http/openapi";
import { ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { avatarUrl } from "../http/urls";

function parseCursor(cursor: string | undefined): { at: number; id: string } | null {
  if (!cursor) return null;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{10,64})$/.exec(cursor);
  if (!match?.[1] || !match[2]) throw new ProblemError("validation", "The page cursor is not valid.", { errors: [{ path: "before", message: "Use the nextCursor value of the previous page." }] });
  return { at: Number(match[1]), id: match[2] };
}

const list = createRoute({
  method: "get",
  path: "/{id}/audit",
  tags: ["audit"],
  summary: "The workspace's audit log, newest first (owners and admins)",
  request: { params: z.object({ id: Id }), query: AuditQuery },
  responses: { 200: jsonContent(AuditPage, "A page of entries and the cursor of the next one."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

export const auditRoutes = newRouter().openapi(list, async (c) => {
  const { id } = c.req.valid("param");
  const query = c.req.valid("query");
  requireRole(c.var.membership.role, "admin", "Only owners and admins can read the audit log.");
  const { rows, hasMore } = await listWorkspaceAudit(c.var.db, id, query.limit, parseCursor(query.before));
  const entries = rows.map(({ entry, actorName, actorHasAvatar, actorAvatarUpdatedAt }) => ({
    id: entry.id,
    at: new Date(entry.createdAt).toISOString(),
    actor: entry.actorId && actorName ? { id: entry.actorId, name: actorName, avatarUrl: avatarUrl({ id: entry.actorId, avatarKey: actorHasAvatar, avatarUpdatedAt: actorAvatarUpdatedAt }) } : null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    detail: entry.detail ?? null,
    ip: entry.ip,
    userAgent: entry.userAgent,
  }));
  const last = rows.at(-1)?.entry;
  return c.json({ entries, nextCursor: hasMore && last ? `${last.createdAt}.${last.id}` : null }, 200);
});
