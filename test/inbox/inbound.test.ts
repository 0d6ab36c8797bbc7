import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import { createDb } from "../../worker/db/client";
import { ChannelDirectory } from "../../worker/inbox/inbound/channels";
import { consumeBatch, QUEUE_HANDLERS } from "../../worker/queues/consumer";
import { RecordingQueue, signed } from "../webhooks/meta-delivery-fixtures";
import { conversationsOf, inboundRunner, messagesOf, NOW, publishedTarget, workspaceWith } from "./inbound-fixtures";
import { feedComment, feedReaction, IG_ID, instagramComment, instagramMessage, messengerEcho, messengerMessage, messengerReceipts, PAGE_ID } from "./meta-payloads";

const BAKERY_PAGE = "104938271234568";
const POST_ID = `${PAGE_ID}_122100000000000001`;

describe("Page comments", () => {
  it("records a new comment in the post's thread, titled with the post Atelier published, and tells the hub", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const targetId = await publishedTarget(w.workspaceId, w.connectionId, "facebook", POST_ID, "Our new single-origin Ethiopia is here\nBrewed daily.");
    const inbound = inboundRunner();
    const result = await inbound.run("page", feedComment());
    expect(result.explicitAcks).toEqual(["m1"]);
    const [conversation] = await conversationsOf(w.workspaceId);
    expect(conversation).toMatchObject({ kind: "comments", platform: "facebook", external_id: POST_ID, title: "Our new single-origin Ethiopia is here", post_target_id: targetId, status: "open", preview: "How much is it?", last_message_at: 1767311998000, last_inbound_at: 1767311998000, permalink: "https://www.facebook.com/northwindcoffee/posts/1" });
    const [message] = await messagesOf(w.workspaceId);
    expect(message).toMatchObject({ conversation_id: conversation!.id, external_id: "122100000000000001_1098765432", direction: "in", state: "received", author_id: "6543210987654321", author_name: "Jane Doe", text: "How much is it?", hidden: 0, platform_at: 1767311998000 });
    expect(inbound.eventsFor(w.workspaceId)).toEqual([
      { kind: "conversation.changed", conversationId: conversation!.id },
      { kind: "message.changed", conversationId: conversation!.id, messageId: message!.id },
    ]);
  });

  it("records the same webhook delivered three times (twice in one batch, once days later) as one message", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    const first = await inbound.run("page", feedComment(), feedComment());
    const later = await inbound.run("page", feedComment());
    expect([...first.explicitAcks, ...later.explicitAcks].sort()).toEqual(["m1", "m2", "m3"]);
    expect(first.retryMessages).toEqual([]);
    expect(await messagesOf(w.workspaceId)).toHaveLength(1);
    expect(await conversationsOf(w.workspaceId)).toHaveLength(1);
    expect(inbound.eventsFor(w.workspaceId).filter((e) => e.kind === "message.changed")).toHaveLength(1);
  });

  it("names a thread under a post Atelier did not publish after the post id", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    await inboundRunner().run("page", feedComment({ post_id: `${PAGE_ID}_555`, comment_id: "555_1" }));
    expect((await conversationsOf(w.workspaceId))[0]).toMatchObject({ title: `Post ${PAGE_ID}_555`, post_target_id: null });
  });

  it("applies an edit, then a removal, to the comment it holds; a redelivered edit changes nothing", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    await inbound.run("page", feedComment());
    await inbound.run("page", feedComment({ verb: "edited", message: "How much is the 250 g bag?", created_time: 1767312050 }));
    let [message] = await messagesOf(w.workspaceId);
    expect(message).toMatchObject({ text: "How much is the 250 g bag?", edited_at: 1767312050000, state: "received" });
    const eventsBefore = inbound.events.length;
    await inbound.run("page", feedComment({ verb: "edited", message: "How much is the 250 g bag?", created_time: 1767312050 }));
    expect(inbound.events.length).toBe(eventsBefore);
    await inbound.run("page", feedComment({ verb: "remove", message: undefined, created_time: 1767312090 }));
    [message] = await messagesOf(w.workspaceId);
    expect(message).toMatchObject({ state: "removed", removed_at: 1767312090000, text: "How much is the 250 g bag?" });
    expect(inbound.eventsFor(w.workspaceId).at(-1)).toEqual({ kind: "message.changed", conversationId: message!.conversation_id, messageId: message!.id });
    expect(await messagesOf(w.workspaceId)).toHaveLength(1);
  });

  it("hides and unhides, and ignores a removal of a comment it never saw", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    await inbound.run("page", feedComment());
    await inbound.run("page", feedComment({ verb: "hide" }));
    expect((await messagesOf(w.workspaceId))[0]?.hidden).toBe(1);
    await inbound.run("page", feedComment({ verb: "unhide" }));
    expect((await messagesOf(w.workspaceId))[0]?.hidden).toBe(0);
    await inbound.run("page", feedComment({ verb: "remove", comment_id: "122100000000000001_404", message: undefined }));
    expect(await messagesOf(w.workspaceId)).toHaveLength(1);
  });

  it("records the Page's own reply as outbound without reopening or moving the reply window", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    await inbound.run("page", feedComment());
    await env.DB.prepare("UPDATE conversations SET status = 'done' WHERE workspace_id = ?").bind(w.workspaceId).run();
    await inbound.run("page", feedComment({ comment_id: "122100000000000001_2000", parent_id: "122100000000000001_1098765432", from: { id: PAGE_ID, name: "Northwind Coffee" }, message: "It's 12 €.", created_time: 1767312060 }));
    const [conversation] = await conversationsOf(w.workspaceId);
    expect(conversation).toMatchObject({ status: "done", preview: "It's 12 €.", last_message_at: 1767312060000, last_inbound_at: 1767311998000 });
    expect((await messagesOf(w.workspaceId)).map((m) => [m.direction, m.state, m.parent_external_id])).toEqual([
      ["in", "received", null],
      ["out", "sent", "122100000000000001_1098765432"],
    ]);
  });

  it("reopens a thread marked done when someone comments again", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    await inbound.run("page", feedComment());
    await env.DB.prepare("UPDATE conversations SET status = 'done' WHERE workspace_id = ?").bind(w.workspaceId).run();
    await inbound.run("page", feedComment({ comment_id: "122100000000000001_3000", message: "Still waiting!", created_time: 1767312999 }));
    expect((await conversationsOf(w.workspaceId))[0]).toMatchObject({ status: "open", preview: "Still waiting!", last_inbound_at: 1767312999000 });
  });

  it("keeps the newest preview when deliveries arrive out of order", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    await inbound.run("page", feedComment({ comment_id: "1_new", message: "newer", created_time: 1767312500 }));
    await inbound.run("page", feedComment({ comment_id: "1_old", message: "older", created_time: 1767312400 }));
    expect((await conversationsOf(w.workspaceId))[0]).toMatchObject({ preview: "newer", last_message_at: 1767312500000 });
    expect(await messagesOf(w.workspaceId)).toHaveLength(2);
  });

  it("skips reactions without recording anything", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    expect((await inbound.run("page", feedReaction())).explicitAcks).toEqual(["m1"]);
    expect(await conversationsOf(w.workspaceId)).toEqual([]);
    expect(inbound.eventsFor(w.workspaceId)).toEqual([]);
  });
});

