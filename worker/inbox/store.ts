import { and, eq, isNull, lte, ne, or, sql } from "drizzle-orm";
import { conversations, messages } from "../db/schema";
import { newId } from "../security/ids";
import type { InboxDeps } from "./deps";
import { describeConversation } from "./inbound/conversation-title";
import { withParticipantName } from "./inbound/profiles";
import type { NormalizedItem } from "./inbound/types";
import { applyRules } from "./rules/apply";

export type RecordedInbound = { conversationId: string; messageId: string; created: boolean };

const conversationExternalId = (item: NormalizedItem) => (item.conversation.kind === "comments" ? item.conversation.postId : item.conversation.participantId);

/** The list's one-line preview: the text, or what was sent when there is none. */
function previewOf(item: NormalizedItem): string {
  const text = item.text.trim();
  if (text) return text.slice(0, 280);
  const first = item.attachments[0];
  return first ? `Sent ${item.attachments.length > 1 ? `${item.attachments.length} attachments` : `an attachment (${first.type})`}` : "";
}

async function findConversation(deps: InboxDeps, item: NormalizedItem): Promise<string | null> {
  const [row] = await deps.db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.connectionId, item.connectionId), eq(conversations.kind, item.conversation.kind), eq(conversations.externalId, conversationExternalId(item))))
    .limit(1);
  return row?.id ?? null;
}

/** The thread the item belongs to, created on its first message (a concurrent creator wins the unique key). */
async function ensureConversation(deps: InboxDeps, item: NormalizedItem): Promise<string> {
  const existing = await findConversation(deps, item);
  if (existing) return existing;
  const { title, postTargetId } = await describeConversation(deps.db, item);
  const now = deps.now();
  const dm = item.conversation.kind === "dm" ? item.conversation : null;
  await deps.db
    .insert(conversations)
    .values({
      id: newId(),
      workspaceId: item.workspaceId,
      connectionId: item.connectionId,
      platform: item.platform,
      kind: item.conversation.kind,
      externalId: conversationExternalId(item),
      postTargetId,
      title,
      participantId: dm?.participantId ?? null,
      participantName: dm?.participantName ?? null,
      permalink: item.conversation.kind === "comments" ? item.conversation.permalink : null,
      status: "open",
      tags: [],
      lastMessageAt: item.platformAt,
      lastInboundAt: item.direction === "in" ? item.platformAt : null,
      preview: previewOf(item),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [conversations.connectionId, conversations.kind, conversations.externalId] });
  const id = await findConversation(deps, item);
  if (!id) throw new Error(`conversation for ${item.connectionId}/${conversationExternalId(item)} vanished after insert`);
  return id;
}

async function existingMessage(deps: InboxDeps, item: NormalizedItem): Promise<{ id: string; conversationId: string } | null> {
  const [row] = await deps.db
    .select({ id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.connectionId, item.connectionId), eq(messages.externalId, item.externalId)))
    .limit(1);
  return row ?? null;
}

/** How a new message moves its thread forward (shared by both ways of inserting it). */
function threadAdvance(item: NormalizedItem, now: number) {
  const inbound = item.direction === "in";
  return {
    // Deliveries are not ordered: only a newer message replaces the preview.
    preview: sql`CASE WHEN ${item.platformAt} >= ${conversations.lastMessageAt} THEN ${previewOf(item)} ELSE ${conversations.preview} END`,
    lastMessageAt: sql`MAX(${conversations.lastMessageAt}, ${item.platformAt})`,
    lastInboundAt: inbound ? sql`MAX(COALESCE(${conversations.lastInboundAt}, 0), ${item.platformAt})` : sql`${conversations.lastInboundAt}`,
    // Someone wrote again: a thread marked done needs attention again.
    status: inbound ? ("open" as const) : sql`${conversations.status}`,
    updatedAt: now,
  };
}

/**
 * The common case in one round trip: the thread exists, so the message is inserted with the thread's
 * id looked up inside the statement, and the thread is moved forward in the same batch only if the
 * insert happened. Null when nothing was inserted: no such thread yet, or a message we already hold.
 */
async function insertIntoExistingThread(deps: InboxDeps, item: NormalizedItem): Promise<RecordedInbound | null> {
  const id = newId();
  const now = deps.now();
  const inbound = item.direction === "in";
  const insert = deps.db
    .all(sql`
      INSERT INTO messages (id, workspace_id, conversation_id, connection_id, external_id, parent_external_id, direction, state, author_id, author_name, text, attachments, hidden, liked, platform_at, created_at)
      SELECT ${id}, ${item.workspaceId}, ${conversations.id}, ${item.connectionId}, ${item.externalId}, ${item.parentExternalId}, ${item.direction}, ${inbound ? "received" : "sent"}, ${item.author.id}, ${item.author.name}, ${item.text}, ${JSON.stringify(item.attachments)}, 0, 0, ${item.platformAt}, ${now}
      FROM ${conversations}
      WHERE ${conversations.connectionId} = ${item.connectionId} AND ${conversations.kind} = ${item.conversation.kind} AND ${conversations.externalId} = ${conversationExternalId(item)}
      ON CONFLICT (connection_id, external_id) DO NOTHING
      RETURNING conversation_id`)
    .getQuery();
  const advance = deps.db
    .update(conversations)
    .set(threadAdvance(item, now))
    .where(sql`${conversations.id} = (SELECT conversation_id FROM messages WHERE id = ${id})`)
    .toSQL();
  // Bound straight on D1: drizzle's batch cannot run a raw statement that has parameters.
  const d1 = deps.env.DB;
  const [inserted] = await d1.batch<{ conversation_id: string }>([d1.prepare(insert.sql).bind(...insert.params), d1.prepare(advance.sql).bind(...advance.params)]);
  const conversationId = inserted?.results[0]?.conversation_id;
  return conversationId ? { conversationId, messageId: id, created: true } : null;
}

