import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { CreatedInvite, CreateInviteBody, type Invite, InviteList, InvitePreview, Workspace } from "../contracts/workspaces";
import { consumeInvite, findInviteByTokenHash, INVITE_TTL_MS, listPendingInvites } from "../db/queries/invites";
import { findMembership } from "../db/queries/workspaces";
import { inviteRefusal } from "../domain/roles";
import { invites, memberships } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit, auditWhen } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { forbidden, notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireAuth } from "../http/session";
import { appOrigin, avatarUrl, logoUrl } from "../http/urls";
import { publishLive } from "../live/publish";
import { sha256Base64Url } from "../security/encoding";
import { newId, newToken } from "../security/ids";
import { toWorkspace } from "./workspace-view";

const Params = z.object({ id: Id });
const InviteParams = z.object({ id: Id, inviteId: Id });
const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This invite link is not valid.") });

const iso = (ms: number) => new Date(ms).toISOString();

const list = createRoute({
  method: "get",
  path: "/{id}/invites",
  tags: ["invites"],
  summary: "Pending invites (owners and admins)",
  request: { params: Params },
  responses: { 200: jsonContent(InviteList, "Invites not yet accepted, revoked or expired."), 401: problems[401], 403: problems[403], 404: problems[404] },
});

const create = createRoute({
  method: "post",
  path: "/{id}/invites",
  tags: ["invites"],
  summary: "Create an invite link, valid 7 days and usable once (owners and admins)",
  request: { params: Params, body: jsonBody(CreateInviteBody) },
  responses: { 201: jsonContent(CreatedInvite, "The invite and its link. The link is shown only now."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

const revoke = createRoute({
  method: "delete",
  path: "/{id}/invites/{inviteId}",
  tags: ["invites"],
  summary: "Revoke a pending invite (owners and admins)",
  request: { params: InviteParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404] },
});

/** Routes under /api/workspaces/{id}/invites: membership is already checked. */
export const workspaceInviteRoutes = newRouter()
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const refusal = inviteRefusal(c.var.membership.role);
    if (refusal) throw forbidden(refusal);
    const rows = await listPendingInvites(c.var.db, id, c.var.clock());
    const items: Invite[] = rows.map((r) => ({
      id: r.invite.id,
      role: r.invite.role,
      email: r.invite.email,
      createdAt: iso(r.invite.createdAt),
      expiresAt: iso(r.invite.expiresAt),
      createdBy: r.invite.createdBy && r.creatorName ? { id: r.invite.createdBy, name: r.creatorName, avatarUrl: avatarUrl({ id: r.invite.createdBy, avatarKey: r.creatorAvatarKey, avatarUpdatedAt: r.creatorAvatarUpdatedAt }) } : null,
    }));
    return c.json({ invites: items }, 200);
  })
  .openapi(create, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const refusal = inviteRefusal(c.var.membership.role);
    if (refusal) throw forbidden(refusal);
    const now = c.var.clock();
    const token = newToken();
    const inviteId = newId();
    const row = { id: inviteId, workspaceId: id, tokenHash: await sha256Base64Url(token), role: body.role, email: body.email ?? null, createdBy: c.var.auth.user.id, createdAt: now, expiresAt: now + INVITE_TTL_MS };
    await c.var.db.batch([
      c.var.db.insert(invites).values(row),
      audit(c, { workspaceId: id, action: "invite.created", targetType: "invite", targetId: inviteId, detail: { role: body.role, email: body.email ?? null } }),
    ]);
    await publishLive(c, id, { kind: "invite.created", inviteId });
    const me = c.var.auth.user;
    const invite: Invite = { id: inviteId, role: row.role, email: row.email, createdAt: iso(now), expiresAt: iso(row.expiresAt), createdBy: { id: me.id, name: me.name, avatarUrl: avatarUrl(me) } };
    return c.json({ invite, token, url: `${appOrigin(c.req.url, c.env)}/invite/${token}` }, 201);
  })
  .openapi(revoke, async (c) => {
    const { id, inviteId } = c.req.valid("param");
    const refusal = inviteRefusal(c.var.membership.role);
    if (refusal) throw forbidden(refusal);
    const pending = and(eq(invites.id, inviteId), eq(invites.workspaceId, id), isNull(invites.acceptedAt), isNull(invites.revokedAt));
    const [, revoked] = await c.var.db.batch([
      // Recorded first, and only while the invite is still pending: revoking it again (a 404) leaves no entry.
      auditWhen(c, { workspaceId: id, action: "invite.revoked", targetType: "invite", targetId: inviteId }, { from: invites, where: pending! }),
      c.var.db.update(invites).set({ revokedAt: c.var.clock() }).where(pending).returning({ id: invites.id }),
    ]);
    if (revoked.length === 0) throw notFound("This pending invite");
    await publishLive(c, id, { kind: "invite.revoked", inviteId });
    return c.body(null, 204);
  });

