import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EventLog } from "../../durable-objects/workspace/event-log";
import { addMember, createWorkspace, makeClient, problemOf, signUp } from "../helpers/client";
import { connectLive, liveRequest } from "../helpers/live";

async function teamOfTwo() {
  const client = makeClient();
  const owner = await signUp(client, { name: "Olivia Owner" });
  const editor = await signUp(client, { name: "Eddie Editor" });
  const workspace = await createWorkspace(client, owner);
  await addMember(client, workspace.id, owner, editor, "editor");
  return { client, owner, editor, workspace };
}

describe("live channel handshake", () => {
  it("refuses a connection without a session, before upgrading", async () => {
    const { client, workspace } = await teamOfTwo();
    const response = await liveRequest(client, null, workspace.id);
    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
    expect((await problemOf(response)).type).toBe("/problems/unauthenticated");
  });

  it("refuses a foreign Origin and a missing Origin", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    for (const origin of ["https://evil.example", null]) {
      const response = await liveRequest(client, owner, workspace.id, { origin });
      expect(response.status).toBe(403);
      expect(response.webSocket).toBeNull();
      expect((await problemOf(response)).type).toBe("/problems/foreign-origin");
    }
  });

  it("answers 404 to a signed-in user who is not a member, exactly as for a missing workspace", async () => {
    const { client, workspace } = await teamOfTwo();
    const stranger = await signUp(client, { name: "Stranger" });
    const response = await liveRequest(client, stranger, workspace.id);
    expect(response.status).toBe(404);
    const missing = await liveRequest(client, stranger, "nonexistent-workspace-id");
    expect(missing.status).toBe(404);
    expect((await problemOf(response)).type).toBe((await problemOf(missing)).type);
  });

  it("asks for a WebSocket when the request is not an upgrade", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const response = await liveRequest(client, owner, workspace.id, { upgrade: false });
    expect(response.status).toBe(426);
    expect((await problemOf(response)).type).toBe("/problems/upgrade-required");
  });

  it("rejects a malformed since with a validation problem", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const response = await client.call("GET", `/api/workspaces/${workspace.id}/live?since=abc`, { cookie: owner.cookie, headers: { Upgrade: "websocket", Origin: "http://atelier.test" } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("since");
  });
});

describe("presence", () => {
  it("greets with who is online and tells everyone when a teammate joins and leaves", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const ownerLive = await connectLive(client, owner, workspace.id);
    const hello = await ownerLive.next((f) => f.type === "hello");
    expect(hello).toMatchObject({ type: "hello", you: owner.id, online: [{ id: owner.id, name: "Olivia Owner", connections: 1 }] });

    const editorLive = await connectLive(client, editor, workspace.id);
    const editorHello = await editorLive.next((f) => f.type === "hello");
    expect(editorHello.type === "hello" && editorHello.online.map((m) => m.name)).toEqual(["Eddie Editor", "Olivia Owner"]);
    const joined = await ownerLive.next((f) => f.type === "event" && f.event.kind === "presence.joined" && f.event.user.id === editor.id);
    expect(joined).toMatchObject({ type: "event", event: { kind: "presence.joined", user: { id: editor.id, name: "Eddie Editor", avatarUrl: null } } });

    editorLive.close();
    const left = await ownerLive.event("presence.left");
    expect(left.event).toEqual({ kind: "presence.left", userId: editor.id });
    expect(joined.type === "event" && left.seq > joined.seq).toBe(true);

    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));
    expect((await stub.presence()).map((m) => m.id)).toEqual([owner.id]);
    ownerLive.close();
  });

  it("counts a second tab without announcing the member twice, and keeps them online until the last tab closes", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const ownerLive = await connectLive(client, owner, workspace.id);
    await ownerLive.next((f) => f.type === "hello");
    const tab1 = await connectLive(client, editor, workspace.id);
    await ownerLive.event("presence.joined");
    const tab2 = await connectLive(client, editor, workspace.id);
    const hello2 = await tab2.next((f) => f.type === "hello");
    expect(hello2.type === "hello" && hello2.online.find((m) => m.id === editor.id)?.connections).toBe(2);

    tab1.close();
    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));
    // Bounded wait for the hub to process the close (no sleeping: each turn is an RPC round trip).
    for (let i = 0; i < 100 && (await stub.presence()).find((m) => m.id === editor.id)?.connections !== 1; i++);
    expect((await stub.presence()).find((m) => m.id === editor.id)?.connections).toBe(1);
    const editorEvents = () => ownerLive.all().filter((f) => f.type === "event" && "userId" in f.event && f.event.userId === editor.id);
    expect(editorEvents()).toEqual([]);

    tab2.close();
    const left = await ownerLive.event("presence.left");
    expect(left.event).toEqual({ kind: "presence.left", userId: editor.id });
    const editorJoins = ownerLive.all().filter((f) => f.type === "event" && f.event.kind === "presence.joined" && f.event.user.id === editor.id);
    expect(editorJoins).toHaveLength(1);
    ownerLive.close();
  });
});