describe("direct messages", () => {
  it("records a Messenger message with an attachment in the thread with the sender", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    await inboundRunner().run("page", messengerMessage());
    const [conversation] = await conversationsOf(w.workspaceId);
    expect(conversation).toMatchObject({ kind: "dm", external_id: "7023456789012345", participant_id: "7023456789012345", title: "Messenger user …2345", last_inbound_at: 1767312199876, preview: "Hi, are you open today?" });
    const [message] = await messagesOf(w.workspaceId);
    expect(message).toMatchObject({ external_id: "m_AbCdEfGh", direction: "in", text: "Hi, are you open today?", platform_at: 1767312199876 });
    expect(JSON.parse(message!.attachments)).toEqual([{ type: "image", url: "https://lookaside.fbsbx.com/ig_messaging_cdn/1" }]);
  });

  it("previews an attachment-only message with what was sent", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    await inboundRunner().run("page", messengerMessage({ text: undefined }));
    expect((await conversationsOf(w.workspaceId))[0]?.preview).toBe("Sent an attachment (image)");
  });

  it("files echoes as outbound in the same thread, once, and not at all when the actions already hold the mid", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const inbound = inboundRunner();
    await inbound.run("page", messengerMessage());
    await inbound.run("page", messengerEcho("m_echo_1", "Yes, until 6 pm."), messengerEcho("m_echo_1", "Yes, until 6 pm."));
    let rows = await messagesOf(w.workspaceId);
    expect(rows.map((m) => [m.external_id, m.direction, m.state])).toEqual([
      ["m_AbCdEfGh", "in", "received"],
      ["m_echo_1", "out", "sent"],
    ]);
    expect(new Set(rows.map((m) => m.conversation_id)).size).toBe(1);
    // A reply sent from Atelier: the actions store the platform's mid on the outbound message before the echo arrives.
    const [conversation] = await conversationsOf(w.workspaceId);
    await env.DB.prepare(
      "INSERT INTO messages (id, workspace_id, conversation_id, connection_id, external_id, direction, state, text, attachments, hidden, liked, platform_at, created_at) VALUES (?, ?, ?, ?, 'm_from_atelier', 'out', 'sent', 'See you!', '[]', 0, 0, ?, ?)",
    )
      .bind(crypto.randomUUID(), w.workspaceId, conversation!.id, w.connectionId, NOW, NOW)
      .run();
    await inbound.run("page", messengerEcho("m_from_atelier", "See you!"));
    rows = await messagesOf(w.workspaceId);
    expect(rows.filter((m) => m.external_id === "m_from_atelier")).toHaveLength(1);
    expect(rows).toHaveLength(3);
  });

  it("ignores delivery and read receipts", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    await inboundRunner().run("page", messengerMessage());
    await inboundRunner().run("page", messengerReceipts());
    expect(await messagesOf(w.workspaceId)).toHaveLength(1);
  });
});

