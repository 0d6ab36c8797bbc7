import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Conversation, InboxAction } from "../../worker/contracts/inbox";
import { TestClock } from "../helpers/client";
import { json, memberWithRole, NOW, ownerWithWorkspace } from "../posts/fixtures";
import { row, seedConnection, seedConversation, seedMessage } from "../inbox/actions-fixtures";

const HOUR = 3_600_000;
type List = { conversations: Conversation[]; next: string | null };
type Detail = { conversation: Conversation; messages: { id: string; text: string; state: string }[]; notes: { text: string; author: { name: string } | null }[]; actions: InboxAction[] };

async function inbox() {
  const w = await ownerWithWorkspace(new TestClock(NOW));
  const facebook = await seedConnection(w.workspace.id, "facebook");
  const instagram = await seedConnection(w.workspace.id, "instagram");
  const base = `/api/workspaces/${w.workspace.id}/inbox/conversations`;
  const get = async <T>(user: { cookie: string }, path: string, status = 200) => json<T>(await w.client.call("GET", `${base}${path}`, { cookie: user.cookie }), status);
  const send = async <T>(user: { cookie: string }, method: string, path: string, body: unknown, status: number): Promise<T> => {
    const response = await w.client.call(method, `${base}${path}`, { cookie: user.cookie, ...(body === undefined ? {} : { body }) });
    if (status !== 204) return json<T>(response, status);
    expect(response.status, await response.text()).toBe(204);
    return undefined as T;
  };
  return { ...w, facebook, instagram, base, get, send };
}

const ids = (list: List) => list.conversations.map((c) => c.id);

describe("inbox conversations: list, filters and search", () => {
  it("lists newest activity first and combines channel, platform, kind, status and assignee filters", async () => {
    const w = await inbox();
    const fbComments = await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW - 3 * HOUR });
    const fbDm = await seedConversation(w.workspace.id, w.facebook, { kind: "dm", participantName: "Sam", lastMessageAt: NOW - HOUR, assigneeId: w.owner.id });
    const igDone = await seedConversation(w.workspace.id, w.instagram, { platform: "instagram", status: "done", lastMessageAt: NOW - 2 * HOUR });

    expect(ids(await w.get<List>(w.owner, ""))).toEqual([fbDm, igDone, fbComments]);
    expect(ids(await w.get<List>(w.owner, `?channel=${w.facebook}`))).toEqual([fbDm, fbComments]);
    expect(ids(await w.get<List>(w.owner, "?platform=instagram"))).toEqual([igDone]);
    expect(ids(await w.get<List>(w.owner, "?kind=dm"))).toEqual([fbDm]);
    expect(ids(await w.get<List>(w.owner, "?status=open&platform=facebook&kind=comments"))).toEqual([fbComments]);
    expect(ids(await w.get<List>(w.owner, "?assignee=me"))).toEqual([fbDm]);
    expect(ids(await w.get<List>(w.owner, "?assignee=none"))).toEqual([igDone, fbComments]);
    const dm = (await w.get<List>(w.owner, "?kind=dm")).conversations[0]!;
    expect(dm).toMatchObject({ kind: "dm", platform: "facebook", participantName: "Sam", assignee: { id: w.owner.id, name: "Olivia Owner" }, replyWindowEndsAt: new Date(NOW - HOUR + 24 * HOUR).toISOString() });
  });

  it("pages with a cursor without gaps or repeats, even when times are equal", async () => {
    const w = await inbox();
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push(await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW - (i < 3 ? 0 : i) * HOUR }));
    const first = await w.get<List>(w.owner, "?limit=2");
    const second = await w.get<List>(w.owner, `?limit=2&cursor=${first.next}`);
    const third = await w.get<List>(w.owner, `?limit=2&cursor=${second.next}`);
    expect(third.next).toBeNull();
    const all = [...ids(first), ...ids(second), ...ids(third)];
    expect(all).toHaveLength(5);
    expect(new Set(all)).toEqual(new Set(seeded));
  });

  it("searches titles, participants and message text, treating % and _ literally", async () => {
    const w = await inbox();
    const byText = await seedConversation(w.workspace.id, w.facebook, { title: "New arrivals", lastMessageAt: NOW - HOUR });
    await seedMessage(w.workspace.id, byText, w.facebook, { text: "Is there a 50% discount?", at: NOW - HOUR });
    const byName = await seedConversation(w.workspace.id, w.facebook, { kind: "dm", participantName: "Zoë Price", lastMessageAt: NOW - 2 * HOUR });
    const byTitle = await seedConversation(w.workspace.id, w.facebook, { title: "Price list for spring", lastMessageAt: NOW - 3 * HOUR });
    const decoy = await seedConversation(w.workspace.id, w.facebook, { title: "50 percent of nothing", lastMessageAt: NOW - 4 * HOUR });
    await seedMessage(w.workspace.id, decoy, w.facebook, { text: "50x off", at: NOW - 4 * HOUR });

    expect(ids(await w.get<List>(w.owner, `?q=${encodeURIComponent("price")}`))).toEqual([byName, byTitle]);
    expect(ids(await w.get<List>(w.owner, `?q=${encodeURIComponent("50%")}`))).toEqual([byText]);
    expect(ids(await w.get<List>(w.owner, `?q=${encodeURIComponent("_0")}`))).toEqual([]);
  });

  it("keeps unread state per member: reading it clears it for the reader only", async () => {
    const w = await inbox();
    const editor = await memberWithRole(w.client, w.workspace.id, w.owner, "editor");
    const conversationId = await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW - HOUR, lastInboundAt: NOW - HOUR });
    expect(ids(await w.get<List>(w.owner, "?unread=true"))).toEqual([conversationId]);

    await w.send(w.owner, "POST", `/${conversationId}/read`, undefined, 204);
    expect(ids(await w.get<List>(w.owner, "?unread=true"))).toEqual([]);
    expect(ids(await w.get<List>(w.owner, "?unread=false"))).toEqual([conversationId]);
    expect(ids(await w.get<List>(editor, "?unread=true"))).toEqual([conversationId]);

    await personWritesAgain(conversationId, NOW + HOUR);
    expect((await w.get<List>(w.owner, "")).conversations[0]!.unread).toBe(true);
  });
});

