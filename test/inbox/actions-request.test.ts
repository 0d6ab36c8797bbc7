import { describe, expect, it } from "vitest";
import { requestAction, type ActionRequest } from "../../worker/inbox/actions/request";
import { TestClock } from "../helpers/client";
import { NOW, ownerWithWorkspace } from "../posts/fixtures";
import { CapturingDeps, row, seedConnection, seedConversation, seedMessage } from "./actions-fixtures";

const HOUR = 3_600_000;

async function setup(platform: "facebook" | "instagram" = "facebook") {
  const w = await ownerWithWorkspace(new TestClock(NOW));
  const connectionId = await seedConnection(w.workspace.id, platform);
  const deps = new CapturingDeps(w.clock);
  const ask = (request: Partial<ActionRequest> & Pick<ActionRequest, "conversationId" | "kind">) =>
    requestAction(deps.inbox(), { workspaceId: w.workspace.id, messageId: null, text: null, idempotencyKey: crypto.randomUUID(), requestedBy: w.owner.id, ruleId: null, ...request });
  return { ...w, connectionId, deps, ask };
}

async function commentThread(s: Awaited<ReturnType<typeof setup>>, platform: "facebook" | "instagram" = "facebook", at = NOW - HOUR) {
  const conversationId = await seedConversation(s.workspace.id, s.connectionId, { platform, lastMessageAt: at });
  const messageId = await seedMessage(s.workspace.id, conversationId, s.connectionId, { text: "How much is the blue one?", at });
  return { conversationId, messageId };
}

const count = async (sql: string, ...binds: unknown[]) => (await row<{ n: number }>(sql, ...binds)).n;

