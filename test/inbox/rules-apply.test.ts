import { describe, expect, it } from "vitest";
import type { NormalizedItem } from "../../worker/inbox/inbound/types";
import { applyRules } from "../../worker/inbox/rules/apply";
import { recordInbound } from "../../worker/inbox/store";
import { TestClock } from "../helpers/client";
import { rowsOf } from "../helpers/d1";
import { NOW, ownerWithWorkspace } from "../posts/fixtures";
import { CapturingDeps, row, seedConnection, seedConversation, seedMessage } from "./actions-fixtures";

const HOUR = 3_600_000;
const AUTHOR = "1789012345678901";

async function setup() {
  const w = await ownerWithWorkspace(new TestClock(NOW));
  const connectionId = await seedConnection(w.workspace.id, "instagram");
  const conversationId = await seedConversation(w.workspace.id, connectionId, { platform: "instagram", lastMessageAt: NOW - 60_000 });
  const deps = new CapturingDeps(w.clock);
  const comment = (text: string, overrides: { authorId?: string; at?: number; direction?: "in" | "out" } = {}) =>
    seedMessage(w.workspace.id, conversationId, connectionId, { text, authorId: overrides.authorId ?? AUTHOR, authorName: "Marie Curie", at: overrides.at ?? w.clock.now - 60_000, ...(overrides.direction ? { direction: overrides.direction } : {}) });
  const createRule = async (rule: Record<string, unknown>) => {
    const response = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/inbox/rules`, { cookie: w.owner.cookie, body: { name: "Prices", conditions: { kinds: ["comments"], keywords: { any: ["price", "cost"] } }, actions: [{ type: "reply", text: "Hi {first_name}, check your DMs!" }], ...rule } });
    if (response.status !== 201) throw new Error(`rule creation failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  };
  return { ...w, connectionId, conversationId, deps, comment, createRule };
}

type Hit = { rule_id: string; message_id: string; outcome: string; detail: string | null; author_id: string | null };
const hitsOf = (messageId: string) => rowsOf<Hit>("SELECT rule_id, message_id, outcome, detail, author_id FROM inbox_rule_hits WHERE message_id = ? ORDER BY at, id", messageId);
const actionsOf = (messageId: string) => rowsOf<{ kind: string; text: string | null; idempotency_key: string; rule_id: string; state: string }>("SELECT kind, text, idempotency_key, rule_id, state FROM inbox_actions WHERE message_id = ? ORDER BY idempotency_key", messageId);

