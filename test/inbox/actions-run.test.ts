import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { requestAction, type ActionRequest } from "../../worker/inbox/actions/request";
import { giveUpOnAction, runAction } from "../../worker/inbox/actions/run";
import { redriveStrandedActions } from "../../worker/inbox/actions/watchdog";
import { createDb } from "../../worker/db/client";
import { runCron } from "../../worker/cron";
import { consumeBatch, QUEUE_HANDLERS } from "../../worker/queues/consumer";
import { TestClock } from "../helpers/client";
import { SANDBOX } from "../helpers/connect";
import { channel, ownerWithWorkspace } from "../posts/fixtures";
import { CapturingDeps, pageTokenOf, row, sandboxActions, sandboxFault, sandboxNow, sandboxPagePost, sandboxPersonComments, sandboxPersonWrites, seedConversation, seedMessage } from "./actions-fixtures";

const GRAPH_ERROR = { error: { message: "An unknown error has occurred.", type: "OAuthException", code: 1, fbtrace_id: "x" } };

/** A Facebook Page connected through the sandbox, a live post on it, and a person's comment stored as the inbox would store it. */
async function pageWithComment(text = "How much is the blue one?") {
  const clock = new TestClock(await sandboxNow());
  const w = await ownerWithWorkspace(clock);
  const connectionId = await channel(w.client, w.owner, w.workspace.id, "facebook");
  const { pageId, token } = await pageTokenOf(connectionId);
  const postId = await sandboxPagePost(pageId, token, `Spring sale ${crypto.randomUUID()}`);
  const comment = await sandboxPersonComments(pageId, postId, text);
  const conversationId = await seedConversation(w.workspace.id, connectionId, { externalId: postId, lastMessageAt: clock.now });
  const messageId = await seedMessage(w.workspace.id, conversationId, connectionId, { externalId: comment.id, authorId: comment.authorId, text, at: clock.now });
  const deps = new CapturingDeps(clock);
  const ask = async (request: Partial<ActionRequest> & Pick<ActionRequest, "kind">) => {
    const result = await requestAction(deps.inbox(), { workspaceId: w.workspace.id, conversationId, messageId, text: null, idempotencyKey: crypto.randomUUID(), requestedBy: w.owner.id, ruleId: null, ...request });
    if (!result.ok) throw new Error(result.detail);
    return result.actionId;
  };
  return { ...w, clock, connectionId, pageId, token, postId, comment, conversationId, messageId, deps, ask };
}

type ActionState = { state: string; remote_id: string | null; error: string | null; commit_started_at: number | null; lease_owner: string | null; outbound_message_id: string | null };
const actionRow = (id: string) => row<ActionState>("SELECT state, remote_id, error, commit_started_at, lease_owner, outbound_message_id FROM inbox_actions WHERE id = ?", id);
const messageRow = (id: string) => row<{ state: string; external_id: string | null; hidden: number; liked: number; removed_at: number | null }>("SELECT state, external_id, hidden, liked, removed_at FROM messages WHERE id = ?", id);
const repliesTo = async (pageId: string, commentId: string) => (await sandboxActions(pageId, "reply")).filter((a) => a.targetId === commentId);

