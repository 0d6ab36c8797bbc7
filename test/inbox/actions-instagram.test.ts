import { describe, expect, it } from "vitest";
import { requestAction, type ActionRequest } from "../../worker/inbox/actions/request";
import { runAction } from "../../worker/inbox/actions/run";
import { TestClock } from "../helpers/client";
import { channel, ownerWithWorkspace } from "../posts/fixtures";
import { CapturingDeps, pageTokenOf, row, sandboxActions, sandboxFault, sandboxIgComment, sandboxIgPost, sandboxNow, seedConversation, seedMessage } from "./actions-fixtures";

/** An Instagram account connected through the sandbox (via its Page), a live image, a fan's comment stored as the inbox would. */
async function igWithComment(text: string) {
  const clock = new TestClock(await sandboxNow());
  const w = await ownerWithWorkspace(clock);
  const connectionId = await channel(w.client, w.owner, w.workspace.id, "instagram");
  const { token, metadata, pageId } = await pageTokenOf(connectionId);
  const igUserId = metadata.igUserId ?? pageId;
  const mediaId = await sandboxIgPost(igUserId, token, `New drop ${crypto.randomUUID()}`);
  const comment = await sandboxIgComment(igUserId, mediaId, text);
  // Publishing moved the sandbox's clock on; ours follows, as real clocks agree.
  clock.now = await sandboxNow();
  const conversationId = await seedConversation(w.workspace.id, connectionId, { platform: "instagram", externalId: mediaId, lastMessageAt: clock.now });
  const messageId = await seedMessage(w.workspace.id, conversationId, connectionId, { externalId: comment.id, authorId: comment.authorId, authorName: "fan_account", text, at: clock.now });
  const deps = new CapturingDeps(clock);
  const ask = async (request: Partial<ActionRequest> & Pick<ActionRequest, "kind">) => {
    const result = await requestAction(deps.inbox(), { workspaceId: w.workspace.id, conversationId, messageId, text: null, idempotencyKey: crypto.randomUUID(), requestedBy: w.owner.id, ruleId: null, ...request });
    if (!result.ok) throw new Error(result.detail);
    return result.actionId;
  };
  return { ...w, igUserId, comment, messageId, deps, ask };
}

const state = (id: string) => row<{ state: string; remote_id: string | null; error: string | null; outbound_message_id: string | null }>("SELECT state, remote_id, error, outbound_message_id FROM inbox_actions WHERE id = ?", id);

describe("inbox actions on Instagram", () => {
  it("replies under the comment through /replies, once, even when the answer is lost", async () => {
    const s = await igWithComment("link?");
    const actionId = await s.ask({ kind: "reply", text: "Link in bio!" });
    await sandboxFault({ method: "POST", path: `/v23.0/${s.comment.id}/replies`, mode: "after", status: 500, body: { error: { message: "An unknown error has occurred.", code: 1 } } });
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");

    const replies = (await sandboxActions(s.igUserId, "reply")).filter((a) => a.targetId === s.comment.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ platform: "instagram", text: "Link in bio!" });
    const action = await state(actionId);
    expect(action).toMatchObject({ state: "done", remote_id: replies[0]!.resultId });
    expect(await row("SELECT state, external_id FROM messages WHERE id = ?", action.outbound_message_id)).toEqual({ state: "sent", external_id: replies[0]!.resultId });
  });

  it("hides and unhides a comment with Instagram's `hide` parameter", async () => {
    const s = await igWithComment("buy followers at spam.example");
    const hide = await s.ask({ kind: "hide" });
    expect(await runAction(s.deps.runner(), hide, 1)).toBe("ack");
    expect(await row("SELECT hidden FROM messages WHERE id = ?", s.messageId)).toEqual({ hidden: 1 });
    const unhide = await s.ask({ kind: "unhide" });
    expect(await runAction(s.deps.runner(), unhide, 1)).toBe("ack");
    expect(await row("SELECT hidden FROM messages WHERE id = ?", s.messageId)).toEqual({ hidden: 0 });
    const recorded = (await sandboxActions(s.igUserId, "hide")).concat(await sandboxActions(s.igUserId, "unhide")).filter((a) => a.targetId === s.comment.id);
    expect(recorded.map((a) => a.action).sort()).toEqual(["hide", "unhide"]);
  });

  it("deletes a comment and shows it removed", async () => {
    const s = await igWithComment("rude words");
    const actionId = await s.ask({ kind: "delete" });
    expect(await runAction(s.deps.runner(), actionId, 1)).toBe("ack");
    expect((await state(actionId)).state).toBe("done");
    expect(await row<{ state: string }>("SELECT state FROM messages WHERE id = ?", s.messageId)).toEqual({ state: "removed" });
    expect((await sandboxActions(s.igUserId, "delete")).filter((a) => a.targetId === s.comment.id)).toHaveLength(1);
  });
});