/** A newer message from the person, as the inbound slice would record it. */
async function personWritesAgain(conversationId: string, at: number) {
  await env.DB.prepare("UPDATE conversations SET last_inbound_at = ?, last_message_at = ? WHERE id = ?").bind(at, at, conversationId).run();
}

describe("one conversation: detail, assignment, claim, notes", () => {
  it("shows messages oldest first with notes and actions", async () => {
    const w = await inbox();
    const conversationId = await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW - HOUR });
    const later = await seedMessage(w.workspace.id, conversationId, w.facebook, { text: "second", at: NOW - HOUR });
    const earlier = await seedMessage(w.workspace.id, conversationId, w.facebook, { text: "first", at: NOW - 2 * HOUR });
    await w.send(w.owner, "POST", `/${conversationId}/notes`, { text: "VIP customer, answer kindly." }, 201);
    const action = await w.send<InboxAction>(w.owner, "POST", `/${conversationId}/actions`, { kind: "reply", messageId: earlier, text: "Thank you!", idempotencyKey: "reply-click-1" }, 202);

    const detail = await w.get<Detail>(w.owner, `/${conversationId}`);
    expect(detail.messages.map((m) => m.id).slice(0, 2)).toEqual([earlier, later]);
    expect(detail.messages[2]).toMatchObject({ text: "Thank you!", state: "pending" });
    expect(detail.notes).toEqual([expect.objectContaining({ text: "VIP customer, answer kindly.", author: expect.objectContaining({ name: "Olivia Owner" }) })]);
    expect(detail.actions).toEqual([expect.objectContaining({ id: action.id, kind: "reply", state: "pending", messageId: earlier, outboundMessageId: detail.messages[2]!.id })]);
  });

  it("accepts an action once per idempotency key and refuses a closed window with a sentence", async () => {
    const w = await inbox();
    const conversationId = await seedConversation(w.workspace.id, w.facebook, { kind: "dm", participantId: "7023456789012345", lastMessageAt: NOW - 30 * HOUR, lastInboundAt: NOW - 30 * HOUR });
    const refused = await w.client.call("POST", `${w.base}/${conversationId}/actions`, { cookie: w.owner.cookie, body: { kind: "dm", text: "Hello again", idempotencyKey: "dm-click-1" } });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(((await refused.json()) as { detail: string }).detail).toContain("The 24-hour window closed at 2026-11-29 06:00 UTC");

    const open = await seedConversation(w.workspace.id, w.facebook, { kind: "dm", participantId: "7023456789012346", lastMessageAt: NOW - HOUR, lastInboundAt: NOW - HOUR });
    const a = await w.send<InboxAction>(w.owner, "POST", `/${open}/actions`, { kind: "dm", text: "Hello", idempotencyKey: "dm-click-2" }, 202);
    const b = await w.send<InboxAction>(w.owner, "POST", `/${open}/actions`, { kind: "dm", text: "Hello", idempotencyKey: "dm-click-2" }, 202);
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ kind: "dm", state: "pending", error: null });
    expect((await row<{ n: number }>("SELECT COUNT(*) AS n FROM inbox_actions WHERE conversation_id = ?", open)).n).toBe(1);
    const elsewhere = await seedConversation(w.workspace.id, w.facebook, { kind: "dm", participantId: "7023456789012347", lastMessageAt: NOW - HOUR, lastInboundAt: NOW - HOUR });
    const reused = await w.send<{ detail: string }>(w.owner, "POST", `/${elsewhere}/actions`, { kind: "dm", text: "Hello", idempotencyKey: "dm-click-2" }, 409);
    expect(reused.detail).toBe("This idempotency key was already used for an action in another conversation; send a new key for a new action.");
  });

  it("assigns only to members, changes status and tags, and audits it", async () => {
    const w = await inbox();
    const editor = await memberWithRole(w.client, w.workspace.id, w.owner, "editor");
    const stranger = await ownerWithWorkspace(new TestClock(NOW));
    const conversationId = await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW });

    const refused = await w.send<{ errors: { path: string; message: string }[] }>(w.owner, "PATCH", `/${conversationId}`, { assigneeId: stranger.owner.id }, 400);
    expect(refused.errors).toEqual([{ path: "assigneeId", message: "Choose a member of this workspace." }]);

    const changed = await w.send<Conversation>(w.owner, "PATCH", `/${conversationId}`, { assigneeId: editor.id, status: "done", tags: ["vip", "vip", "refund"] }, 200);
    expect(changed).toMatchObject({ status: "done", assignee: { id: editor.id }, tags: ["vip", "refund"] });
    expect(ids(await w.get<List>(editor, "?assignee=me"))).toEqual([conversationId]);
    expect((await row<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inbox.conversation_updated' AND target_id = ?", conversationId)).n).toBe(1);

    const unassigned = await w.send<Conversation>(w.owner, "PATCH", `/${conversationId}`, { assigneeId: null }, 200);
    expect(unassigned.assignee).toBeNull();
  });

  it("lets one person claim; someone else gets a 409 naming the holder unless they take over", async () => {
    const w = await inbox();
    const editor = await memberWithRole(w.client, w.workspace.id, w.owner, "editor");
    const conversationId = await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW });

    const mine = await w.send<Conversation>(w.owner, "POST", `/${conversationId}/claim`, {}, 200);
    expect(mine).toMatchObject({ claimedBy: { id: w.owner.id, name: "Olivia Owner" }, claimedAt: new Date(NOW).toISOString() });
    expect((await w.send<Conversation>(w.owner, "POST", `/${conversationId}/claim`, {}, 200)).claimedBy?.id).toBe(w.owner.id);

    const blocked = await w.send<{ detail: string }>(editor, "POST", `/${conversationId}/claim`, {}, 409);
    expect(blocked.detail).toBe("Olivia Owner has claimed this conversation since 12:00 UTC. Take it over to answer it yourself; they will see that you did.");
    expect((await w.send<{ detail: string }>(editor, "DELETE", `/${conversationId}/claim`, undefined, 409)).detail).toContain("Olivia Owner has claimed");

    const taken = await w.send<Conversation>(editor, "POST", `/${conversationId}/claim`, { takeOver: true }, 200);
    expect(taken.claimedBy?.id).toBe(editor.id);
    expect((await row<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inbox.claim_taken_over' AND target_id = ?", conversationId)).n).toBe(1);

    await w.send(w.owner, "DELETE", `/${conversationId}/claim`, undefined, 409);
    const released = await w.send<Conversation>(editor, "DELETE", `/${conversationId}/claim`, undefined, 200);
    expect(released.claimedBy).toBeNull();
  });
});

