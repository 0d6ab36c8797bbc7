import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/app-env";
import { allowedOrigins } from "../http/origin";
import { problems } from "../http/openapi";
import { ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { avatarUrl } from "../http/urls";
import { workspaceHub } from "../live/publish";
import { HubMemberHeader, HUB_MEMBER_HEADER } from "../../durable-objects/workspace/member-header";

const Since = z.coerce.number().int().min(0).optional();

/** Before any upgrade: it must be a WebSocket request from this app's own pages. */
const upgradeGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ProblemError("upgrade-required", "This address is a WebSocket; connect with a WebSocket client.");
  }
  const origin = c.req.header("Origin");
  if (!origin || !allowedOrigins(c.req.url, c.env).has(origin)) {
    throw new ProblemError("foreign-origin", "Live updates can only be opened from Atelier's own pages.");
  }
  await next();
});

export const liveRoutes = newRouter();

liveRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: "/{id}/live",
  tags: ["live"],
  summary: "Open the workspace's live channel (WebSocket; frames in contracts/live.ts)",
  description: "Requires the session cookie, membership and this app's Origin, all checked before the upgrade. `since` resumes after a sequence number.",
  request: { params: z.object({ id: z.string() }), query: z.object({ since: Since }) },
  responses: { 101: { description: "Switching to the WebSocket protocol." }, 401: problems[401], 403: problems[403], 404: problems[404] },
});

liveRoutes.get("/:id/live", upgradeGuard, async (c) => {
  const since = Since.safeParse(c.req.query("since"));
  if (!since.success) throw new ProblemError("validation", "`since` must be a sequence number.", { errors: [{ path: "since", message: "Use a whole number ≥ 0." }] });
  const { user } = c.var.auth;
  const member = HubMemberHeader.parse({ userId: user.id, name: user.name, avatarUrl: avatarUrl(user), role: c.var.membership.role });
  // A fresh request: nothing the client sent (cookies, forged member headers) reaches the Durable Object.
  const headers = new Headers({ Upgrade: "websocket", [HUB_MEMBER_HEADER]: JSON.stringify(member) });
  const url = new URL("https://hub.internal/connect");
  if (since.data !== undefined) url.searchParams.set("since", String(since.data));
  return workspaceHub(c.env, c.var.membership.workspaceId).fetch(new Request(url, { headers }));
});