/**
 * Inserts the message unless the channel already holds its platform id (Meta redelivers for up to 36 h;
 * an echo may find the reply the actions stored), and moves the thread forward only when it was new:
 * both statements run in one batch, the update conditioned on the insert having happened. A thread's
 * first message creates the thread.
 */
async function insertMessage(deps: InboxDeps, item: NormalizedItem): Promise<RecordedInbound> {
  const fast = await insertIntoExistingThread(deps, item);
  if (fast) return fast;
  const conversationId = await ensureConversation(deps, item);
  const id = newId();
  const now = deps.now();
  const inbound = item.direction === "in";
  const [inserted] = await deps.db.batch([
    deps.db
      .insert(messages)
      .values({
        id,
        workspaceId: item.workspaceId,
        conversationId,
        connectionId: item.connectionId,
        externalId: item.externalId,
        parentExternalId: item.parentExternalId,
        direction: item.direction,
        state: inbound ? "received" : "sent",
        authorId: item.author.id,
        authorName: item.author.name,
        text: item.text,
        attachments: item.attachments,
        hidden: false,
        liked: false,
        platformAt: item.platformAt,
        createdAt: now,
      })
      .onConflictDoNothing({ target: [messages.connectionId, messages.externalId] })
      .returning({ id: messages.id }),
    deps.db
      .update(conversations)
      .set(threadAdvance(item, now))
      .where(and(eq(conversations.id, conversationId), sql`EXISTS (SELECT 1 FROM messages WHERE id = ${id})`)),
  ]);
  if (inserted.length === 0) {
    const existing = await existingMessage(deps, item);
    return { conversationId: existing?.conversationId ?? conversationId, messageId: existing?.id ?? id, created: false };
  }
  return { conversationId, messageId: id, created: true };
}

/** Applies an edit, removal, hide or unhide to a message we hold; null when nothing changed (or we never saw it). */
async function changeMessage(deps: InboxDeps, item: NormalizedItem): Promise<{ id: string; conversationId: string } | null> {
  const same = and(eq(messages.connectionId, item.connectionId), eq(messages.externalId, item.externalId));
  const returning = { id: messages.id, conversationId: messages.conversationId };
  let changed: { id: string; conversationId: string }[] = [];
  if (item.verb === "edited") {
    // An edit redelivered after a later one must not bring the older text back.
    changed = await deps.db
      .update(messages)
      .set({ text: item.text, editedAt: item.platformAt })
      .where(and(same, ne(messages.text, item.text), or(isNull(messages.editedAt), lte(messages.editedAt, item.platformAt))))
      .returning(returning);
  } else if (item.verb === "remove") {
    changed = await deps.db.update(messages).set({ state: "removed", removedAt: item.platformAt }).where(and(same, ne(messages.state, "removed"))).returning(returning);
  } else if (item.verb === "hide" || item.verb === "unhide") {
    const hidden = item.verb === "hide";
    changed = await deps.db.update(messages).set({ hidden }).where(and(same, ne(messages.hidden, hidden))).returning(returning);
  }
  return changed[0] ?? null;
}

/**
 * Records one normalized comment or message (see ARCHITECTURE.md §3): new ones become a message in
 * their thread (deduplicated by platform id per channel), changes update the message we hold. Live
 * events go out only when something changed; rules run for a newly created inbound message, and are
 * finished (never repeated) when the same message is delivered again.
 */
export async function recordInbound(deps: InboxDeps, item: NormalizedItem): Promise<RecordedInbound | null> {
  if (item.verb !== "add") {
    const changed = await changeMessage(deps, item);
    if (changed) {
      await deps.live(item.workspaceId, { kind: "message.changed", conversationId: changed.conversationId, messageId: changed.id });
      return { conversationId: changed.conversationId, messageId: changed.id, created: false };
    }
    // An edit of a comment we never received is still its current text: record it as new.
    if (item.verb !== "edited" || (await existingMessage(deps, item))) return null;
  }
  const recorded = await insertMessage(deps, await withParticipantName(deps, item));
  if (!recorded.created) {
    // A redelivery, perhaps of an entry whose first run failed part-way through the rules (the queue
    // retries it): finish them. Each rule acts at most once per message, so nothing is done twice.
    if (item.direction === "in") await applyRules(deps, recorded.messageId, { redelivered: true });
    return recorded;
  }
  await deps.live(item.workspaceId, { kind: "conversation.changed", conversationId: recorded.conversationId }, { kind: "message.changed", conversationId: recorded.conversationId, messageId: recorded.messageId });
  if (item.direction === "in") await applyRules(deps, recorded.messageId);
  return recorded;
}