describe("inbox roles and tenancy", () => {
  it("lets viewers read and mark read, but not change or answer", async () => {
    const w = await inbox();
    const viewer = await memberWithRole(w.client, w.workspace.id, w.owner, "viewer");
    const conversationId = await seedConversation(w.workspace.id, w.facebook, { lastMessageAt: NOW });
    const messageId = await seedMessage(w.workspace.id, conversationId, w.facebook, { text: "hi", at: NOW });

    expect(ids(await w.get<List>(viewer, ""))).toEqual([conversationId]);
    await w.get<Detail>(viewer, `/${conversationId}`);
    await w.send(viewer, "POST", `/${conversationId}/read`, undefined, 204);
    await w.send(viewer, "PATCH", `/${conversationId}`, { status: "done" }, 403);
    await w.send(viewer, "POST", `/${conversationId}/claim`, {}, 403);
    await w.send(viewer, "DELETE", `/${conversationId}/claim`, undefined, 403);
    await w.send(viewer, "POST", `/${conversationId}/notes`, { text: "no" }, 403);
    await w.send(viewer, "POST", `/${conversationId}/actions`, { kind: "like", messageId, idempotencyKey: "viewer-like" }, 403);
    expect((await row<{ n: number }>("SELECT COUNT(*) AS n FROM inbox_actions WHERE conversation_id = ?", conversationId)).n).toBe(0);
  });

  it("answers 404 for another workspace's conversation on every route", async () => {
    const w = await inbox();
    const other = await inbox();
    const theirs = await seedConversation(other.workspace.id, other.facebook, { lastMessageAt: NOW });
    const messageId = await seedMessage(other.workspace.id, theirs, other.facebook, { text: "secret", at: NOW });

    await w.get(w.owner, `/${theirs}`, 404);
    await w.send(w.owner, "PATCH", `/${theirs}`, { status: "done" }, 404);
    await w.send(w.owner, "POST", `/${theirs}/claim`, {}, 404);
    await w.send(w.owner, "DELETE", `/${theirs}/claim`, undefined, 404);
    await w.send(w.owner, "POST", `/${theirs}/notes`, { text: "x" }, 404);
    await w.send(w.owner, "POST", `/${theirs}/read`, undefined, 404);
    await w.send(w.owner, "POST", `/${theirs}/actions`, { kind: "hide", messageId, idempotencyKey: "cross-tenant" }, 404);
    expect(ids(await w.get<List>(w.owner, ""))).toEqual([]);
    // Not a member of the other workspace at all: the whole inbox is 404.
    await json(await w.client.call("GET", `${other.base}`, { cookie: w.owner.cookie }), 404);
    expect((await row<{ status: string; claimed_by: string | null }>("SELECT status, claimed_by FROM conversations WHERE id = ?", theirs))).toEqual({ status: "open", claimed_by: null });
  });
});
