import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { Id } from "../contracts/common";
import { CreateWorkspaceBody, DEFAULT_MEDIA_MAX_FILE_BYTES, DEFAULT_MEDIA_QUOTA_BYTES, UpdateWorkspaceBody, Workspace, WorkspaceList } from "../contracts/workspaces";
import { findWorkspace, listWorkspacesOf } from "../db/queries/workspaces";
import { auditLog, memberships, workspaces } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { imageHeaders, readImageUpload } from "../http/image-upload";
import { imageBody, imageResponseDoc, jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { parseParams } from "../http/validation";
import { requireRole } from "../http/tenancy";
import { newId } from "../security/ids";
import { publishLive } from "../live/publish";
import { deletePrefix } from "../storage/r2";
import { toWorkspace } from "./workspace-view";
import type { Context } from "hono";

const WorkspaceParams = z.object({ id: Id });
const logoKey = (workspaceId: string) => `ws/${workspaceId}/logo`;

async function loadWorkspace(c: Context<AppEnv>, id: string) {
  const row = await findWorkspace(c.var.db, id);
  if (!row) throw notFound("This workspace");
  return row;
}

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["workspaces"],
  summary: "Workspaces you are a member of",
  responses: { 200: jsonContent(WorkspaceList, "Your workspaces, by name."), 401: problems[401] },
});

const create = createRoute({
  method: "post",
  path: "/",
  tags: ["workspaces"],
  summary: "Create a workspace; you become its owner",
  request: { body: jsonBody(CreateWorkspaceBody) },
  responses: { 201: jsonContent(Workspace, "The new workspace."), 400: problems[400], 401: problems[401], 403: problems[403] },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["workspaces"],
  summary: "One workspace",
  request: { params: WorkspaceParams },
  responses: { 200: jsonContent(Workspace, "The workspace and your role in it."), 401: problems[401], 404: problems[404] },
});

const update = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["workspaces"],
  summary: "Rename a workspace or change its time zone (owners and admins)",
  request: { params: WorkspaceParams, body: jsonBody(UpdateWorkspaceBody) },
  responses: { 200: jsonContent(Workspace, "The updated workspace."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["workspaces"],
  summary: "Delete a workspace and everything in it (owners only)",
  request: { params: WorkspaceParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404] },
});

const putLogo = createRoute({
  method: "put",
  path: "/{id}/logo",
  tags: ["workspaces"],
  summary: "Upload the workspace logo (owners and admins)",
  request: { params: WorkspaceParams, body: imageBody },
  responses: { 200: jsonContent(Workspace, "The workspace with its new logo."), 401: problems[401], 403: problems[403], 404: problems[404], 413: problems[413], 415: problems[415] },
});

const deleteLogo = createRoute({
  method: "delete",
  path: "/{id}/logo",
  tags: ["workspaces"],
  summary: "Remove the workspace logo (owners and admins)",
  request: { params: WorkspaceParams },
  responses: { 200: jsonContent(Workspace, "The workspace without a logo."), 401: problems[401], 403: problems[403], 404: problems[404] },
});

const getLogo = createRoute({
  method: "get",
  path: "/{id}/logo",
  tags: ["workspaces"],
  summary: "The workspace logo",
  request: { params: WorkspaceParams },
  responses: { ...imageResponseDoc, 401: problems[401], 404: problems[404] },
});

const MANAGE = "Only owners and admins can change workspace settings.";

