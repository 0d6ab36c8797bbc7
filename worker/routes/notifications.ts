import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import { Id } from "../contracts/common";
import { NotificationList, NotificationQuery, type Notification } from "../contracts/posts";
import { notifications } from "../db/schema";
import { jsonContent, noContent, problems } from "../http/openapi";
import { notFound } from "../http/problems";
import { newRouter } from "../http/router";
import { publishLive } from "../live/publish";

const Params = z.object({ id: Id });
const NotificationParams = z.object({ id: Id, notificationId: Id });
const LIST_LIMIT = 200;

const list = createRoute({
  method: "get", path: "/{id}/notifications", tags: ["publishing"], summary: "Publishing notifications (failed, needs reconnect, unconfirmed), newest first",
  request: { params: Params, query: NotificationQuery },
  responses: { 200: jsonContent(NotificationList, "Notifications."), 401: problems[401], 404: problems[404] },
});
const dismiss = createRoute({
  method: "post", path: "/{id}/notifications/{notificationId}/dismiss", tags: ["publishing"], summary: "Dismiss a notification for everyone in the workspace",
  request: { params: NotificationParams },
  responses: { ...noContent, 401: problems[401], 404: problems[404] },
});

const ACTION: Record<Notification["kind"], Notification["action"]> = { publish_failed: "retry", needs_reconnect: "reconnect", unconfirmed: "review" };
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const notificationRoutes = newRouter()
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const { state } = c.req.valid("query");
    const where = state === "open" ? and(eq(notifications.workspaceId, id), isNull(notifications.resolvedAt)) : eq(notifications.workspaceId, id);
    const rows = await c.var.db.select().from(notifications).where(where).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(LIST_LIMIT);
    return c.json({
      notifications: rows.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, postId: n.postId, targetId: n.targetId, connectionId: n.connectionId, action: ACTION[n.kind], createdAt: new Date(n.createdAt).toISOString(), resolvedAt: iso(n.resolvedAt) })),
    }, 200);
  })
  .openapi(dismiss, async (c) => {
    const { id, notificationId } = c.req.valid("param");
    const row = await c.var.db.select().from(notifications).where(and(eq(notifications.workspaceId, id), eq(notifications.id, notificationId))).get();
    if (!row) throw notFound("This notification");
    if (row.resolvedAt === null) {
      await c.var.db.update(notifications).set({ resolvedAt: c.var.clock(), resolvedBy: c.var.auth.user.id }).where(eq(notifications.id, notificationId));
      await publishLive(c, id, { kind: "notification.changed", notificationId, resolved: true });
    }
    return c.body(null, 204);
  });
