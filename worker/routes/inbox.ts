import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { ActionBody, ClaimBody, Conversation, ConversationDetail, ConversationList, ConversationPatch, ConversationQuery, InboxAction, Note, NoteBody } from "../contracts/inbox";
import { memberships } from "../db/schema";
import { conversationNotes, conversationReads, conversations } from "../db/schema-inbox";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { conflict, notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { requestAction } from "../inbox/actions/request";
import type { InboxDeps } from "../inbox/deps";
import { conversationContents, findAction, findConversation, listConversations, usersById } from "../inbox/queries";
import { peopleOfConversations, toAction, toConversation, toMessage, toNote } from "../inbox/view";
import { publishLive } from "../live/publish";

const Params = z.object({ id: Id });
const ConversationParams = z.object({ id: Id, conversationId: Id });
const tags = ["inbox"];
const ACT = "Viewers can read the inbox but not answer or change it.";

const list = createRoute({
  method: "get", path: "/{id}/inbox/conversations", tags, summary: "Conversations (comment threads and DMs), newest activity first, filtered and searched",
  request: { params: Params, query: ConversationQuery },
  responses: { 200: jsonContent(ConversationList, "A page of conversations; `next` is the cursor of the following page."), 400: problems[400], 401: problems[401], 404: problems[404] },
});
const detail = createRoute({
  method: "get", path: "/{id}/inbox/conversations/{conversationId}", tags, summary: "One conversation with its messages (oldest first), internal notes and actions",
  request: { params: ConversationParams },
  responses: { 200: jsonContent(ConversationDetail, "The conversation."), 401: problems[401], 404: problems[404] },
});
const patch = createRoute({
  method: "patch", path: "/{id}/inbox/conversations/{conversationId}", tags, summary: "Change status, assignee or tags (only the fields sent)",
  request: { params: ConversationParams, body: jsonBody(ConversationPatch) },
  responses: { 200: jsonContent(Conversation, "The conversation as it is now."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});
const claim = createRoute({
  method: "post", path: "/{id}/inbox/conversations/{conversationId}/claim", tags, summary: "Claim the conversation so teammates know you are answering it",
  request: { params: ConversationParams, body: jsonBody(ClaimBody) },
  responses: { 200: jsonContent(Conversation, "Claimed by you."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});
const release = createRoute({
  method: "delete", path: "/{id}/inbox/conversations/{conversationId}/claim", tags, summary: "Release your claim (or someone else's, with `takeOver=true`)",
  request: { params: ConversationParams, query: z.object({ takeOver: z.enum(["true", "false"]).optional() }) },
  responses: { 200: jsonContent(Conversation, "Nobody holds it now."), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});
const addNote = createRoute({
  method: "post", path: "/{id}/inbox/conversations/{conversationId}/notes", tags, summary: "Add an internal note (seen by the team, never sent to the platform)",
  request: { params: ConversationParams, body: jsonBody(NoteBody) },
  responses: { 201: jsonContent(Note, "The note."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});
const markRead = createRoute({
  method: "post", path: "/{id}/inbox/conversations/{conversationId}/read", tags, summary: "Mark the conversation read for you, now",
  request: { params: ConversationParams },
  responses: { ...noContent, 401: problems[401], 404: problems[404] },
});
const act = createRoute({
  method: "post", path: "/{id}/inbox/conversations/{conversationId}/actions", tags, summary: "Reply, like, hide, delete, reply privately or send a DM (carried out by the queue)",
  request: { params: ConversationParams, body: jsonBody(ActionBody) },
  responses: { 202: jsonContent(InboxAction, "Accepted: pending until the platform confirms it."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

function inboxDeps(c: Context<AppEnv>): InboxDeps {
  return {
    env: c.env,
    db: c.var.db,
    now: c.var.clock,
    live: (workspaceId, event) => publishLive(c, workspaceId, event),
    enqueueAction: async (message) => {
      await c.env.PUBLISH_QUEUE.send(message, { contentType: "json" });
    },
  };
}

async function conversationView(c: Context<AppEnv>, workspaceId: string, conversationId: string) {
  const found = await findConversation(c.var.db, workspaceId, conversationId, c.var.auth.user.id);
  if (!found) throw notFound("This conversation");
  return toConversation(found, await usersById(c.var.db, peopleOfConversations([found])));
}

async function existing(c: Context<AppEnv>, workspaceId: string, conversationId: string) {
  const row = await c.var.db.select().from(conversations).where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId))).get();
  if (!row) throw notFound("This conversation");
  return row;
}

export const inboxRoutes = newRouter()
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const page = await listConversations(c.var.db, id, c.var.auth.user.id, c.req.valid("query"));
    const people = await usersById(c.var.db, peopleOfConversations(page.items));
    return c.json({ conversations: page.items.map((item) => toConversation(item, people)), next: page.next }, 200);
  })
  .openapi(detail, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    const found = await findConversation(c.var.db, id, conversationId, c.var.auth.user.id);
    if (!found) throw notFound("This conversation");
    const contents = await conversationContents(c.var.db, conversationId);
    const people = await usersById(c.var.db, [...peopleOfConversations([found]), ...contents.messages.map((m) => m.sentBy), ...contents.notes.map((n) => n.authorId)]);
    return c.json(
      { conversation: toConversation(found, people), messages: contents.messages.map((m) => toMessage(m, people)), notes: contents.notes.map((n) => toNote(n, people)), actions: contents.actions.map(toAction) },
      200,
    );
  })
  .openapi(patch, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", ACT);
    const body = c.req.valid("json");
    const before = await existing(c, id, conversationId);
    if (body.assigneeId) {
      const member = await c.var.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, id), eq(memberships.userId, body.assigneeId))).get();
      if (!member) throw new ProblemError("validation", "Conversations can only be assigned to members of this workspace.", { errors: [{ path: "assigneeId", message: "Choose a member of this workspace." }] });
    }
    const fields = { ...(body.status ? { status: body.status } : {}), ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}), ...(body.tags ? { tags: [...new Set(body.tags)] } : {}) };
    if (Object.keys(fields).length > 0) {
      await c.var.db.batch([
        c.var.db.update(conversations).set({ ...fields, updatedAt: c.var.clock() }).where(eq(conversations.id, before.id)),
        audit(c, { workspaceId: id, action: "inbox.conversation_updated", targetType: "conversation", targetId: before.id, detail: { ...fields, from: { status: before.status, assigneeId: before.assigneeId, tags: before.tags } } }),
      ]);
      await publishLive(c, id, { kind: "conversation.changed", conversationId });
    }
    return c.json(await conversationView(c, id, conversationId), 200);
  })
  .openapi(claim, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", ACT);
    const { takeOver } = c.req.valid("json");
    const me = c.var.auth.user.id;
    const before = await existing(c, id, conversationId);
    if (before.claimedBy !== me) {
      // Conditional: two people clicking at once cannot both hold it; only an explicit take-over replaces a holder.
      const free = takeOver ? sql`1 = 1` : or(isNull(conversations.claimedBy), eq(conversations.claimedBy, me));
      const claimed = await c.var.db.update(conversations).set({ claimedBy: me, claimedAt: c.var.clock(), updatedAt: c.var.clock() }).where(and(eq(conversations.id, before.id), free)).returning({ id: conversations.id });
      if (claimed.length === 0) throw conflict(await heldBySentence(c, id, conversationId));
      if (takeOver && before.claimedBy) await audit(c, { workspaceId: id, action: "inbox.claim_taken_over", targetType: "conversation", targetId: before.id, detail: { from: before.claimedBy } });
      await publishLive(c, id, { kind: "conversation.changed", conversationId });
    }
    return c.json(await conversationView(c, id, conversationId), 200);
  })
  .openapi(release, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", ACT);
    const takeOver = c.req.valid("query").takeOver === "true";
    const me = c.var.auth.user.id;
    const before = await existing(c, id, conversationId);
    if (before.claimedBy) {
      const mine = takeOver ? sql`1 = 1` : eq(conversations.claimedBy, me);
      const released = await c.var.db.update(conversations).set({ claimedBy: null, claimedAt: null, updatedAt: c.var.clock() }).where(and(eq(conversations.id, before.id), mine)).returning({ id: conversations.id });
      if (released.length === 0) throw conflict(await heldBySentence(c, id, conversationId));
      await publishLive(c, id, { kind: "conversation.changed", conversationId });
    }
    return c.json(await conversationView(c, id, conversationId), 200);
  })
  .openapi(addNote, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", ACT);
    const { text } = c.req.valid("json");
    await existing(c, id, conversationId);
    const row = { id: crypto.randomUUID().replaceAll("-", "").slice(0, 22), workspaceId: id, conversationId, authorId: c.var.auth.user.id, text, createdAt: c.var.clock() };
    await c.var.db.insert(conversationNotes).values(row);
    await publishLive(c, id, { kind: "note.added", conversationId, noteId: row.id });
    return c.json(toNote(row, await usersById(c.var.db, [row.authorId])), 201);
  })
  .openapi(markRead, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    await existing(c, id, conversationId);
    const now = c.var.clock();
    await c.var.db
      .insert(conversationReads)
      .values({ conversationId, userId: c.var.auth.user.id, readAt: now })
      .onConflictDoUpdate({ target: [conversationReads.conversationId, conversationReads.userId], set: { readAt: sql`MAX(${conversationReads.readAt}, excluded.read_at)` } });
    return c.body(null, 204);
  })
  .openapi(act, async (c) => {
    const { id, conversationId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", ACT);
    const body = c.req.valid("json");
    const result = await requestAction(inboxDeps(c), {
      workspaceId: id,
      conversationId,
      messageId: body.messageId ?? null,
      kind: body.kind,
      text: body.text ?? null,
      idempotencyKey: `user:${c.var.auth.user.id}:${body.idempotencyKey}`,
      requestedBy: c.var.auth.user.id,
      ruleId: null,
    });
    if (!result.ok) throw new ProblemError(result.status === 404 ? "not-found" : result.status === 409 ? "conflict" : "validation", result.detail);
    const action = await findAction(c.var.db, id, result.actionId);
    if (!action) throw notFound("This action");
    if (action.conversationId !== conversationId) throw conflict("This idempotency key was already used for an action in another conversation; send a new key for a new action.");
    if (result.created) await audit(c, { workspaceId: id, action: `inbox.${action.kind}`, targetType: "conversation", targetId: conversationId, detail: { actionId: action.id, messageId: action.messageId } });
    return c.json(toAction(action), 202);
  });

async function heldBySentence(c: Context<AppEnv>, workspaceId: string, conversationId: string): Promise<string> {
  const now = await existing(c, workspaceId, conversationId);
  const holder = now.claimedBy ? (await usersById(c.var.db, [now.claimedBy])).get(now.claimedBy) : undefined;
  const since = now.claimedAt ? ` since ${new Date(now.claimedAt).toISOString().slice(11, 16)} UTC` : "";
  return holder ? `${holder.name} has claimed this conversation${since}. Take it over to answer it yourself; they will see that you did.` : "Someone else changed this claim just now; reload and try again.";
}
