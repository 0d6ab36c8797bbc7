import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { BATCH_WINDOW_MS, EventBatcher } from "../../durable-objects/workspace/event-batch";
import { ServerFrame } from "../../worker/contracts/live";
import { applyTyping, applyViewing, presenceFrame, TYPING_TTL_MS } from "../../durable-objects/workspace/inbox-presence";
import { addMember, createWorkspace, makeClient, signUp } from "../helpers/client";
import { connectLive, type LiveSocket } from "../helpers/live";
import { liveEvent } from "../../worker/publishing/consumer";

async function teamOfTwo() {
  const client = makeClient();
  const owner = await signUp(client, { name: "Olivia Owner" });
  const editor = await signUp(client, { name: "Eddie Editor" });
  const workspace = await createWorkspace(client, owner);
  await addMember(client, workspace.id, owner, editor, "editor");
  return { client, owner, editor, workspace };
}

const conversationId = () => `conv_${crypto.randomUUID().replaceAll("-", "")}`;

type PresenceFrame = Extract<ServerFrame, { type: "inbox.presence" }>;
const presenceOf = (live: LiveSocket, id: string, match: (f: PresenceFrame) => boolean = () => true) =>
  live.next((f): f is PresenceFrame => f.type === "inbox.presence" && f.conversationId === id && match(f));

/** Raw frames as the server sent them (the LiveSocket helper unpacks batches). */
function rawFrames(live: LiveSocket): ServerFrame[] {
  const frames: ServerFrame[] = [];
  live.socket.addEventListener("message", (e) => {
    frames.push(ServerFrame.parse(JSON.parse(String(e.data))));
  });
  return frames;
}

function seqsOf(frames: ServerFrame[]): number[] {
  return frames.flatMap((f) => (f.type === "event" ? [f.seq] : f.type === "events" ? f.events.map((e) => e.seq) : []));
}

describe("inbox presence over the hub", () => {
  it("tells teammates who views a conversation and who types in it, and clears it when they leave it", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const a = await connectLive(client, owner, workspace.id);
    await a.next((f) => f.type === "hello");
    const b = await connectLive(client, editor, workspace.id);
    await b.next((f) => f.type === "hello");
    const conv = conversationId();

    a.send({ type: "inbox.viewing", conversationId: conv });
    expect(await presenceOf(b, conv)).toEqual({ type: "inbox.presence", conversationId: conv, viewers: [{ userId: owner.id, typing: false }] });

    a.send({ type: "inbox.typing", conversationId: conv, typing: true });
    expect((await presenceOf(b, conv)).viewers).toEqual([{ userId: owner.id, typing: true }]);
    a.send({ type: "inbox.typing", conversationId: conv, typing: false });
    expect((await presenceOf(b, conv)).viewers).toEqual([{ userId: owner.id, typing: false }]);

    b.send({ type: "inbox.viewing", conversationId: conv });
    const both = await presenceOf(a, conv, (f) => f.viewers.length === 2);
    expect(both.viewers.map((v) => v.userId).sort()).toEqual([owner.id, editor.id].sort());

    a.send({ type: "inbox.viewing", conversationId: null });
    expect((await presenceOf(b, conv, (f) => f.viewers.length === 1)).viewers).toEqual([{ userId: editor.id, typing: false }]);
    a.close();
    b.close();
  });

  it("refuses typing in a conversation the socket is not viewing, without telling anyone", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const a = await connectLive(client, owner, workspace.id);
    await a.next((f) => f.type === "hello");
    const b = await connectLive(client, editor, workspace.id);
    await b.next((f) => f.type === "hello");
    const conv = conversationId();

    a.send({ type: "inbox.typing", conversationId: conv, typing: true });
    expect(await a.next((f) => f.type === "error")).toMatchObject({ type: "error", detail: "Open the conversation before typing in it." });
    a.send({ type: "ping" });
    await a.next((f) => f.type === "pong");
    b.send({ type: "ping" });
    await b.next((f) => f.type === "pong");
    expect(b.all().filter((f) => f.type === "inbox.presence")).toEqual([]);
    a.close();
    b.close();
  });

  it("clears a viewer when their socket closes, and greets a newcomer with the current presence", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const a = await connectLive(client, owner, workspace.id);
    await a.next((f) => f.type === "hello");
    const conv = conversationId();
    a.send({ type: "inbox.viewing", conversationId: conv });
    a.send({ type: "inbox.typing", conversationId: conv, typing: true });
    await presenceOf(a, conv, (f) => f.viewers[0]?.typing === true);

    const b = await connectLive(client, editor, workspace.id);
    const hello = await b.next();
    expect(hello.type).toBe("hello");
    expect(await b.next()).toEqual({ type: "inbox.presence", conversationId: conv, viewers: [{ userId: owner.id, typing: true }] });

    a.close();
    expect(await presenceOf(b, conv, (f) => f.viewers.length === 0)).toEqual({ type: "inbox.presence", conversationId: conv, viewers: [] });
    b.close();
  });

  it("clears a removed member from the conversations they were viewing", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const a = await connectLive(client, owner, workspace.id);
    await a.next((f) => f.type === "hello");
    const b = await connectLive(client, editor, workspace.id);
    await b.next((f) => f.type === "hello");
    const conv = conversationId();
    b.send({ type: "inbox.viewing", conversationId: conv });
    await presenceOf(a, conv, (f) => f.viewers.length === 1);

    expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/members/${editor.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect(await presenceOf(a, conv, (f) => f.viewers.length === 0)).toEqual({ type: "inbox.presence", conversationId: conv, viewers: [] });
    expect((await b.whenClosed()).code).toBe(4003);
    a.close();
  });

  it("rejects an invalid viewing frame with an error and keeps the socket open", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const a = await connectLive(client, owner, workspace.id);
    await a.next((f) => f.type === "hello");
    a.send({ type: "inbox.viewing", conversationId: "../../etc" });
    expect(await a.next((f) => f.type === "error")).toMatchObject({ type: "error", title: "Frame refused" });
    expect(a.closed).toBeNull();
    a.close();
  });
});

