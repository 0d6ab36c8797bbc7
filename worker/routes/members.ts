import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { ChangeRoleBody, Member, MemberList } from "../contracts/workspaces";
import { changeRoleKeepingAnOwner, listMembers, removeMemberKeepingAnOwner } from "../db/queries/workspaces";
import { removalRefusal, roleChangeRefusal } from "../domain/roles";
import { memberships, workspaces } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { auditWhen } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { conflict, forbidden, notFound } from "../http/problems";
import { newRouter } from "../http/router";
import { avatarUrl } from "../http/urls";
import { publishLive, workspaceHub } from "../live/publish";

type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];
const toMember = (m: MemberRow): Member => ({ userId: m.userId, name: m.name, email: m.email, avatarUrl: avatarUrl({ id: m.userId, avatarKey: m.avatarKey, avatarUpdatedAt: m.avatarUpdatedAt }), role: m.role, joinedAt: new Date(m.joinedAt).toISOString() });

const Params = z.object({ id: Id });
const MemberParams = z.object({ id: Id, userId: Id });
const LAST_OWNER = "A workspace needs at least one owner. Make someone else an owner first.";

async function findMember(c: Context<AppEnv>, workspaceId: string, userId: string): Promise<MemberRow> {
  const member = (await listMembers(c.var.db, workspaceId)).find((m) => m.userId === userId);
  if (!member) throw notFound("This member");
  return member;
}

/** Removal and leaving share this: the owner guard is in the statement, the live hub is told, sockets closed. */
async function removeMember(c: Context<AppEnv>, workspaceId: string, member: MemberRow, action: string): Promise<void> {
  const [removed] = await c.var.db.batch([
    removeMemberKeepingAnOwner(c.var.db, workspaceId, member.userId),
    // Recorded only if the owner guard let the removal through.
    auditWhen(
      c,
      { workspaceId, action, targetType: "user", targetId: member.userId, detail: { role: member.role } },
      { from: workspaces, where: and(eq(workspaces.id, workspaceId), sql`NOT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = ${workspaceId} AND user_id = ${member.userId})`)! },
    ),
  ]);
  if (removed.length === 0) throw conflict(LAST_OWNER);
  await publishLive(c, workspaceId, { kind: "member.removed", userId: member.userId });
  await workspaceHub(c.env, workspaceId).disconnectUser(member.userId);
}

const list = createRoute({
  method: "get",
  path: "/{id}/members",
  tags: ["members"],
  summary: "Members of a workspace",
  request: { params: Params },
  responses: { 200: jsonContent(MemberList, "Members, oldest first."), 401: problems[401], 404: problems[404] },
});

const changeRole = createRoute({
  method: "patch",
  path: "/{id}/members/{userId}",
  tags: ["members"],
  summary: "Change a member's role (owners and admins; only owners touch owners)",
  request: { params: MemberParams, body: jsonBody(ChangeRoleBody) },
  responses: { 200: jsonContent(Member, "The member with the new role."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}/members/{userId}",
  tags: ["members"],
  summary: "Remove a member (owners and admins), or yourself",
  request: { params: MemberParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const leave = createRoute({
  method: "post",
  path: "/{id}/leave",
  tags: ["members"],
  summary: "Leave a workspace (the last owner cannot)",
  request: { params: Params },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

export const memberRoutes = newRouter()
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    return c.json({ members: (await listMembers(c.var.db, id)).map(toMember) }, 200);
  })
  .openapi(changeRole, async (c) => {
    const { id, userId } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const target = await findMember(c, id, userId);
    const refusal = roleChangeRefusal(c.var.membership.role, target.role, role);
    if (refusal) throw forbidden(refusal);
    if (target.role === role) return c.json(toMember(target), 200);
    const [changed] = await c.var.db.batch([
      changeRoleKeepingAnOwner(c.var.db, id, userId, role),
      // Recorded only if the owner guard let the change through (the role differed before).
      auditWhen(
        c,
        { workspaceId: id, action: "member.role_changed", targetType: "user", targetId: userId, detail: { from: target.role, to: role } },
        { from: memberships, where: and(eq(memberships.workspaceId, id), eq(memberships.userId, userId), eq(memberships.role, role))! },
      ),
    ]);
    if (changed.length === 0) throw conflict(LAST_OWNER);
    await publishLive(c, id, { kind: "member.role_changed", userId, role });
    return c.json(toMember({ ...target, role }), 200);
  })
  .openapi(remove, async (c) => {
    const { id, userId } = c.req.valid("param");
    const target = await findMember(c, id, userId);
    const self = userId === c.var.auth.user.id;
    if (!self) {
      const refusal = removalRefusal(c.var.membership.role, target.role);
      if (refusal) throw forbidden(refusal);
    }
    await removeMember(c, id, target, self ? "member.left" : "member.removed");
    return c.body(null, 204);
  })
  .openapi(leave, async (c) => {
    const { id } = c.req.valid("param");
    await removeMember(c, id, await findMember(c, id, c.var.auth.user.id), "member.left");
    return c.body(null, 204);
  });