describe("the inbox.action handler against the sandbox", () => {
  it("posts a reply once and marks the pending message sent with the platform's id", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "It is 40 €, in stock." });
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");

    const replies = await repliesTo(s.pageId, s.comment.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ text: "It is 40 €, in stock.", platform: "facebook" });
    const action = await actionRow(actionId);
    expect(action).toMatchObject({ state: "done", remote_id: replies[0]!.resultId, error: null, lease_owner: null });
    expect(await messageRow(action.outbound_message_id!)).toMatchObject({ state: "sent", external_id: replies[0]!.resultId });
    expect(s.deps.events.at(-1)).toEqual({ kind: "inbox.action.changed", conversationId: s.conversationId, actionId, state: "done" });
    expect(s.deps.events).toContainEqual({ kind: "message.changed", conversationId: s.conversationId, messageId: action.outbound_message_id! });
  });

  it("finds a reply whose answer was lost instead of posting it again", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Lost answer, one reply." });
    await sandboxFault({ method: "POST", path: `/v23.0/${s.comment.id}/comments`, mode: "after", status: 500, body: GRAPH_ERROR });
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");

    const replies = await repliesTo(s.pageId, s.comment.id);
    expect(replies).toHaveLength(1);
    expect(await actionRow(actionId)).toMatchObject({ state: "done", remote_id: replies[0]!.resultId });
  });

  it("checks on the next delivery when the check itself failed, and still posts only once", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Checked later." });
    await sandboxFault({ method: "POST", path: `/v23.0/${s.comment.id}/comments`, mode: "after", status: 500, body: GRAPH_ERROR });
    await sandboxFault({ method: "GET", path: `/v23.0/${s.comment.id}/comments`, mode: "respond", status: 503, body: GRAPH_ERROR });
    const first = await runAction(s.deps.runner(), actionId, 1);
    expect(first).toEqual({ retryAfterSeconds: expect.any(Number) });
    const between = await actionRow(actionId);
    expect(between.state).toBe("pending");
    expect(between.commit_started_at).not.toBeNull();
    expect(between.lease_owner).toBeNull();

    s.clock.advance(first === "ack" ? 0 : first.retryAfterSeconds * 1000);
    expect(await runAction(s.deps.runner(), actionId, 2)).toBe("ack");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(1);
    expect((await actionRow(actionId)).state).toBe("done");
  });

  it("sends again when the platform refused with a 5xx and the reply is not there", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Second time lucky." });
    await sandboxFault({ method: "POST", path: `/v23.0/${s.comment.id}/comments`, mode: "respond", status: 500, body: GRAPH_ERROR });
    const first = await runAction(s.deps.runner(), actionId, 1);
    expect(first).not.toBe("ack");
    expect(await actionRow(actionId)).toMatchObject({ state: "pending", commit_started_at: null });
    expect((await actionRow(actionId)).error).toContain("The reply is not on Facebook, so Atelier will send it again.");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(0);

    expect(await runAction(s.deps.runner(), actionId, 2)).toBe("ack");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(1);
  });

  it("acts once when the same message is delivered twice at the same time, and not again afterwards", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Delivered twice." });
    const results = await Promise.all([runAction(s.deps.runner(), actionId, 1), runAction(s.deps.runner(), actionId, 1)]);
    expect(results).toEqual(["ack", "ack"]);
    expect(await runAction(s.deps.runner(), actionId, 2)).toBe("ack");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(1);
  });

  it("hides and likes the comment and records the flags", async () => {
    const s = await pageWithComment("spam spam spam");
    const hide = await s.ask({ kind: "hide" });
    const like = await s.ask({ kind: "like" });
    expect(await runAction(s.deps.runner(), hide, 1)).toBe("ack");
    expect(await runAction(s.deps.runner(), like, 1)).toBe("ack");
    expect((await sandboxActions(s.pageId, "hide")).filter((a) => a.targetId === s.comment.id)).toHaveLength(1);
    expect((await sandboxActions(s.pageId, "like")).filter((a) => a.targetId === s.comment.id)).toHaveLength(1);
    expect(await messageRow(s.messageId)).toMatchObject({ hidden: 1, liked: 1 });
    expect(s.deps.events).toContainEqual({ kind: "message.changed", conversationId: s.conversationId, messageId: s.messageId });
  });

  it("sends a private reply to the commenter through the Page", async () => {
    const s = await pageWithComment("Price please");
    const actionId = await s.ask({ kind: "private_reply", text: "Here is our price list." });
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");
    const sent = (await sandboxActions(s.pageId, "private_reply")).filter((a) => a.targetId === s.comment.id);
    expect(sent).toHaveLength(1);
    const action = await actionRow(actionId);
    expect(action).toMatchObject({ state: "done", remote_id: sent[0]!.resultId });
    expect(await messageRow(action.outbound_message_id!)).toMatchObject({ state: "sent", external_id: sent[0]!.resultId });
  });

  it("answers a Messenger DM inside the window", async () => {
    const s = await pageWithComment();
    const dm = await sandboxPersonWrites(s.pageId, "Do you ship to Lyon?");
    const conversationId = await seedConversation(s.workspace.id, s.connectionId, { kind: "dm", externalId: dm.authorId, participantId: dm.authorId, participantName: "Sam Buyer", lastMessageAt: s.clock.now, lastInboundAt: s.clock.now });
    const result = await requestAction(s.deps.inbox(), { workspaceId: s.workspace.id, conversationId, messageId: null, kind: "dm", text: "Yes, in 2 days.", idempotencyKey: "dm-1", requestedBy: s.owner.id, ruleId: null });
    if (!result.ok) throw new Error(result.detail);
    expect(await runAction(s.deps.runner(), result.actionId, 1)).toBe("ack");
    const sent = (await sandboxActions(s.pageId, "dm")).filter((a) => a.targetId === dm.authorId);
    expect(sent).toHaveLength(1);
    expect(await actionRow(result.actionId)).toMatchObject({ state: "done", remote_id: sent[0]!.resultId });
  });

  it("never resends a DM whose answer was lost; it fails with what to check", async () => {
    const s = await pageWithComment();
    const dm = await sandboxPersonWrites(s.pageId, "Hello?");
    const conversationId = await seedConversation(s.workspace.id, s.connectionId, { kind: "dm", externalId: dm.authorId, participantId: dm.authorId, lastMessageAt: s.clock.now, lastInboundAt: s.clock.now });
    const result = await requestAction(s.deps.inbox(), { workspaceId: s.workspace.id, conversationId, messageId: null, kind: "dm", text: "Lost DM", idempotencyKey: "dm-lost", requestedBy: s.owner.id, ruleId: null });
    if (!result.ok) throw new Error(result.detail);
    await sandboxFault({ method: "POST", path: `/v23.0/${s.pageId}/messages`, mode: "after", status: 502, body: "Bad gateway" });
    expect(await runAction(s.deps.runner(), result.actionId, 1)).toBe("ack");
    expect(await runAction(s.deps.runner(), result.actionId, 2)).toBe("ack");
    expect((await sandboxActions(s.pageId, "dm")).filter((a) => a.targetId === dm.authorId)).toHaveLength(1);
    const action = await actionRow(result.actionId);
    expect(action.state).toBe("failed");
    expect(action.error).toBe("Atelier sent this message to Facebook but never got an answer, and Facebook offers no way to check whether it arrived. Look in the conversation on Facebook before sending it again.");
    expect((await messageRow(action.outbound_message_id!)).state).toBe("failed");
  });

  it("fails with a reconnect sentence when the Page token was revoked", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Will not go." });
    await fetch(`${SANDBOX}/_sandbox/tokens/revoke`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: s.token }) });
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");
    const action = await actionRow(actionId);
    expect(action.state).toBe("failed");
    expect(action.error).toMatch(/^Facebook no longer accepts Atelier's access because .+ Reconnect the channel on the Accounts page, then try again\.$/);
    expect((await messageRow(action.outbound_message_id!)).state).toBe("failed");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(0);
  });

  it("is registered on the publish queue, and its dead letters fail honestly", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Through the queue." });
    const batch = createMessageBatch("publish", [{ id: "m1", timestamp: new Date(s.clock.now), attempts: 1, body: { v: 1, kind: "inbox.action", workspaceId: s.workspace.id, actionId } }]);
    const ctx = createExecutionContext();
    await consumeBatch("publish", batch, QUEUE_HANDLERS.publish!, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m1"]);
    expect((await actionRow(actionId)).state).toBe("done");

    const stuck = await s.ask({ kind: "reply", text: "Never confirmed." });
    await env.DB.prepare("UPDATE inbox_actions SET commit_started_at = ?, lease_owner = 'gone', lease_expires_at = ? WHERE id = ?").bind(s.clock.now, s.clock.now + 60_000, stuck).run();
    await giveUpOnAction(s.deps.runner(), stuck);
    const given = await actionRow(stuck);
    expect(given.state).toBe("failed");
    expect(given.error).toBe("Atelier sent this to the platform but never learned whether it went through, and stopped asking. Check the platform before trying again.");
    expect((await messageRow(given.outbound_message_id!)).state).toBe("failed");
  });
});