describe("typing expiry and merging (computed on read)", () => {
  const conv = "conv_abcdefghijkl";

  it("expires a typing signal that was not refreshed within the TTL", () => {
    const viewing = applyViewing({ viewing: null, typingUntil: null }, conv);
    expect(viewing).toEqual({ ok: true, next: { viewing: conv, typingUntil: null }, changed: [conv] });
    const typing = applyTyping(viewing.ok ? viewing.next : { viewing: null, typingUntil: null }, conv, true, 1_000);
    if (!typing.ok) throw new Error("typing refused");
    const holder = { userId: "user_aaaaaaaaaa", ...typing.next };
    expect(presenceFrame(conv, [holder], 1_000 + TYPING_TTL_MS - 1).viewers).toEqual([{ userId: "user_aaaaaaaaaa", typing: true }]);
    expect(presenceFrame(conv, [holder], 1_000 + TYPING_TTL_MS).viewers).toEqual([{ userId: "user_aaaaaaaaaa", typing: false }]);
    // Stopping an already expired signal changes nothing anyone can see, so nothing is broadcast.
    expect(applyTyping(typing.next, conv, false, 1_000 + TYPING_TTL_MS)).toMatchObject({ ok: true, changed: [] });
  });

  it("counts a member once across tabs, typing when any tab types, and moving away changes both conversations", () => {
    const other = "conv_mnopqrstuvwx";
    const holders = [
      { userId: "user_bbbbbbbbbb", viewing: conv, typingUntil: null },
      { userId: "user_bbbbbbbbbb", viewing: conv, typingUntil: 5_000 },
      { userId: "user_aaaaaaaaaa", viewing: conv, typingUntil: null },
      { userId: "user_cccccccccc", viewing: other, typingUntil: 5_000 },
    ];
    expect(presenceFrame(conv, holders, 1_000).viewers).toEqual([
      { userId: "user_aaaaaaaaaa", typing: false },
      { userId: "user_bbbbbbbbbb", typing: true },
    ]);
    expect(applyViewing({ viewing: conv, typingUntil: 5_000 }, other)).toEqual({ ok: true, next: { viewing: other, typingUntil: null }, changed: [conv, other] });
  });
});

describe("batched fan-out", () => {
  it("sends a burst of 100 events in fewer frames, in order, none lost", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const live = await connectLive(client, owner, workspace.id);
    // The member's own arrival is the last event before the burst.
    const start = (await live.event("presence.joined")).seq;
    const frames = rawFrames(live);
    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));

    // One turn of the object: all 100 arrive inside one batching window.
    await runInDurableObject(stub, async (instance) => {
      for (let i = 0; i < 100; i++) await instance.publish({ kind: "workspace.updated" });
    });
    await live.next((f) => f.type === "event" && f.seq === start + 100);
    const seqs = seqsOf(frames);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => start + 1 + i));
    expect(frames.length).toBeLessThan(10);
    expect(frames.some((f) => f.type === "events" && f.events.length > 1)).toBe(true);
    live.close();
  });

  it("resumes with ?since after the socket dropped in the middle of a burst, without gaps or repeats", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));
    const first = await connectLive(client, owner, workspace.id);
    const start = (await first.event("presence.joined")).seq;
    await runInDurableObject(stub, async (instance) => {
      for (let i = 0; i < 30; i++) await instance.publish({ kind: "workspace.updated" });
    });
    const lastSeen = await first.next((f) => f.type === "event" && f.seq === start + 30);
    first.close();
    await runInDurableObject(stub, async (instance) => {
      for (let i = 0; i < 70; i++) await instance.publish({ kind: "workspace.updated" });
    });

    const resumed = await connectLive(client, owner, workspace.id, lastSeen.type === "event" ? lastSeen.seq : 0);
    const seen = new Set(seqsOf(first.all()));
    for (;;) {
      const frame = await resumed.next();
      if (frame.type === "hello") break;
      if (frame.type === "event") seen.add(frame.seq);
    }
    const expected = Array.from({ length: 100 }, (_, i) => start + 1 + i);
    expect(expected.filter((s) => !seen.has(s))).toEqual([]);
    const replayed = seqsOf(resumed.all());
    expect(replayed[0]).toBe(start + 31);
    expect(new Set(replayed).size).toBe(replayed.length);
    resumed.close();
  });
});

