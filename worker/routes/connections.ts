import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { AuthorizeResponse, Connection, ConnectionList, PendingGrant, Platform, PLATFORMS, PlatformList, SelectChannelsBody, SelectChannelsResponse } from "../contracts/connections";
import { findChannels, findConnection, listConnections } from "../db/queries/connections";
import { openPendingGrant, selectFromPendingGrant, startAuthorize, type FlowEnv } from "../connections/oauth-flow";
import { disconnectConnection } from "../connections/disconnect";
import { refreshConnection } from "../connections/refresh";
import { Problem as ProblemSchema } from "../contracts/common";
import { toConnection } from "../connections/views";
import { credentialsFor } from "../platforms/credentials";
import { adapterFor } from "../platforms/registry";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { appOrigin } from "../http/urls";
import { publishLive } from "../live/publish";

const Params = z.object({ id: Id });
const PlatformParams = z.object({ id: Id, platform: Platform });
const ConnectionParams = z.object({ id: Id, connectionId: Id });
const PendingParams = z.object({ id: Id, grantId: Id });
const MANAGE = "Only owners and admins can connect and disconnect accounts.";

export function flowEnv(c: Context<AppEnv>): FlowEnv {
  return { env: c.env, db: c.var.db, now: c.var.clock(), appOrigin: appOrigin(c.req.url, c.env) };
}

async function connectionsOf(c: Context<AppEnv>, workspaceId: string, ids?: string[]) {
  const rows = await listConnections(c.var.db, workspaceId);
  return rows.filter((r) => !ids || ids.includes(r.connection.id)).map((r) => toConnection(r.connection, r.connector?.id ? r.connector : null));
}

const platforms = createRoute({
  method: "get", path: "/{id}/platforms", tags: ["connections"], summary: "Platforms that can be connected, with the permissions each asks for and why",
  request: { params: Params },
  responses: { 200: jsonContent(PlatformList, "The seven platforms."), 401: problems[401], 404: problems[404] },
});

const list = createRoute({
  method: "get", path: "/{id}/connections", tags: ["connections"], summary: "Connected channels (never with tokens)",
  request: { params: Params },
  responses: { 200: jsonContent(ConnectionList, "Channels by platform and name."), 401: problems[401], 404: problems[404] },
});