describe("stranded actions (the cron's watchdog)", () => {
  const MINUTE = 60_000;
  /** What the watchdog hands back to the queue at `now`, for this test's action only (the file's other tests leave theirs). */
  async function redrivenAt(now: number, actionId: string): Promise<number> {
    const sent: { actionId: string }[] = [];
    await redriveStrandedActions({ db: createDb(env.DB), now: () => now, enqueueAction: async (m) => void sent.push(m) });
    return sent.filter((m) => m.actionId === actionId).length;
  }

  it("hands a reply whose queue message was lost back to the queue after 5 quiet minutes, and it is posted once", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "The message got lost." });
    expect(s.deps.queued.map((m) => m.actionId)).toEqual([actionId]); // …and never delivered
    expect(await redrivenAt(s.clock.now + MINUTE, actionId)).toBe(0);
    expect(await redrivenAt(s.clock.now + 6 * MINUTE, actionId)).toBe(1);

    s.clock.advance(6 * MINUTE);
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(1);
    expect((await actionRow(actionId)).state).toBe("done");
    expect(await redrivenAt(s.clock.now + 60 * MINUTE, actionId)).toBe(0);
  });

  it("waits for a live lease and a planned retry, then the redriven delivery checks the platform instead of replying twice", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "reply", text: "Answer lost, then the retry message too." });
    await sandboxFault({ method: "POST", path: `/v23.0/${s.comment.id}/comments`, mode: "after", status: 500, body: GRAPH_ERROR });
    await sandboxFault({ method: "GET", path: `/v23.0/${s.comment.id}/comments`, mode: "respond", status: 503, body: GRAPH_ERROR });
    const first = await runAction(s.deps.runner(), actionId, 1);
    expect(first).toEqual({ retryAfterSeconds: expect.any(Number) });
    const planned = await row<{ next_attempt_at: number | null; commit_started_at: number | null }>("SELECT next_attempt_at, commit_started_at FROM inbox_actions WHERE id = ?", actionId);
    expect(planned.next_attempt_at).toBe(s.clock.now + (first === "ack" ? 0 : first.retryAfterSeconds * 1000));
    expect(planned.commit_started_at).not.toBeNull();

    // The platform asked for an hour (as a rate limit would): the watchdog does not jump the queue.
    await env.DB.prepare("UPDATE inbox_actions SET next_attempt_at = ? WHERE id = ?").bind(s.clock.now + 60 * MINUTE, actionId).run();
    expect(await redrivenAt(s.clock.now + 10 * MINUTE, actionId)).toBe(0);
    expect(await redrivenAt(s.clock.now + 66 * MINUTE, actionId)).toBe(1);

    // Someone holds it (a slow delivery): left alone until the lease runs out.
    s.clock.advance(66 * MINUTE);
    await env.DB.prepare("UPDATE inbox_actions SET lease_owner = 'slow-consumer', lease_expires_at = ? WHERE id = ?").bind(s.clock.now + MINUTE, actionId).run();
    expect(await redrivenAt(s.clock.now, actionId)).toBe(0);
    expect(await redrivenAt(s.clock.now + 2 * MINUTE, actionId)).toBe(1);

    s.clock.advance(2 * MINUTE);
    expect(await runAction(s.deps.runner(), actionId, 2)).toBe("ack");
    expect(await repliesTo(s.pageId, s.comment.id)).toHaveLength(1);
    expect((await actionRow(actionId)).state).toBe("done");
  });

  it("runs from the cron and puts the action on the publish queue", async () => {
    const s = await pageWithComment();
    const actionId = await s.ask({ kind: "like" });
    const send = vi.spyOn(env.PUBLISH_QUEUE, "send");
    try {
      const report = await runCron(env, s.clock.now + 6 * MINUTE);
      expect(report.inboxActionsRedriven).toBeGreaterThanOrEqual(1);
      expect(send).toHaveBeenCalledWith({ v: 1, kind: "inbox.action", workspaceId: s.workspace.id, actionId }, { contentType: "json" });
    } finally {
      send.mockRestore();
    }
  });
});