describe("requestAction", () => {
  it("creates one action, one pending reply and one queue message however often the same key is sent", async () => {
    const s = await setup();
    const { conversationId, messageId } = await commentThread(s);
    const request = { conversationId, messageId, kind: "reply" as const, text: "It is 40 €, in stock.", idempotencyKey: "click-0001" };
    const first = await s.ask(request);
    const second = await s.ask(request);

    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toEqual({ ok: true, actionId: first.ok ? first.actionId : "", created: false });
    expect(await count("SELECT COUNT(*) AS n FROM inbox_actions WHERE workspace_id = ?", s.workspace.id)).toBe(1);
    expect(s.deps.queued).toEqual([{ v: 1, kind: "inbox.action", workspaceId: s.workspace.id, actionId: first.ok ? first.actionId : "" }]);
    const outbound = await row<{ id: string; state: string; direction: string; text: string; sent_by: string; external_id: string | null; parent_external_id: string | null }>(
      "SELECT m.* FROM messages m JOIN inbox_actions a ON a.outbound_message_id = m.id WHERE a.workspace_id = ?",
      s.workspace.id,
    );
    expect(outbound).toMatchObject({ state: "pending", direction: "out", text: "It is 40 €, in stock.", sent_by: s.owner.id, external_id: null });
    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?", conversationId)).toBe(2);
    expect((await row<{ preview: string }>("SELECT preview FROM conversations WHERE id = ?", conversationId)).preview).toBe("It is 40 €, in stock.");
    expect(s.deps.events).toEqual([
      { kind: "message.changed", conversationId, messageId: outbound.id },
      { kind: "conversation.changed", conversationId },
      { kind: "inbox.action.changed", conversationId, actionId: first.ok ? first.actionId : "", state: "pending" },
    ]);
  });

  it("refuses a DM after Messenger's 24-hour window, saying when it closed, and writes nothing", async () => {
    const s = await setup();
    const lastInbound = NOW - 25 * HOUR;
    const conversationId = await seedConversation(s.workspace.id, s.connectionId, { kind: "dm", participantId: "7023456789012345", participantName: "Sam", lastMessageAt: lastInbound, lastInboundAt: lastInbound });
    const result = await s.ask({ conversationId, kind: "dm", text: "Are you still there?" });

    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(result.ok ? "" : result.detail).toBe("The 24-hour window closed at 2026-11-29 11:00 UTC; Meta allows replies only within 24 hours of the person's last message on Facebook.");
    expect(await count("SELECT COUNT(*) AS n FROM inbox_actions WHERE workspace_id = ?", s.workspace.id)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?", conversationId)).toBe(0);
    expect(s.deps.queued).toEqual([]);
  });

  it("accepts a DM inside the window and shows it pending at once", async () => {
    const s = await setup();
    const conversationId = await seedConversation(s.workspace.id, s.connectionId, { kind: "dm", participantId: "7023456789012345", lastMessageAt: NOW - 23 * HOUR, lastInboundAt: NOW - 23 * HOUR });
    const result = await s.ask({ conversationId, kind: "dm", text: "Yes, we ship to Lyon." });

    expect(result).toMatchObject({ ok: true, created: true });
    expect(await row("SELECT kind, state, text FROM inbox_actions WHERE workspace_id = ?", s.workspace.id)).toEqual({ kind: "dm", state: "pending", text: "Yes, we ship to Lyon." });
    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ? AND state = 'pending' AND direction = 'out'", conversationId)).toBe(1);
    expect(s.deps.queued).toHaveLength(1);
  });

  it("refuses a DM to someone who never wrote", async () => {
    const s = await setup();
    const conversationId = await seedConversation(s.workspace.id, s.connectionId, { kind: "dm", participantId: "7023456789012345", lastMessageAt: NOW, lastInboundAt: null });
    const result = await s.ask({ conversationId, kind: "dm", text: "Hello" });
    expect(result).toMatchObject({ ok: false, status: 409, detail: "Facebook allows a reply only after the person has written; they have not written yet." });
  });

  it("explains that Instagram comments cannot be liked through the API", async () => {
    const s = await setup("instagram");
    const { conversationId, messageId } = await commentThread(s, "instagram");
    const result = await s.ask({ conversationId, messageId, kind: "like" });
    expect(result).toEqual({ ok: false, status: 400, type: "/problems/validation", title: "This action is not possible", detail: "Instagram's API offers no way to like a comment; like it in the Instagram app." });
    expect(s.deps.queued).toEqual([]);
  });

  it("keeps DMs to DM threads and comment actions to comment threads", async () => {
    const s = await setup();
    const { conversationId, messageId } = await commentThread(s);
    const dmOnComments = await s.ask({ conversationId, messageId, kind: "dm", text: "hi" });
    expect(dmOnComments).toMatchObject({ ok: false, status: 400, detail: "Direct messages go to DM conversations; to write privately to a commenter, send a private reply." });

    const dmThread = await seedConversation(s.workspace.id, s.connectionId, { kind: "dm", participantId: "7023456789012345", lastMessageAt: NOW - HOUR });
    const replyOnDm = await s.ask({ conversationId: dmThread, kind: "reply", text: "hi" });
    expect(replyOnDm).toMatchObject({ ok: false, status: 400 });
    expect(replyOnDm.ok ? "" : replyOnDm.detail).toContain("can only be answered with a message");

    const noText = await s.ask({ conversationId, messageId, kind: "reply", text: "   " });
    expect(noText).toMatchObject({ ok: false, status: 400, detail: "Write the reply." });
    const noComment = await s.ask({ conversationId, kind: "hide" });
    expect(noComment).toMatchObject({ ok: false, status: 400, detail: "Choose the comment to act on." });
  });

  it("sends one private reply per comment, and only within 7 days of it", async () => {
    const s = await setup();
    const { conversationId, messageId } = await commentThread(s);
    expect(await s.ask({ conversationId, messageId, kind: "private_reply", text: "Sent you the price list." })).toMatchObject({ ok: true, created: true });
    const again = await s.ask({ conversationId, messageId, kind: "private_reply", text: "And again?" });
    expect(again).toMatchObject({ ok: false, status: 409, detail: "This commenter already has a private reply to this comment; Meta allows one private reply per comment." });

    const old = await commentThread(s, "facebook", NOW - 8 * 24 * HOUR);
    const late = await s.ask({ conversationId: old.conversationId, messageId: old.messageId, kind: "private_reply", text: "Sorry for the wait" });
    expect(late).toMatchObject({ ok: false, status: 409 });
    expect(late.ok ? "" : late.detail).toBe("The window for a private reply closed at 2026-11-28 12:00 UTC; Meta allows private replies only within 7 days of the comment.");
  });

  it("does not act on a reply that is still pending, or on our own comment with a private reply", async () => {
    const s = await setup();
    const { conversationId } = await commentThread(s);
    const pending = await seedMessage(s.workspace.id, conversationId, s.connectionId, { externalId: null, direction: "out", state: "pending", text: "On its way", at: NOW });
    expect(await s.ask({ conversationId, messageId: pending, kind: "delete" })).toMatchObject({ ok: false, status: 409, detail: "This reply is still being sent; wait until the platform confirms it." });
    const ours = await seedMessage(s.workspace.id, conversationId, s.connectionId, { direction: "out", state: "sent", text: "Thanks!", at: NOW });
    expect(await s.ask({ conversationId, messageId: ours, kind: "private_reply", text: "x" })).toMatchObject({ ok: false, status: 400 });
    expect(await s.ask({ conversationId, messageId: ours, kind: "delete" })).toMatchObject({ ok: true, created: true });
  });

  it("answers 404 for a message of another conversation and a conversation of another workspace", async () => {
    const s = await setup();
    const a = await commentThread(s);
    const b = await commentThread(s);
    expect(await s.ask({ conversationId: a.conversationId, messageId: b.messageId, kind: "hide" })).toMatchObject({ ok: false, status: 404 });

    const other = await setup();
    expect(await other.ask({ conversationId: a.conversationId, messageId: a.messageId, kind: "hide" })).toMatchObject({ ok: false, status: 404, detail: "This conversation does not exist, or you do not have access to it." });
  });

  it("takes the action back when it cannot be queued, so the same key can be asked again", async () => {
    const s = await setup();
    const { conversationId, messageId } = await commentThread(s);
    const failing = { ...s.deps.inbox(), enqueueAction: async () => Promise.reject(new Error("queue down")) };
    const request: ActionRequest = { workspaceId: s.workspace.id, conversationId, messageId, kind: "reply", text: "Hi!", idempotencyKey: "click-retry", requestedBy: s.owner.id, ruleId: null };
    await expect(requestAction(failing, request)).rejects.toThrow("queue down");
    expect(await count("SELECT COUNT(*) AS n FROM inbox_actions WHERE workspace_id = ?", s.workspace.id)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ? AND direction = 'out'", conversationId)).toBe(0);
    expect(await requestAction(s.deps.inbox(), request)).toMatchObject({ ok: true, created: true });
  });
});
