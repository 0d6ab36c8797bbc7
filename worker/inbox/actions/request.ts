import { and, eq, inArray, sql } from "drizzle-orm";
import { conversations, inboxActions, messages } from "../../db/schema-inbox";
import { newId } from "../../security/ids";
import type { InboxDeps } from "../deps";
import type { InboxActionKind } from "../states";
import { createsMessage, refusalFor } from "./eligibility";
import type { ActionRow } from "./ledger";

export type ActionRequest = {
  workspaceId: string;
  conversationId: string;
  messageId: string | null;
  kind: InboxActionKind;
  text: string | null;
  idempotencyKey: string;
  requestedBy: string | null;
  ruleId: string | null;
};

export type RequestActionResult = { ok: true; actionId: string; created: boolean } | { ok: false; status: 400 | 404 | 409; type: string; title: string; detail: string };

const notFound = (what: string) => ({ ok: false as const, status: 404 as const, type: "/problems/not-found", title: "Not found", detail: `${what} does not exist, or you do not have access to it.` });

/**
 * Asks for one outbound action (a person's click or a rule's decision). Idempotent by
 * (workspace, idempotencyKey): the same key always answers the same action, created and enqueued once. Replies,
 * private replies and DMs also write the outbound message, `pending`, so everyone sees it at once.
 */
export async function requestAction(deps: InboxDeps, request: ActionRequest): Promise<RequestActionResult> {
  const { db } = deps;
  const existing = await findByKey(deps, request.workspaceId, request.idempotencyKey);
  if (existing) return again(deps, existing);

  const conversation = await db.select().from(conversations).where(and(eq(conversations.id, request.conversationId), eq(conversations.workspaceId, request.workspaceId))).get();
  if (!conversation) return notFound("This conversation");
  const message = request.messageId ? await db.select().from(messages).where(and(eq(messages.id, request.messageId), eq(messages.conversationId, conversation.id))).get() : null;
  if (request.messageId && !message) return notFound("This message");

  const now = deps.now();
  const text = request.text?.trim() || null;
  const refusal = refusalFor({ kind: request.kind, text, conversation, message: message ?? null, now });
  if (refusal) return { ok: false, ...refusal };
  if (request.kind === "private_reply" && message) {
    const earlier = await db
      .select({ id: inboxActions.id })
      .from(inboxActions)
      .where(and(eq(inboxActions.conversationId, conversation.id), eq(inboxActions.messageId, message.id), eq(inboxActions.kind, "private_reply"), inArray(inboxActions.state, ["pending", "done"])))
      .get();
    if (earlier) return { ok: false, status: 409, type: "/problems/conflict", title: "Conflict", detail: "This commenter already has a private reply to this comment; Meta allows one private reply per comment." };
  }

  const actionId = newId();
  const outboundId = createsMessage(request.kind) ? newId() : null;
  const keyFree = sql`NOT EXISTS (SELECT 1 FROM inbox_actions WHERE workspace_id = ${request.workspaceId} AND idempotency_key = ${request.idempotencyKey})`;
  // The outbound message is written only if the key is still free, in the same batch as the action, so a
  // racing request with the same key leaves neither an orphan message nor a second action.
  const replyTo = request.kind === "reply" ? (message?.externalId ?? null) : null;
  // Columns in the table's order (schema-inbox.ts), as INSERT … SELECT lists them.
  const messageInsert = outboundId
    ? db.insert(messages).select(
        sql`SELECT ${outboundId}, ${request.workspaceId}, ${conversation.id}, ${conversation.connectionId}, NULL, ${replyTo}, 'out', 'pending', NULL, NULL, ${text ?? ""}, '[]', 0, 0, ${request.requestedBy}, ${request.ruleId}, ${now}, NULL, NULL, ${now} WHERE ${keyFree}`,
      )
    : null;
  const actionInsert = db
    .insert(inboxActions)
    .values({
      id: actionId,
      workspaceId: request.workspaceId,
      conversationId: conversation.id,
      messageId: message?.id ?? null,
      outboundMessageId: outboundId,
      kind: request.kind,
      text,
      state: "pending",
      idempotencyKey: request.idempotencyKey,
      attempts: 0,
      requestedBy: request.requestedBy,
      ruleId: request.ruleId,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: inboxActions.id });
  let created: boolean;
  if (messageInsert && outboundId) {
    const previewUpdate = db
      .update(conversations)
      .set({ preview: text ?? "", lastMessageAt: now, updatedAt: now })
      .where(and(eq(conversations.id, conversation.id), sql`EXISTS (SELECT 1 FROM messages WHERE id = ${outboundId})`));
    const [, inserted] = await db.batch([messageInsert, actionInsert, previewUpdate]);
    created = inserted.length > 0;
  } else {
    created = (await actionInsert).length > 0;
  }
  if (!created) {
    const winner = await findByKey(deps, request.workspaceId, request.idempotencyKey);
    if (!winner) throw new Error("inbox action vanished after an idempotency conflict");
    return again(deps, winner);
  }

  const pending = { kind: "inbox.action.changed", conversationId: conversation.id, actionId, state: "pending" } as const;
  if (outboundId) await deps.live(request.workspaceId, { kind: "message.changed", conversationId: conversation.id, messageId: outboundId }, { kind: "conversation.changed", conversationId: conversation.id }, pending);
  else await deps.live(request.workspaceId, pending);
  try {
    await deps.enqueueAction({ v: 1, kind: "inbox.action", workspaceId: request.workspaceId, actionId });
  } catch (error) {
    // Nothing would ever carry it out: take it back, so the same key can be asked for again.
    await db.batch([db.delete(inboxActions).where(eq(inboxActions.id, actionId)), db.delete(messages).where(eq(messages.id, outboundId ?? ""))]);
    throw error;
  }
  return { ok: true, actionId, created: true };
}

function findByKey(deps: InboxDeps, workspaceId: string, key: string): Promise<ActionRow | undefined> {
  return deps.db.select().from(inboxActions).where(and(eq(inboxActions.workspaceId, workspaceId), eq(inboxActions.idempotencyKey, key))).get();
}

/** The same key again: the action it named, unchanged (it was enqueued when it was created). */
function again(_deps: InboxDeps, row: ActionRow): RequestActionResult {
  return { ok: true, actionId: row.id, created: false };
}
