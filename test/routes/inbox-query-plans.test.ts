import { env } from "cloudflare:workers";
import { and, asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { conversationNotes, inboxActions, messages } from "../../worker/db/schema-inbox";
import { conversationListQuery } from "../../worker/inbox/queries";

const db = createDb(env.DB);

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return result.results.map((r) => r.detail).join("\n");
}

const noFullScan = (lines: string, table: string) => expect(lines, lines).not.toMatch(new RegExp(`SCAN ${table}(?! USING)`, "m"));

describe("inbox reads use indexes", () => {
  it("the conversation list starts from the workspace index and reads each member's read mark by key", async () => {
    const lines = await plan(conversationListQuery(db, "w", "u", { limit: 50, unread: "true", status: "open" }));
    expect(lines).toMatch(/conversations_workspace_idx/);
    expect(lines).toMatch(/conversation_reads USING (PRIMARY KEY|INDEX sqlite_autoindex_conversation_reads)/);
    noFullScan(lines, "conversations");
  });

  it("search looks into a conversation's messages through the conversation index", async () => {
    const lines = await plan(conversationListQuery(db, "w", "u", { limit: 50, q: "price" }));
    expect(lines).toMatch(/messages_conversation_idx/);
    noFullScan(lines, "messages");
  });

  it("a conversation's messages, notes and actions are index range reads", async () => {
    expect(await plan(db.select().from(messages).where(eq(messages.conversationId, "c")).orderBy(asc(messages.platformAt), asc(messages.createdAt), asc(messages.id)))).toMatch(/messages_conversation_idx/);
    expect(await plan(db.select().from(conversationNotes).where(eq(conversationNotes.conversationId, "c")).orderBy(asc(conversationNotes.createdAt)))).toMatch(/conversation_notes_conversation_idx/);
    expect(await plan(db.select().from(inboxActions).where(eq(inboxActions.conversationId, "c")).orderBy(asc(inboxActions.createdAt)))).toMatch(/inbox_actions_conversation_idx/);
  });

  it("the once-per-comment private reply check and the idempotency lookup use indexes", async () => {
    const privateReply = await plan(db.select({ id: inboxActions.id }).from(inboxActions).where(and(eq(inboxActions.conversationId, "c"), eq(inboxActions.messageId, "m"), eq(inboxActions.kind, "private_reply"), inArray(inboxActions.state, ["pending", "done"]))));
    expect(privateReply).toMatch(/inbox_actions_conversation_idx/);
    expect(await plan(db.select().from(inboxActions).where(and(eq(inboxActions.workspaceId, "w"), eq(inboxActions.idempotencyKey, "k"))))).toMatch(/inbox_actions_idempotency_unique/);
  });
});