describe("applyRules", () => {
  it("a matching rule records one hit and asks for its reply, with the template filled in", async () => {
    const s = await setup();
    const ruleId = await s.createRule({});
    const messageId = await s.comment("What's the PRICE of the blue one?");
    await applyRules(s.deps.inbox(), messageId);

    expect(await hitsOf(messageId)).toEqual([{ rule_id: ruleId, message_id: messageId, outcome: "acted", detail: "Asked to reply publicly.", author_id: AUTHOR }]);
    expect(await actionsOf(messageId)).toEqual([{ kind: "reply", text: "Hi Marie, check your DMs!", idempotency_key: `rule:${ruleId}:${messageId}:0`, rule_id: ruleId, state: "pending" }]);
    expect(s.deps.queued).toHaveLength(1);
    const outbound = await row<{ direction: string; rule_id: string | null; text: string }>("SELECT m.direction, m.rule_id, m.text FROM messages m JOIN inbox_actions a ON a.outbound_message_id = m.id WHERE a.message_id = ?", messageId);
    expect(outbound).toMatchObject({ direction: "out", text: "Hi Marie, check your DMs!" });
  });

  it("replayed three times, it fires once: one hit, one action, one queue message", async () => {
    const s = await setup();
    await s.createRule({});
    const messageId = await s.comment("cost?");
    for (let i = 0; i < 3; i++) await applyRules(s.deps.inbox(), messageId);

    expect(await hitsOf(messageId)).toHaveLength(1);
    expect(await actionsOf(messageId)).toHaveLength(1);
    expect(s.deps.queued).toHaveLength(1);
  });

  it("resumes a run that claimed the hit but stopped before acting, without acting twice", async () => {
    const s = await setup();
    const ruleId = await s.createRule({});
    const messageId = await s.comment("price");
    await applyRules(s.deps.inbox(), messageId);
    // As if the first run had stopped right after claiming: the hit is there, its detail not yet written.
    await rowsOf("UPDATE inbox_rule_hits SET detail = NULL WHERE message_id = ?", messageId);
    await rowsOf("DELETE FROM inbox_actions WHERE message_id = ?", messageId);
    await applyRules(s.deps.inbox(), messageId);
    await applyRules(s.deps.inbox(), messageId);

    expect(await actionsOf(messageId)).toEqual([expect.objectContaining({ idempotency_key: `rule:${ruleId}:${messageId}:0` })]);
    expect(await hitsOf(messageId)).toEqual([expect.objectContaining({ outcome: "acted", detail: "Asked to reply publicly." })]);
  });

  it("never acts on our own outbound messages or a rule's own replies (no loops)", async () => {
    const s = await setup();
    await s.createRule({ conditions: { kinds: ["comments"] } });
    const ours = await s.comment("Hi Marie, check your DMs! price", { direction: "out" });
    await applyRules(s.deps.inbox(), ours);
    const first = await s.comment("price");
    await applyRules(s.deps.inbox(), first);
    const [reply] = await rowsOf<{ id: string }>("SELECT m.id FROM messages m JOIN inbox_actions a ON a.outbound_message_id = m.id WHERE a.message_id = ?", first);
    await applyRules(s.deps.inbox(), reply?.id ?? "");

    expect(await hitsOf(ours)).toEqual([]);
    expect(await hitsOf(reply?.id ?? "")).toEqual([]);
    expect(s.deps.queued).toHaveLength(1);
  });

  it("tags and assigns the conversation, never taking it from someone already assigned", async () => {
    const s = await setup();
    await s.createRule({ actions: [{ type: "tag", tag: "pricing" }, { type: "assign", userId: s.owner.id }, { type: "hide" }] });
    const messageId = await s.comment("price?");
    await applyRules(s.deps.inbox(), messageId);
    const again = await s.comment("and the cost?");
    await applyRules(s.deps.inbox(), again);

    const conversation = await row<{ tags: string; assignee_id: string | null }>("SELECT tags, assignee_id FROM conversations WHERE id = ?", s.conversationId);
    expect(JSON.parse(conversation.tags)).toEqual(["pricing"]);
    expect(conversation.assignee_id).toBe(s.owner.id);
    expect((await hitsOf(again))[0]?.detail).toBe("Tagged the conversation “pricing”; left the conversation with the person already assigned; asked to hide the comment.");
    expect(s.deps.events).toContainEqual({ kind: "conversation.changed", conversationId: s.conversationId });
  });

  it("per-author cooldown: the second question within the hour is logged as skipped; another person is answered", async () => {
    const s = await setup();
    await s.createRule({ cooldownSeconds: 3600 });
    const first = await s.comment("price?");
    await applyRules(s.deps.inbox(), first);
    s.clock.advance(30 * 60_000);
    const second = await s.comment("price again?");
    await applyRules(s.deps.inbox(), second);
    const otherPerson = await s.comment("price?", { authorId: "1700000000000002" });
    await applyRules(s.deps.inbox(), otherPerson);
    s.clock.advance(31 * 60_000);
    const later = await s.comment("price, third time?");
    await applyRules(s.deps.inbox(), later);

    expect((await hitsOf(second))[0]).toMatchObject({ outcome: "skipped_cooldown", detail: "This rule already acted for this person less than 1 hour ago." });
    expect(await actionsOf(second)).toEqual([]);
    expect((await hitsOf(otherPerson))[0]?.outcome).toBe("acted");
    expect((await hitsOf(later))[0]?.outcome).toBe("acted");
    expect(s.deps.queued).toHaveLength(3);
  });

  it("quiet hours in the workspace's zone: logged as skipped, nothing sent", async () => {
    const s = await setup();
    // NOW is 12:00 UTC, 13:00 in Paris (the workspace's zone).
    await s.createRule({ quietHours: { from: "13:00", to: "14:00" } });
    const messageId = await s.comment("price?");
    await applyRules(s.deps.inbox(), messageId);

    expect(await hitsOf(messageId)).toEqual([expect.objectContaining({ outcome: "skipped_quiet_hours", detail: "It arrived during the rule's quiet hours (13:00–14:00, Europe/Paris)." })]);
    expect(s.deps.queued).toEqual([]);
  });

  it("priority and stop-after-match: only the first matching stopper acts; disabled rules never run", async () => {
    const s = await setup();
    const catchAll = await s.createRule({ name: "Catch-all", priority: 50, conditions: { kinds: ["comments"] }, actions: [{ type: "hide" }] });
    const specific = await s.createRule({ name: "Prices", priority: 10, stopAfterMatch: true });
    await s.createRule({ name: "Off", priority: 0, enabled: false, actions: [{ type: "hide" }] });
    const price = await s.comment("price?");
    await applyRules(s.deps.inbox(), price);
    const hello = await s.comment("hello");
    await applyRules(s.deps.inbox(), hello);

    expect((await hitsOf(price)).map((h) => h.rule_id)).toEqual([specific]);
    expect((await hitsOf(hello)).map((h) => h.rule_id)).toEqual([catchAll]);
    expect((await actionsOf(price)).map((a) => a.kind)).toEqual(["reply"]);
  });

  it("a refused action marks the hit failed with the platform's rule in words", async () => {
    const s = await setup();
    await s.createRule({ actions: [{ type: "private_reply", text: "Prices attached" }] });
    // Meta allows private replies only within 7 days of the comment.
    const messageId = await s.comment("price?", { at: NOW - 8 * 24 * HOUR });
    await applyRules(s.deps.inbox(), messageId);

    const [hit] = await hitsOf(messageId);
    expect(hit?.outcome).toBe("failed");
    expect(hit?.detail).toMatch(/^Could not act: .+[^.]\.$/);
    expect(s.deps.queued).toEqual([]);
  });

  it("through the inbound store: the same webhook item recorded 3 times gives one message and one auto-reply; the echo of that reply triggers nothing", async () => {
    const s = await setup();
    await s.createRule({});
    const item: NormalizedItem = {
      connectionId: s.connectionId,
      workspaceId: s.workspace.id,
      platform: "instagram",
      conversation: { kind: "comments", postId: "17900000000000001", permalink: null },
      externalId: "17800000000000001",
      parentExternalId: null,
      direction: "in",
      author: { id: AUTHOR, name: "Marie Curie" },
      text: "How much does it cost?",
      attachments: [],
      platformAt: NOW - 5_000,
      verb: "add",
    };
    for (let i = 0; i < 3; i++) await recordInbound(s.deps.inbox(), item);
    await recordInbound(s.deps.inbox(), { ...item, externalId: "17800000000000002", parentExternalId: item.externalId, direction: "out", author: { id: "page", name: "Atelier" }, text: "Hi Marie, check your DMs! (cost)" });

    const recorded = await rowsOf<{ id: string }>("SELECT id FROM messages WHERE connection_id = ? AND external_id = ?", s.connectionId, item.externalId);
    expect(recorded).toHaveLength(1);
    expect(await rowsOf("SELECT outcome FROM inbox_rule_hits WHERE workspace_id = ?", s.workspace.id)).toEqual([{ outcome: "acted" }]);
    expect(await actionsOf(recorded[0]?.id ?? "")).toEqual([expect.objectContaining({ kind: "reply", text: "Hi Marie, check your DMs!" })]);
    expect(s.deps.queued).toHaveLength(1);
  });
});
