import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConversationQuery } from "../../worker/contracts/inbox";
import { createDb } from "../../worker/db/client";
import { conversationListQuery, encodeCursor } from "../../worker/inbox/queries";

/** The inbox list as the route builds it, explained by SQLite: an index walk in order, never a sort of the whole inbox. */
async function planOf(filters: Record<string, string>): Promise<string> {
  const query = conversationListQuery(createDb(env.DB), "workspace0001", "user00000001", ConversationQuery.parse(filters)).toSQL();
  const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).bind(...query.params).all<{ detail: string }>();
  return result.results.map((r) => r.detail).join("\n");
}

describe("the conversation list's query plan", () => {
  it.each([
    ["everything, newest first", {}, /conversations_recent_idx/],
    ["the next page", { cursor: encodeCursor({ lastMessageAt: 1_767_312_000_000, id: "conversation01" }) }, /conversations_recent_idx/],
    ["open ones", { status: "open" }, /conversations_workspace_idx/],
    ["done ones, next page", { status: "done", cursor: encodeCursor({ lastMessageAt: 1_767_312_000_000, id: "conversation01" }) }, /conversations_workspace_idx/],
    ["unread DMs", { kind: "dm", unread: "true" }, /conversations_recent_idx/],
  ])("%s", async (_label, filters, index) => {
    const plan = await planOf(filters);
    expect(plan).toMatch(index);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).not.toMatch(/^SCAN conversations(?! USING)/m);
  });
});
