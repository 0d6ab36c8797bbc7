import { Hono } from "hono";
import { z } from "zod";
import { Platform } from "../contracts/connections";
import { completeCallback, type CallbackResult } from "../connections/oauth-flow";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { authenticate } from "../http/session";
import { publishLive } from "../live/publish";
import { flowEnv } from "./connections";

const CallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Where the browser lands: the workspace's Accounts page with the outcome, or a plain page when no workspace is known. */
function landing(result: CallbackResult): { location: string } | { html: string } {
  const query = new URLSearchParams();
  if (result.kind === "connected") query.set("connect", "connected"), query.set("count", String(result.connectionIds.length));
  if (result.kind === "select") query.set("connect", "select"), query.set("grant", result.pendingId);
  if (result.kind === "error") query.set("connect", "error"), query.set("reason", result.reason), query.set("message", result.message);
  if (result.workspaceId) return { location: `/w/${result.workspaceId}/accounts?${query}` };
  const message = result.kind === "error" ? result.message : "Something unexpected happened.";
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Connection not completed – Atelier</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem"><h1>The connection was not completed</h1><p role="alert">${escape(message)}</p><p><a href="/">Back to Atelier</a></p></body></html>`,
  };
}

/** `GET /oauth/{platform}/callback`: platforms send the browser here after their consent page. */
export const oauthRoutes = new Hono<AppEnv>().get("/:platform/callback", async (c) => {
  const platform = Platform.safeParse(c.req.param("platform"));
  const query = CallbackQuery.safeParse(c.req.query());
  let result: CallbackResult;
  if (!platform.success || !query.success) {
    result = { kind: "error", workspaceId: null, reason: "state_invalid", message: "This sign-in link is malformed. Start the connection again from the Accounts page." };
  } else {
    const auth = await authenticate(c);
    result = await completeCallback(
      flowEnv(c),
      platform.data,
      { code: query.data.code, state: query.data.state, error: query.data.error, errorDescription: query.data.error_description },
      auth ? { sessionId: auth.sessionId, userId: auth.user.id } : null,
    );
    if (result.workspaceId) {
      const action = result.kind === "error" ? "connection.failed" : result.kind === "select" ? "connection.authorized" : result.reconnected ? "connection.reconnected" : "connection.connected";
      const detail = result.kind === "error" ? { platform: platform.data, reason: result.reason } : { platform: platform.data };
      await c.var.db.batch([audit(c, { workspaceId: result.workspaceId, action, targetType: "connection", ...(result.kind === "connected" ? { targetId: result.connectionIds.join(",") } : {}), detail, ...(auth ? { actorId: auth.user.id } : {}) })]);
    }
    if (result.kind === "connected") for (const connectionId of result.connectionIds) await publishLive(c, result.workspaceId, { kind: "connection.changed", connectionId, status: "active" });
  }
  const target = landing(result);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  return "location" in target ? c.redirect(target.location, 302) : c.html(target.html, 400);
});