describe("Instagram", () => {
  it("records comments on media and DMs for the connected Instagram account", async () => {
    const w = await workspaceWith("instagram", [PAGE_ID, IG_ID]);
    const targetId = await publishedTarget(w.workspaceId, w.connectionId, "instagram", "17912345678901234", "Latte art Friday");
    await inboundRunner().run("instagram", instagramComment(), instagramMessage());
    const conversations = await conversationsOf(w.workspaceId);
    expect(conversations.map((c) => [c.kind, c.external_id, c.title, c.post_target_id])).toEqual(
      expect.arrayContaining([
        ["comments", "17912345678901234", "Latte art Friday", targetId],
        ["dm", "987654321098765", "Instagram user …8765", null],
      ]),
    );
    expect((await messagesOf(w.workspaceId)).map((m) => [m.external_id, m.author_name, m.text]).sort()).toEqual([
      ["17998877665544332", "fan_account", "so cool!"],
      ["aWdfZAG1faXRlbToxOklH", null, "Do you ship to Austria?"],
    ]);
  });
});

describe("mapping entries to channels", () => {
  it("drops entries for ids nobody connected, and acks them", async () => {
    const inbound = inboundRunner();
    const result = await inbound.run("page", feedComment({}, "999000111222333"), messengerMessage({}, "999000111222333"));
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
    expect(result.retryMessages).toEqual([]);
    expect(inbound.events).toEqual([]);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversations WHERE external_id LIKE '999000111222333%'").first<{ n: number }>();
    expect(row?.n).toBe(0);
  });

  it("never lands an entry for workspace A's page in workspace B", async () => {
    const a = await workspaceWith("facebook", [PAGE_ID]);
    const b = await workspaceWith("facebook", [BAKERY_PAGE]);
    const inbound = inboundRunner();
    await inbound.run("page", feedComment());
    expect(await messagesOf(a.workspaceId)).toHaveLength(1);
    expect(await messagesOf(b.workspaceId)).toEqual([]);
    expect(inbound.eventsFor(b.workspaceId)).toEqual([]);
    await inbound.run("page", feedComment({ comment_id: "bakery_1", post_id: `${BAKERY_PAGE}_1` }, BAKERY_PAGE));
    expect((await messagesOf(b.workspaceId)).map((m) => m.external_id)).toEqual(["bakery_1"]);
    expect(await messagesOf(a.workspaceId)).toHaveLength(1);
  });

  it("gives each workspace that connected the same page its own copy, and none to a disconnected one", async () => {
    const a = await workspaceWith("facebook", [PAGE_ID]);
    const b = await workspaceWith("facebook", [PAGE_ID]);
    const c = await workspaceWith("facebook", [PAGE_ID]);
    await env.DB.prepare("UPDATE connections SET status = 'disconnected' WHERE id = ?").bind(c.connectionId).run();
    await inboundRunner().run("page", feedComment({ comment_id: "shared_1" }));
    const [inA, inB] = [await messagesOf(a.workspaceId), await messagesOf(b.workspaceId)];
    expect(inA.map((m) => m.external_id)).toEqual(["shared_1"]);
    expect(inB.map((m) => m.external_id)).toEqual(["shared_1"]);
    expect(inA[0]!.id).not.toBe(inB[0]!.id);
    expect(await messagesOf(c.workspaceId)).toEqual([]);
  });

  it("looks up the channels of a whole batch with one query, and logs its dropped entries in one line", async () => {
    const a = await workspaceWith("facebook", [PAGE_ID]);
    const b = await workspaceWith("facebook", [BAKERY_PAGE]);
    let lookups = 0;
    const db = createDb(env.DB);
    const counting = new Proxy(db, { get: (target, property) => (property === "select" && lookups++, Reflect.get(target, property)) });
    const directory = new ChannelDirectory(counting);
    const [forA, forB, unknown, forAAgain, forInstagram] = await Promise.all([
      directory.channelsFor("page", PAGE_ID),
      directory.channelsFor("page", BAKERY_PAGE),
      directory.channelsFor("page", "999000111222333"),
      directory.channelsFor("page", PAGE_ID),
      directory.channelsFor("instagram", PAGE_ID),
    ]);
    expect(lookups).toBe(2); // one per platform asked for, not one per entry
    // Other tests in this file connected the same Pages in their own workspaces.
    expect(forA).toContainEqual({ connectionId: a.connectionId, workspaceId: a.workspaceId, externalId: PAGE_ID, platform: "facebook" });
    expect(forA.every((c) => c.externalId === PAGE_ID && c.platform === "facebook")).toBe(true);
    expect(forB.map((c) => c.workspaceId)).toContain(b.workspaceId);
    expect(forB.map((c) => c.workspaceId)).not.toContain(a.workspaceId);
    expect(forAAgain).toEqual(forA);
    expect([unknown, forInstagram]).toEqual([[], []]);

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const inbound = inboundRunner();
      const result = await inbound.run("page", feedComment({ comment_id: "batch_1" }), feedComment({}, "999000111222333"), feedComment({ comment_id: "x" }, "999000111222334"), feedComment({ comment_id: "y" }, "999000111222333"));
      expect(result.explicitAcks.sort()).toEqual(["m1", "m2", "m3", "m4"]);
      expect((await messagesOf(a.workspaceId)).map((m) => m.external_id)).toEqual(["batch_1"]);
      const dropped = warn.mock.calls.map(([line]) => JSON.parse(String(line))).filter((l) => String(l.msg).includes("no active channel"));
      expect(dropped).toEqual([{ msg: "meta webhook entries dropped: no active channel", count: 3, entries: ["page:999000111222333", "page:999000111222334"] }]);
    } finally {
      warn.mockRestore();
    }
  });

  it("acks an entry that is not a Meta entry, and the queue's inbound handlers include meta.webhook", async () => {
    const inbound = inboundRunner();
    const result = await inbound.run("page", { nope: true }, "a string");
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
    expect(QUEUE_HANDLERS.inbound?.has("meta.webhook")).toBe(true);
    expect(QUEUE_HANDLERS["inbound-dlq"]?.has("meta.webhook")).toBe(true);
  });
});