/** A live invite for this token, or the problem a person holding a dead link should read. */
async function liveInvite(c: Context<AppEnv>, token: string) {
  const found = await findInviteByTokenHash(c.var.db, await sha256Base64Url(token));
  if (!found) throw notFound("This invite");
  const { invite } = found;
  if (invite.revokedAt !== null) throw new ProblemError("gone", "This invite was revoked. Ask a workspace admin for a new link.");
  if (invite.acceptedAt !== null) throw new ProblemError("gone", "This invite has already been used. Ask a workspace admin for a new link.");
  if (invite.expiresAt <= c.var.clock()) throw new ProblemError("gone", "This invite has expired (links last 7 days). Ask a workspace admin for a new one.");
  return found;
}

const preview = createRoute({
  method: "get",
  path: "/{token}",
  tags: ["invites"],
  summary: "What an invite link offers (no sign-in needed)",
  request: { params: TokenParams },
  responses: { 200: jsonContent(InvitePreview, "The workspace and role offered."), 400: problems[400], 404: problems[404], 410: problems[410] },
});

const accept = createRoute({
  method: "post",
  path: "/{token}/accept",
  tags: ["invites"],
  summary: "Accept an invite as the signed-in user",
  middleware: [requireAuth] as const,
  request: { params: TokenParams },
  responses: { 200: jsonContent(Workspace, "The workspace you joined (or were already in)."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 410: problems[410] },
});

/** Routes under /api/invites/{token}. */
export const inviteTokenRoutes = newRouter()
  .openapi(preview, async (c) => {
    const { invite, workspace, inviterName } = await liveInvite(c, c.req.valid("param").token);
    return c.json(
      {
        workspace: { id: workspace.id, name: workspace.name, logoUrl: logoUrl(workspace) },
        role: invite.role,
        email: invite.email,
        invitedBy: inviterName ? { name: inviterName } : null,
        expiresAt: iso(invite.expiresAt),
      },
      200,
    );
  })
  .openapi(accept, async (c) => {
    const { invite, workspace } = await liveInvite(c, c.req.valid("param").token);
    const user = c.var.auth.user;
    const existing = await findMembership(c.var.db, workspace.id, user.id);
    if (existing) return c.json(toWorkspace(workspace, existing.role), 200);
    if (invite.email && invite.email !== user.email) {
      throw forbidden(`This invite is for ${invite.email}. Sign in with that address to accept it.`);
    }
    const now = c.var.clock();
    const [consumed] = await c.var.db.batch([
      consumeInvite(c.var.db, invite.id, user.id, now),
      // Inserted only if this request consumed the invite: a second accept of the same link adds nobody.
      // Inserted only if this request consumed the invite (same statement, so a second accept adds nobody).
      c.var.db
        .insert(memberships)
        .select(
          c.var.db
            .select({ workspaceId: sql`${workspace.id}`.as("workspace_id"), userId: sql`${user.id}`.as("user_id"), role: sql`${invite.role}`.as("role"), createdAt: sql`${now}`.as("created_at") })
            .from(invites)
            .where(and(eq(invites.id, invite.id), eq(invites.acceptedBy, user.id), eq(invites.acceptedAt, now))),
        )
        .onConflictDoNothing(),
      audit(c, { workspaceId: workspace.id, action: "invite.accepted", targetType: "invite", targetId: invite.id, detail: { role: invite.role } }),
    ]);
    if (consumed.length === 0) throw new ProblemError("gone", "This invite has just been used or revoked. Ask a workspace admin for a new link.");
    await publishLive(c, workspace.id, { kind: "member.added", userId: user.id, role: invite.role });
    return c.json(toWorkspace(workspace, invite.role), 200);
  });