export const workspaceRoutes = newRouter()
  .openapi(list, async (c) => {
    const rows = await listWorkspacesOf(c.var.db, c.var.auth.user.id);
    return c.json({ workspaces: rows.map((r) => toWorkspace(r.workspace, r.role)) }, 200);
  })
  .openapi(create, async (c) => {
    const body = c.req.valid("json");
    const now = c.var.clock();
    const id = newId();
    const userId = c.var.auth.user.id;
    const row = { id, name: body.name, timezone: body.timezone, logoKey: null, logoUpdatedAt: null, createdBy: userId, createdAt: now, updatedAt: now, mediaMaxFileBytes: DEFAULT_MEDIA_MAX_FILE_BYTES, mediaQuotaBytes: DEFAULT_MEDIA_QUOTA_BYTES };
    await c.var.db.batch([
      c.var.db.insert(workspaces).values(row),
      c.var.db.insert(memberships).values({ workspaceId: id, userId, role: "owner", createdAt: now }),
      audit(c, { workspaceId: id, action: "workspace.created", targetType: "workspace", targetId: id, detail: { name: body.name, timezone: body.timezone } }),
    ]);
    return c.json(toWorkspace(row, "owner"), 201);
  })
  .openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(toWorkspace(await loadWorkspace(c, id), c.var.membership.role), 200);
  })
  .openapi(update, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const body = c.req.valid("json");
    const now = c.var.clock();
    if (body.mediaMaxFileBytes !== undefined || body.mediaQuotaBytes !== undefined) {
      const current = await loadWorkspace(c, id);
      if ((body.mediaMaxFileBytes ?? current.mediaMaxFileBytes) > (body.mediaQuotaBytes ?? current.mediaQuotaBytes)) {
        throw new ProblemError("validation", "The largest file cannot be bigger than the whole library's quota.", { errors: [{ path: "mediaMaxFileBytes", message: "Choose a size no bigger than the library quota." }] });
      }
    }
    const [updated] = await c.var.db.batch([
      c.var.db.update(workspaces).set({ ...body, updatedAt: now }).where(eq(workspaces.id, id)).returning(),
      audit(c, { workspaceId: id, action: "workspace.updated", targetType: "workspace", targetId: id, detail: body }),
    ]);
    const row = updated[0];
    if (!row) throw notFound("This workspace");
    await publishLive(c, id, { kind: "workspace.updated" });
    return c.json(toWorkspace(row, c.var.membership.role), 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "owner", "Only an owner can delete the workspace.");
    const row = await loadWorkspace(c, id);
    // Members, invites and (later) everything else cascade from the workspace row. Its audit entries go
    // too; a user-level entry records who deleted what.
    await c.var.db.batch([
      c.var.db.delete(workspaces).where(eq(workspaces.id, id)),
      c.var.db.delete(auditLog).where(and(eq(auditLog.workspaceId, id))),
      audit(c, { workspaceId: null, action: "workspace.deleted", targetType: "workspace", targetId: id, detail: { name: row.name } }),
    ]);
    await deletePrefix(c.env.MEDIA, `ws/${id}/`);
    await publishLive(c, id, { kind: "workspace.deleted" });
    return c.body(null, 204);
  })
  .openapi(putLogo, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const image = await readImageUpload(c);
    const now = c.var.clock();
    await c.env.MEDIA.put(logoKey(id), image.bytes, { httpMetadata: { contentType: image.type } });
    const [updated] = await c.var.db.batch([
      c.var.db.update(workspaces).set({ logoKey: logoKey(id), logoUpdatedAt: now, updatedAt: now }).where(eq(workspaces.id, id)).returning(),
      audit(c, { workspaceId: id, action: "workspace.logo_changed", targetType: "workspace", targetId: id, detail: { type: image.type, bytes: image.bytes.byteLength } }),
    ]);
    const row = updated[0];
    if (!row) throw notFound("This workspace");
    await publishLive(c, id, { kind: "workspace.updated" });
    return c.json(toWorkspace(row, c.var.membership.role), 200);
  })
  .openapi(deleteLogo, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "admin", MANAGE);
    const now = c.var.clock();
    await c.env.MEDIA.delete(logoKey(id));
    const [updated] = await c.var.db.batch([
      c.var.db.update(workspaces).set({ logoKey: null, logoUpdatedAt: null, updatedAt: now }).where(eq(workspaces.id, id)).returning(),
      audit(c, { workspaceId: id, action: "workspace.logo_removed", targetType: "workspace", targetId: id }),
    ]);
    const row = updated[0];
    if (!row) throw notFound("This workspace");
    await publishLive(c, id, { kind: "workspace.updated" });
    return c.json(toWorkspace(row, c.var.membership.role), 200);
  });

// Binary responses are documented in the registry and served by a plain handler (the typed handler is JSON-only).
workspaceRoutes.openAPIRegistry.registerPath(getLogo);
workspaceRoutes.get("/:id/logo", async (c) => {
  const { id } = parseParams(WorkspaceParams, c.req.param());
  const row = await loadWorkspace(c, id);
  const object = row.logoKey ? await c.env.MEDIA.get(row.logoKey) : null;
  if (!object) throw notFound("This logo");
  return c.body(object.body, 200, imageHeaders(object));
});