describe("sequenced events and resume", () => {
  it("numbers domain events and replays exactly the missed ones after ?since", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const first = await connectLive(client, editor, workspace.id);
    const hello = await first.next((f) => f.type === "hello");
    const lastSeen = hello.type === "hello" ? hello.seq : -1;
    first.close();

    // While the editor is away: a rename and a role change happen.
    expect((await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie, body: { name: "Renamed" } })).status).toBe(200);
    expect((await client.call("PATCH", `/api/workspaces/${workspace.id}/members/${editor.id}`, { cookie: owner.cookie, body: { role: "viewer" } })).status).toBe(200);

    const resumed = await connectLive(client, editor, workspace.id, lastSeen);
    const replayed: { seq: number; kind: string }[] = [];
    for (;;) {
      const frame = await resumed.next();
      if (frame.type === "hello") break;
      if (frame.type === "event") replayed.push({ seq: frame.seq, kind: frame.event.kind });
    }
    // No gap: the replay starts right after what the client saw and is contiguous.
    expect(replayed[0]?.seq).toBe(lastSeen + 1);
    replayed.forEach((e, i) => expect(e.seq).toBe(lastSeen + 1 + i));
    expect(replayed.map((e) => e.kind)).toEqual(expect.arrayContaining(["presence.left", "workspace.updated", "member.role_changed"]));
    resumed.close();
  });

  it("tells a client whose since is ahead of the hub to resync", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const live = await connectLive(client, owner, workspace.id, 9_999);
    expect(await live.next()).toMatchObject({ type: "resync" });
    live.close();
  });

  it("keeps only recent history and asks older clients to resync", async () => {
    const { workspace } = await teamOfTwo();
    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));
    await runInDurableObject(stub, (_instance, state) => {
      const log = new EventLog(state.storage.sql, 3);
      const start = log.latestSeq();
      for (let i = 0; i < 5; i++) log.append({ kind: "workspace.updated" }, 1_000 + i);
      expect(log.latestSeq()).toBe(start + 5);
      expect(log.after(start + 5)).toEqual([]);
      expect(log.after(start + 2)?.map((e) => e.seq)).toEqual([start + 3, start + 4, start + 5]);
      expect(log.after(start)).toBeNull();
    });
  });
});

