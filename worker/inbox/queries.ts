import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { ConversationQuery } from "../contracts/inbox";
import type { Database } from "../db/client";
import { postTargets, users } from "../db/schema";
import { conversationNotes, conversationReads, conversations, inboxActions, messages } from "../db/schema-inbox";

/** Reads behind the inbox routes; every one filters by workspace first. */

export type ConversationFilters = z.infer<typeof ConversationQuery>;
export type ConversationRow = typeof conversations.$inferSelect;
export type ListedConversation = { row: ConversationRow; postId: string | null; unread: boolean };

/**
 * Unread for one member: the other side wrote after the member's read mark (or the member never opened
 * it). Our own replies do not make a conversation unread, for the sender or their teammates.
 */
function unreadFor(userId: string): SQL<number> {
  return sql<number>`(${conversations.lastInboundAt} IS NOT NULL AND ${conversations.lastInboundAt} > COALESCE((SELECT ${conversationReads.readAt} FROM ${conversationReads} WHERE ${conversationReads.conversationId} = ${conversations.id} AND ${conversationReads.userId} = ${userId}), -1))`;
}

/** `%` and `_` typed by the person match themselves, not any text. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The cursor is the last row's sort key: (last_message_at, id), newest first. */
export function encodeCursor(row: Pick<ConversationRow, "lastMessageAt" | "id">): string {
  return btoa(`${row.lastMessageAt}:${row.id}`).replace(/=+$/, "");
}

function decodeCursor(cursor: string): { at: number; id: string } | null {
  try {
    const [at, id] = atob(cursor).split(":");
    const ms = Number(at);
    return Number.isSafeInteger(ms) && id ? { at: ms, id } : null;
  } catch {
    return null;
  }
}

/** The list query as a builder (its plan is checked in tests); `limit + 1` rows tell whether a next page exists. */
export function conversationListQuery(db: Database, workspaceId: string, userId: string, f: ConversationFilters) {
  const where: SQL[] = [eq(conversations.workspaceId, workspaceId)];
  if (f.channel) where.push(eq(conversations.connectionId, f.channel));
  if (f.platform) where.push(eq(conversations.platform, f.platform));
  if (f.kind) where.push(eq(conversations.kind, f.kind));
  if (f.status) where.push(eq(conversations.status, f.status));
  if (f.assignee === "me") where.push(eq(conversations.assigneeId, userId));
  else if (f.assignee === "none") where.push(isNull(conversations.assigneeId));
  else if (f.assignee) where.push(eq(conversations.assigneeId, f.assignee));
  if (f.unread) where.push(f.unread === "true" ? sql`${unreadFor(userId)}` : sql`NOT ${unreadFor(userId)}`);
  if (f.q) {
    const pattern = likePattern(f.q);
    where.push(
      sql`(${conversations.title} LIKE ${pattern} ESCAPE '\\' OR ${conversations.preview} LIKE ${pattern} ESCAPE '\\' OR COALESCE(${conversations.participantName}, '') LIKE ${pattern} ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id} AND (${messages.text} LIKE ${pattern} ESCAPE '\\' OR COALESCE(${messages.authorName}, '') LIKE ${pattern} ESCAPE '\\')))`,
    );
  }
  const after = f.cursor ? decodeCursor(f.cursor) : null;
  if (after) where.push(or(lt(conversations.lastMessageAt, after.at), and(eq(conversations.lastMessageAt, after.at), lt(conversations.id, after.id))) as SQL);
  return db
    .select({ row: conversations, postId: postTargets.postId, unread: unreadFor(userId) })
    .from(conversations)
    .leftJoin(postTargets, eq(postTargets.id, conversations.postTargetId))
    .where(and(...where))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(f.limit + 1);
}

export async function listConversations(db: Database, workspaceId: string, userId: string, f: ConversationFilters): Promise<{ items: ListedConversation[]; next: string | null }> {
  const rows = await conversationListQuery(db, workspaceId, userId, f);
  const page = rows.slice(0, f.limit).map((r) => ({ row: r.row, postId: r.postId ?? null, unread: Boolean(r.unread) }));
  const last = page.at(-1);
  return { items: page, next: rows.length > f.limit && last ? encodeCursor(last.row) : null };
}

export async function findConversation(db: Database, workspaceId: string, conversationId: string, userId: string): Promise<ListedConversation | null> {
  const r = await db
    .select({ row: conversations, postId: postTargets.postId, unread: unreadFor(userId) })
    .from(conversations)
    .leftJoin(postTargets, eq(postTargets.id, conversations.postTargetId))
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)))
    .get();
  return r ? { row: r.row, postId: r.postId ?? null, unread: Boolean(r.unread) } : null;
}

/** A conversation's messages (oldest first), notes and actions, in one round trip. */
export async function conversationContents(db: Database, conversationId: string) {
  const [messageRows, noteRows, actionRows] = await db.batch([
    db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.platformAt), asc(messages.createdAt), asc(messages.id)),
    db.select().from(conversationNotes).where(eq(conversationNotes.conversationId, conversationId)).orderBy(asc(conversationNotes.createdAt), asc(conversationNotes.id)),
    db.select().from(inboxActions).where(eq(inboxActions.conversationId, conversationId)).orderBy(asc(inboxActions.createdAt), asc(inboxActions.id)),
  ]);
  return { messages: messageRows, notes: noteRows, actions: actionRows };
}

export type UserRef = { id: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null };

/** The people a page of rows mentions (assignees, claimers, senders, note authors), by id. */
export async function usersById(db: Database, ids: (string | null)[]): Promise<Map<string, UserRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const found = new Map<string, UserRef>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < wanted.length; i += 90) {
    const rows = await db.select({ id: users.id, name: users.name, avatarKey: users.avatarKey, avatarUpdatedAt: users.avatarUpdatedAt }).from(users).where(inArray(users.id, wanted.slice(i, i + 90)));
    for (const r of rows) found.set(r.id, r);
  }
  return found;
}

export function findAction(db: Database, workspaceId: string, actionId: string) {
  return db.select().from(inboxActions).where(and(eq(inboxActions.workspaceId, workspaceId), eq(inboxActions.id, actionId))).get();
}