describe("one entry failing", () => {
  it("retries only that entry: another workspace's entry in the same batch is recorded and acked", async () => {
    const a = await workspaceWith("facebook", [PAGE_ID]);
    const b = await workspaceWith("facebook", [BAKERY_PAGE]);
    const rule = await a.client.call("POST", `/api/workspaces/${a.workspaceId}/inbox/rules`, { cookie: a.owner.cookie, body: { name: "Prices", conditions: { kinds: ["comments"], keywords: { any: ["price"] } }, actions: [{ type: "reply", text: "Hi {first_name}, check your DMs!" }] } });
    expect(rule.status).toBe(201);
    // The rule exists before the comment arrives (the API's clock and the consumer's differ in this file).
    await env.DB.prepare("UPDATE inbox_rules SET created_at = ? WHERE workspace_id = ?").bind(NOW - 3_600_000, a.workspaceId).run();
    const forA = feedComment({ comment_id: "fail_a", message: "What is the price?", post_id: `${PAGE_ID}_77` });
    const forB = feedComment({ comment_id: "fine_b", message: "What is the price?", post_id: `${BAKERY_PAGE}_77` }, BAKERY_PAGE);
    // Workspace A's rule cannot hand its reply to the queue: that entry throws.
    const send = vi.spyOn(env.PUBLISH_QUEUE, "send").mockRejectedValue(new Error("queue unavailable"));
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const inbound = inboundRunner();
    let result;
    try {
      result = await inbound.run("page", forA, forB);
    } finally {
      send.mockRestore();
      error.mockRestore();
    }
    expect(result.explicitAcks).toEqual(["m2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    expect((await messagesOf(b.workspaceId)).map((m) => m.external_id)).toEqual(["fine_b"]);
    const actionsOfA = () => env.DB.prepare("SELECT kind, state FROM inbox_actions WHERE workspace_id = ?").bind(a.workspaceId).all();
    expect((await actionsOfA()).results).toEqual([]);

    // A rule made after the comment arrived never acts on it, even when the comment is delivered again.
    const later = await a.client.call("POST", `/api/workspaces/${a.workspaceId}/inbox/rules`, { cookie: a.owner.cookie, body: { name: "Tag prices", conditions: { kinds: ["comments"], keywords: { any: ["price"] } }, actions: [{ type: "tag", tag: "pricing" }] } });
    expect(later.status).toBe(201);
    await env.DB.prepare("UPDATE inbox_rules SET created_at = ? WHERE name = 'Tag prices' AND workspace_id = ?").bind(NOW + 3_600_000, a.workspaceId).run();

    // Its retry, once the queue is back, records the comment once and finishes the rule it had started.
    const retried = await inbound.run("page", forA);
    expect(retried.explicitAcks).toHaveLength(1);
    expect((await messagesOf(a.workspaceId)).filter((m) => m.direction === "in").map((m) => m.external_id)).toEqual(["fail_a"]);
    expect((await actionsOfA()).results).toEqual([{ kind: "reply", state: "pending" }]);
    expect((await conversationsOf(a.workspaceId)).map((c) => c.external_id)).toEqual([`${PAGE_ID}_77`]);
    const tags = await env.DB.prepare("SELECT tags FROM conversations WHERE workspace_id = ?").bind(a.workspaceId).first<{ tags: string }>();
    expect(JSON.parse(tags?.tags ?? "[]")).toEqual([]);
    // Delivered yet again: nothing more.
    await inbound.run("page", forA);
    expect((await actionsOfA()).results).toHaveLength(1);
  });
});

describe("from the edge to the inbox", () => {
  it("records the comments and messages of a signed delivery once its queue messages are consumed", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const { body, signature } = await signed(JSON.stringify({ object: "page", entry: [feedComment({ comment_id: "edge_1", message: "Grüße aus Wien" }), messengerMessage({ mid: "m_edge_1" })] }));
    const queue = new RecordingQueue();
    const ctx = createExecutionContext();
    const response = await createApp().request("http://atelier.test/webhooks/meta", { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature }, body }, { ...env, INBOUND_QUEUE: queue as unknown as Queue }, ctx);
    expect(response.status).toBe(200);
    expect(queue.messages).toHaveLength(2);
    const result = await inboundRunner().runMessages(queue.messages);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await messagesOf(w.workspaceId)).map((m) => [m.external_id, m.text]).sort()).toEqual([
      ["edge_1", "Grüße aus Wien"],
      ["m_edge_1", "Hi, are you open today?"],
    ]);
  });
});

describe("the inbound dead-letter queue", () => {
  it("logs an entry that failed every delivery (its ids, never its text) and acks it", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handlers = QUEUE_HANDLERS["inbound-dlq"];
    if (!handlers) throw new Error("no inbound-dlq handlers");
    const batch = createMessageBatch("inbound-dlq", [{ id: "dead", timestamp: new Date(NOW), attempts: 1, body: { v: 1, kind: "meta.webhook", object: "page", entry: feedComment(), receivedAt: NOW } }]);
    const ctx = createExecutionContext();
    await consumeBatch("inbound-dlq", batch, handlers, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dead"]);
    const lines = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();
    const line = lines.find((l) => l.includes("gave up"));
    expect(line && JSON.parse(line)).toMatchObject({ object: "page", entryId: PAGE_ID, receivedAt: NOW });
    expect(line).not.toContain("How much is it?");
    expect(await messagesOf(w.workspaceId)).toEqual([]);
  });
});