describe("frames from clients", () => {
  it("answers malformed, unknown and oversized frames with an error frame and keeps the socket open", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const live = await connectLive(client, owner, workspace.id);
    await live.next((f) => f.type === "hello");
    live.send("not json");
    expect(await live.next((f) => f.type === "error")).toMatchObject({ type: "error", detail: "That frame is not valid JSON." });
    live.send({ type: "launch-missiles" });
    expect(await live.next((f) => f.type === "error")).toMatchObject({ type: "error" });
    live.send(JSON.stringify({ type: "ping", pad: "x".repeat(5000) }));
    expect(await live.next((f) => f.type === "error")).toMatchObject({ type: "error", detail: "Frames can be at most 4096 bytes." });
    live.send({ type: "sync", since: 0 });
    live.send({ type: "ping" });
    expect(await live.next((f) => f.type === "pong")).toEqual({ type: "pong" });
    expect(live.closed).toBeNull();
    live.close();
  });

  it("sends events published together as one frame, numbered in order, and refuses a bad one without publishing any", async () => {
    const { client, owner, workspace } = await teamOfTwo();
    const live = await connectLive(client, owner, workspace.id);
    await live.next((f) => f.type === "hello");
    const raw: unknown[] = [];
    live.socket.addEventListener("message", (event) => raw.push(JSON.parse(String(event.data))));
    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));
    const refusedResult = await stub.publishAll([{ kind: "workspace.updated" }, { kind: "nonsense" } as never]);
    expect(refusedResult.ok).toBe(false);
    const result = await stub.publishAll([
      { kind: "conversation.changed", conversationId: "conversation-1" },
      { kind: "message.changed", conversationId: "conversation-1", messageId: "message-0001" },
    ]);
    if (!result.ok) throw new Error(result.problem.detail);
    const [first, second] = result.value.seqs;
    expect(second).toBe((first ?? 0) + 1);
    await live.event("message.changed");
    // Both arrived in the same frame (which may also carry events still held by the batching window),
    // in order, and the refused call published nothing.
    type RawEvent = { seq: number; event: { kind: string } };
    const eventsOf = (f: unknown): RawEvent[] => {
      const frame = f as { type: string; events?: RawEvent[] } & RawEvent;
      return frame.type === "events" ? (frame.events ?? []) : frame.type === "event" ? [frame] : [];
    };
    const carrying = raw.filter((f) => eventsOf(f).some((e) => e.seq === first));
    expect(carrying).toHaveLength(1);
    expect(eventsOf(carrying[0]).filter((e) => e.seq === first || e.seq === second)).toMatchObject([
      { seq: first, event: { kind: "conversation.changed", conversationId: "conversation-1" } },
      { seq: second, event: { kind: "message.changed", conversationId: "conversation-1", messageId: "message-0001" } },
    ]);
    expect(raw.flatMap(eventsOf).filter((e) => e.event.kind === "workspace.updated")).toEqual([]);
    live.close();
  });

  it("refuses an invalid event over RPC as a value, not an exception", async () => {
    const { workspace } = await teamOfTwo();
    const stub = env.WORKSPACE.get(env.WORKSPACE.idFromName(workspace.id));
    const result = await stub.publish({ kind: "nonsense" } as never);
    expect(result.ok).toBe(false);
  });
});

describe("losing access", () => {
  it("closes a removed member's sockets and tells the others", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const ownerLive = await connectLive(client, owner, workspace.id);
    await ownerLive.next((f) => f.type === "hello");
    const editorLive = await connectLive(client, editor, workspace.id);
    await ownerLive.event("presence.joined");

    const removed = await client.call("DELETE", `/api/workspaces/${workspace.id}/members/${editor.id}`, { cookie: owner.cookie });
    expect(removed.status).toBe(204);
    expect((await ownerLive.event("member.removed")).event).toEqual({ kind: "member.removed", userId: editor.id });
    expect((await editorLive.whenClosed()).code).toBe(4003);
    expect((await ownerLive.event("presence.left")).event).toEqual({ kind: "presence.left", userId: editor.id });
    expect((await liveRequest(client, editor, workspace.id)).status).toBe(404);
    ownerLive.close();
  });

  it("pushes a role change live to the member concerned", async () => {
    const { client, owner, editor, workspace } = await teamOfTwo();
    const editorLive = await connectLive(client, editor, workspace.id);
    await editorLive.next((f) => f.type === "hello");
    await client.call("PATCH", `/api/workspaces/${workspace.id}/members/${editor.id}`, { cookie: owner.cookie, body: { role: "viewer" } });
    expect((await editorLive.event("member.role_changed")).event).toEqual({ kind: "member.role_changed", userId: editor.id, role: "viewer" });
    editorLive.close();
  });
});