describe("batching window", () => {
  const logged = (seq: number) => ({ seq, at: 1_000 + seq, event: { kind: "workspace.updated" as const } });

  it("sends a lone event at once as a plain frame and holds only what arrives while a frame is fresh", () => {
    vi.useFakeTimers();
    try {
      const sent: ServerFrame[] = [];
      const batcher = new EventBatcher((frame) => sent.push(ServerFrame.parse(JSON.parse(frame))));
      batcher.push(logged(1));
      expect(sent).toEqual([{ type: "event", seq: 1, at: 1_001, event: { kind: "workspace.updated" } }]);
      batcher.push(logged(2));
      batcher.push(logged(3));
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(BATCH_WINDOW_MS);
      expect(sent[1]).toEqual({ type: "events", events: [logged(2), logged(3)] });
      // The window after a batch closes empty; the next lone event again goes out without waiting.
      vi.advanceTimersByTime(BATCH_WINDOW_MS);
      batcher.push(logged(4));
      expect(sent[2]).toMatchObject({ type: "event", seq: 4 });
      expect(sent).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends events pushed together in one frame at once when idle, and holds them whole inside a window", () => {
    vi.useFakeTimers();
    try {
      const sent: ServerFrame[] = [];
      const batcher = new EventBatcher((frame) => sent.push(ServerFrame.parse(JSON.parse(frame))));
      batcher.pushAll([logged(1), logged(2)]);
      expect(sent).toEqual([{ type: "events", events: [logged(1), logged(2)] }]);
      batcher.pushAll([logged(3), logged(4)]);
      batcher.push(logged(5));
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(BATCH_WINDOW_MS);
      expect(sent[1]).toEqual({ type: "events", events: [logged(3), logged(4), logged(5)] });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("tenancy on the socket", () => {
  it("keeps one workspace's inbox events and presence away from another workspace's sockets, even for a member of both", async () => {
    const client = makeClient();
    const alice = await signUp(client, { name: "Alice A" });
    const bob = await signUp(client, { name: "Bob B" });
    const both = await signUp(client, { name: "Bea Both" });
    const a = await createWorkspace(client, alice);
    const b = await createWorkspace(client, bob);
    await addMember(client, a.id, alice, both, "editor");
    await addMember(client, b.id, bob, both, "editor");

    const aliceLive = await connectLive(client, alice, a.id);
    const bobLive = await connectLive(client, bob, b.id);
    const bothInB = await connectLive(client, both, b.id);
    for (const live of [aliceLive, bobLive, bothInB]) await live.next((f) => f.type === "hello");
    const bobFrames = rawFrames(bobLive);
    const bothFrames = rawFrames(bothInB);
    const aliceFrames = rawFrames(aliceLive);

    // A new comment and a viewer in workspace A…
    const conv = conversationId();
    await liveEvent(env, a.id, { kind: "conversation.changed", conversationId: conv }, { kind: "message.changed", conversationId: conv, messageId: `msg_${crypto.randomUUID().replaceAll("-", "")}` });
    await aliceLive.event("message.changed");
    aliceLive.send({ type: "inbox.viewing", conversationId: conv });
    // …and someone in B claims to view A's conversation id (the hub cannot know whose it is; it stays in B).
    bothInB.send({ type: "inbox.viewing", conversationId: conv });
    expect((await presenceOf(bobLive, conv)).viewers).toEqual([{ userId: both.id, typing: false }]);

    // A marker after everything above: once B's sockets have it, nothing from A can still be on its way to them.
    await liveEvent(env, b.id, { kind: "workspace.updated" });
    await bobLive.event("workspace.updated");
    await bothInB.event("workspace.updated");
    const inboxKinds = (frames: ServerFrame[]) => frames.flatMap((f) => (f.type === "event" ? [f.event] : f.type === "events" ? f.events.map((e) => e.event) : [])).filter((e) => e.kind === "message.changed" || e.kind === "conversation.changed");
    expect(inboxKinds(bobFrames)).toEqual([]);
    expect(inboxKinds(bothFrames)).toEqual([]);
    // Alice sees her own viewing in A, never Bea's in B.
    await liveEvent(env, a.id, { kind: "workspace.updated" });
    await aliceLive.event("workspace.updated");
    const presenceInA = aliceFrames.filter((f): f is PresenceFrame => f.type === "inbox.presence");
    expect(presenceInA.flatMap((f) => f.viewers.map((v) => v.userId))).not.toContain(both.id);
    for (const live of [aliceLive, bobLive, bothInB]) live.close();
  });
});
