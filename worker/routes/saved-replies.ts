import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { and, asc, eq } from "drizzle-orm";
import { Id } from "../contracts/common";
import { SavedReply, SavedReplyInput, SavedReplyList, SavedReplyPatch } from "../contracts/saved-replies";
import { savedReplies } from "../db/schema-inbox";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { newId } from "../security/ids";

/** Saved replies (contract: worker/contracts/saved-replies.ts). Every member reads; contributors and above change them. */
const WorkspaceParams = z.object({ id: Id });
const ReplyParams = z.object({ id: Id, replyId: Id });
const PATH = "/{id}/inbox/saved-replies";
const EDIT = "Only contributors, editors, admins and owners can change saved replies.";

type SavedReplyRow = typeof savedReplies.$inferSelect;

const view = (row: SavedReplyRow): SavedReply => ({
  id: row.id,
  name: row.name,
  text: row.text,
  createdBy: row.createdBy,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

const listReplies = createRoute({
  method: "get", path: PATH, tags: ["inbox"], summary: "The workspace's saved replies, by name",
  request: { params: WorkspaceParams },
  responses: { 200: jsonContent(SavedReplyList, "The saved replies, sorted by name."), 401: problems[401], 404: problems[404] },
});
const createReply = createRoute({
  method: "post", path: PATH, tags: ["inbox"], summary: "Save a reply for the inbox composer",
  request: { params: WorkspaceParams, body: jsonBody(SavedReplyInput) },
  responses: { 201: jsonContent(SavedReply, "The saved reply."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});
const editReply = createRoute({
  method: "patch", path: `${PATH}/{replyId}`, tags: ["inbox"], summary: "Rename or rewrite a saved reply",
  request: { params: ReplyParams, body: jsonBody(SavedReplyPatch) },
  responses: { 200: jsonContent(SavedReply, "The saved reply after the change."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});
const deleteReply = createRoute({
  method: "delete", path: `${PATH}/{replyId}`, tags: ["inbox"], summary: "Delete a saved reply",
  request: { params: ReplyParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404] },
});

/** Scoped by workspace as well as id, so another workspace's reply answers 404 like a missing one. */
async function findReply(c: Context<AppEnv>, workspaceId: string, replyId: string): Promise<SavedReplyRow> {
  const row = await c.var.db.select().from(savedReplies).where(and(eq(savedReplies.id, replyId), eq(savedReplies.workspaceId, workspaceId))).get();
  if (!row) throw notFound("This saved reply");
  return row;
}

export const savedReplyRoutes = newRouter()
  .openapi(listReplies, async (c) => {
    const { id } = c.req.valid("param");
    const rows = await c.var.db.select().from(savedReplies).where(eq(savedReplies.workspaceId, id)).orderBy(asc(savedReplies.name), asc(savedReplies.createdAt));
    return c.json({ savedReplies: rows.map(view) }, 200);
  })
  .openapi(createReply, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", EDIT);
    const input = c.req.valid("json");
    const now = c.var.clock();
    const row: SavedReplyRow = { id: newId(), workspaceId: id, name: input.name, text: input.text, createdBy: c.var.auth.user.id, createdAt: now, updatedAt: now };
    await c.var.db.batch([
      c.var.db.insert(savedReplies).values(row),
      audit(c, { workspaceId: id, action: "saved_reply.created", targetType: "saved_reply", targetId: row.id, detail: { name: row.name } }),
    ]);
    return c.json(view(row), 201);
  })
  .openapi(editReply, async (c) => {
    const { id, replyId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", EDIT);
    const patch = c.req.valid("json");
    if (patch.name === undefined && patch.text === undefined) throw new ProblemError("validation", "Change the name or the text.", { errors: [{ path: "", message: "Change the name or the text." }] });
    const current = await findReply(c, id, replyId);
    const updated: SavedReplyRow = { ...current, name: patch.name ?? current.name, text: patch.text ?? current.text, updatedAt: c.var.clock() };
    await c.var.db.batch([
      c.var.db.update(savedReplies).set({ name: updated.name, text: updated.text, updatedAt: updated.updatedAt }).where(and(eq(savedReplies.id, replyId), eq(savedReplies.workspaceId, id))),
      audit(c, { workspaceId: id, action: "saved_reply.updated", targetType: "saved_reply", targetId: replyId, detail: { fields: Object.keys(patch) } }),
    ]);
    return c.json(view(updated), 200);
  })
  .openapi(deleteReply, async (c) => {
    const { id, replyId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", EDIT);
    const reply = await findReply(c, id, replyId);
    await c.var.db.batch([
      c.var.db.delete(savedReplies).where(and(eq(savedReplies.id, replyId), eq(savedReplies.workspaceId, id))),
      audit(c, { workspaceId: id, action: "saved_reply.deleted", targetType: "saved_reply", targetId: replyId, detail: { name: reply.name } }),
    ]);
    return c.body(null, 204);
  });