const authorize = createRoute({
  method: "post", path: "/{id}/connections/{platform}/authorize", tags: ["connections"], summary: "Start connecting a platform: the URL of its consent page (owners and admins)",
  request: { params: PlatformParams },
  responses: { 200: jsonContent(AuthorizeResponse, "Send the browser to `url`."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const pending = createRoute({
  method: "get", path: "/{id}/connections/pending/{grantId}", tags: ["connections"], summary: "The accounts a sign-in gave access to, to choose from",
  request: { params: PendingParams },
  responses: { 200: jsonContent(PendingGrant, "Candidates, marked when already connected."), 401: problems[401], 403: problems[403], 404: problems[404] },
});

const select = createRoute({
  method: "post", path: "/{id}/connections/pending/{grantId}", tags: ["connections"], summary: "Add the chosen accounts of a sign-in",
  request: { params: PendingParams, body: jsonBody(SelectChannelsBody) },
  responses: { 200: jsonContent(SelectChannelsResponse, "The connections added or updated."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

const reconnect = createRoute({
  method: "post", path: "/{id}/connections/{connectionId}/reconnect", tags: ["connections"], summary: "Reconnect a channel: the URL of the platform's consent page",
  request: { params: ConnectionParams },
  responses: { 200: jsonContent(AuthorizeResponse, "Send the browser to `url`."), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const refresh = createRoute({
  method: "post", path: "/{id}/connections/{connectionId}/refresh", tags: ["connections"], summary: "Refresh a channel's tokens now and report its status (owners and admins)",
  request: { params: ConnectionParams },
  responses: { 200: jsonContent(Connection, "The connection after the refresh: active, or needs_reconnect with the platform's reason."), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 503: { description: "The platform could not be reached or is rate limiting; try again later.", content: { "application/problem+json": { schema: ProblemSchema } } } },
});

const remove = createRoute({
  method: "delete", path: "/{id}/connections/{connectionId}", tags: ["connections"], summary: "Disconnect a channel: revoke at the platform, delete the tokens now",
  request: { params: ConnectionParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404] },
});

const unavailable = (detail: string) => new ProblemError("conflict", detail);

export const connectionRoutes = newRouter()
  .openapi(platforms, (c) => {
    const items = PLATFORMS.map((platform) => {
      const adapter = adapterFor(platform);
      return {
        platform,
        displayName: adapter?.displayName ?? platform,
        available: Boolean(adapter && credentialsFor(c.env, adapter.credentialsKey)),
        scopes: adapter ? adapter.scopes.map((s) => ({ scope: s.scope, purpose: s.purpose, required: s.required })) : [],
      };
    });
    return c.json({ platforms: items }, 200);
  })
  .openapi(list, async (c) => c.json({ connections: await connectionsOf(c, c.req.valid("param").id) }, 200))
  .openapi(authorize, async (c) => {
    const { id, platform } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const started = await startAuthorize(flowEnv(c), { workspaceId: id, userId: c.var.auth.user.id, sessionId: c.var.auth.sessionId, platform, reconnectConnectionId: null });
    if (!started.ok) throw unavailable(started.message);
    return c.json({ url: started.url }, 200);
  })
  .openapi(pending, async (c) => {
    const { id, grantId } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const opened = await openPendingGrant(flowEnv(c), id, c.var.auth.user.id, grantId);
    if (!opened) throw notFound("This account choice");
    const connected = new Set((await findChannels(c.var.db, id, opened.platform, opened.grant.channels.map((ch) => ch.externalId))).filter((r) => r.status !== "disconnected").map((r) => r.externalId));
    return c.json(
      {
        id: grantId,
        platform: opened.platform,
        expiresAt: new Date(opened.expiresAt).toISOString(),
        account: { name: opened.grant.account.name },
        candidates: opened.grant.channels.map((ch) => ({ externalId: ch.externalId, kind: ch.kind, name: ch.name, handle: ch.handle, avatarUrl: ch.avatarUrl, alreadyConnected: connected.has(ch.externalId) })),
      },
      200,
    );
  })
  .openapi(select, async (c) => {
    const { id, grantId } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const result = await selectFromPendingGrant(flowEnv(c), id, c.var.auth.user.id, grantId, c.req.valid("json").externalIds);
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound("This account choice");
      throw new ProblemError("validation", result.message, { errors: [{ path: "externalIds", message: result.message }] });
    }
    await c.var.db.batch([audit(c, { workspaceId: id, action: "connection.connected", targetType: "connection", targetId: result.connectionIds.join(","), detail: { count: result.connectionIds.length } })]);
    for (const connectionId of result.connectionIds) await publishLive(c, id, { kind: "connection.changed", connectionId, status: "active" });
    return c.json({ connections: await connectionsOf(c, id, result.connectionIds) }, 200);
  })
  .openapi(reconnect, async (c) => {
    const { id, connectionId } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const row = await findConnection(c.var.db, id, connectionId);
    if (!row) throw notFound("This connection");
    const started = await startAuthorize(flowEnv(c), { workspaceId: id, userId: c.var.auth.user.id, sessionId: c.var.auth.sessionId, platform: Platform.parse(row.platform), reconnectConnectionId: row.id });
    if (!started.ok) throw unavailable(started.message);
    return c.json({ url: started.url }, 200);
  })
  .openapi(refresh, async (c) => {
    const { id, connectionId } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const row = await findConnection(c.var.db, id, connectionId);
    if (!row || row.status === "disconnected") throw notFound("This connection");
    const adapter = adapterFor(Platform.parse(row.platform));
    if (!adapter?.refreshable) throw new ProblemError("conflict", `${adapter?.displayName ?? row.platform} tokens cannot be refreshed without you: reconnect before they expire.`);
    if (row.status === "active") {
      const result = await refreshConnection(
        { env: c.env, db: c.var.db, now: c.var.clock, appOrigin: appOrigin(c.req.url, c.env), wait: (ms) => scheduler.wait(ms), onStatusChange: (workspaceId, cid, status) => publishLive(c, workspaceId, { kind: "connection.changed", connectionId: cid, status }) },
        connectionId,
      );
      if (!result.ok && (result.failure.kind === "retry" || result.failure.kind === "fatal")) {
        throw new ProblemError("unavailable", result.failure.message, result.failure.retryAfterSeconds ? { headers: { "Retry-After": String(result.failure.retryAfterSeconds) } } : {});
      }
      await c.var.db.batch([audit(c, { workspaceId: id, action: "connection.refreshed", targetType: "connection", targetId: connectionId, detail: { ok: result.ok } })]);
    }
    const [connection] = await connectionsOf(c, id, [connectionId]);
    if (!connection) throw notFound("This connection");
    return c.json(connection, 200);
  })
  .openapi(remove, async (c) => {
    const { id, connectionId } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const row = await findConnection(c.var.db, id, connectionId);
    if (!row || row.status === "disconnected") throw notFound("This connection");
    const report = await disconnectConnection(flowEnv(c), row);
    await c.var.db.batch([audit(c, { workspaceId: id, action: "connection.disconnected", targetType: "connection", targetId: connectionId, detail: { platform: row.platform, name: row.name, ...report } })]);
    await publishLive(c, id, { kind: "connection.changed", connectionId, status: "disconnected" });
    return c.body(null, 204);
  });
