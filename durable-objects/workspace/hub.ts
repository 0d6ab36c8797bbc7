import { z } from "zod";
import { ClientFrame, MAX_CLIENT_FRAME_BYTES, type LiveEvent, type OnlineMember, type ServerFrame } from "../../worker/contracts/live";
import { Id } from "../../worker/contracts/common";
import { EventBatcher } from "./event-batch";
import type { EventLog, LoggedEvent } from "./event-log";
import { applyTyping, applyViewing, presenceFrame, viewedConversations, type PresenceChange, type PresenceHolder } from "./inbox-presence";
import { HubMemberHeader, type HubMember } from "./member-header";

/**
 * What each socket carries through hibernation (≤ 16 KB); parsed back with zod, never cast. The inbox
 * fields default so sockets attached before they existed still parse.
 */
const Attachment = HubMemberHeader.extend({
  connectedAt: z.number().int(),
  viewing: Id.nullable().default(null),
  typingUntil: z.number().int().nullable().default(null),
});
type Attachment = z.infer<typeof Attachment>;

const userTag = (userId: string) => `user:${userId}`;

/**
 * The live hub: hibernating WebSockets, a numbered event stream (batched under bursts), workspace
 * presence and inbox presence. Both kinds of presence are derived from the open sockets' attachments,
 * so they are right after hibernation or a restart without any extra state.
 */
export class Hub {
  private readonly batcher: EventBatcher;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly log: EventLog,
    private readonly clock: () => number = Date.now,
  ) {
    this.batcher = new EventBatcher((frame) => {
      for (const socket of this.ctx.getWebSockets()) sendRaw(socket, frame);
    });
  }

  connect(member: HubMember, since: number | undefined): Response {
    const pair = new WebSocketPair();
    const server = pair[1];
    const firstConnection = this.socketsOf(member.userId).length === 0;
    // Held events go to the others first: the newcomer's history and hello already include them.
    this.batcher.flush();
    this.ctx.acceptWebSocket(server, [userTag(member.userId)]);
    server.serializeAttachment({ ...member, connectedAt: this.clock(), viewing: null, typingUntil: null } satisfies Attachment);

    if (since !== undefined) this.sendHistory(server, since);
    send(server, { type: "hello", seq: this.log.latestSeq(), you: member.userId, online: this.online() });
    const holders = this.presenceHolders();
    for (const conversationId of viewedConversations(holders)) send(server, presenceFrame(conversationId, holders, this.clock()));
    if (firstConnection) this.publish({ kind: "presence.joined", user: { id: member.userId, name: member.name, avatarUrl: member.avatarUrl } });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  publish(event: LiveEvent): LoggedEvent {
    const logged = this.log.append(event, this.clock());
    this.batcher.push(logged);
    return logged;
  }

  /** Several events in order, numbered consecutively and fanned out in one frame. */
  publishAll(events: LiveEvent[]): LoggedEvent[] {
    const at = this.clock();
    const logged = events.map((event) => this.log.append(event, at));
    this.batcher.pushAll(logged);
    return logged;
  }

  online(): OnlineMember[] {
    const byUser = new Map<string, OnlineMember>();
    for (const socket of this.ctx.getWebSockets()) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      const a = attachmentOf(socket);
      if (!a) continue;
      const seen = byUser.get(a.userId);
      if (seen) seen.connections += 1;
      else byUser.set(a.userId, { id: a.userId, name: a.name, avatarUrl: a.avatarUrl, connections: 1 });
    }
    return [...byUser.values()].sort((x, y) => x.name.localeCompare(y.name));
  }

  onMessage(socket: WebSocket, message: string | ArrayBuffer): void {
    if (typeof message !== "string") return send(socket, errorFrame("Frames must be JSON text."));
    if (message.length > MAX_CLIENT_FRAME_BYTES) return send(socket, errorFrame(`Frames can be at most ${MAX_CLIENT_FRAME_BYTES} bytes.`));
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return send(socket, errorFrame("That frame is not valid JSON."));
    }
    const frame = ClientFrame.safeParse(json);
    if (!frame.success) return send(socket, errorFrame(`That frame is not one this server understands: ${frame.error.issues[0]?.message ?? "unknown shape"}.`));
    const data = frame.data;
    switch (data.type) {
      case "ping":
        return send(socket, { type: "pong" });
      case "sync":
        return this.sendHistory(socket, data.since);
      case "inbox.viewing":
        return this.changePresence(socket, (a) => applyViewing(a, data.conversationId));
      case "inbox.typing":
        return this.changePresence(socket, (a) => applyTyping(a, data.conversationId, data.typing, this.clock()));
    }
  }

  /** A socket closed or errored: if it was that member's last one, everyone sees them go offline. */
  onClose(socket: WebSocket): void {
    const a = attachmentOf(socket);
    try {
      socket.close(1000, "closing");
    } catch {
      // Already closed: nothing to do.
    }
    if (a?.viewing) this.broadcastPresence(a.viewing, [socket]);
    if (a && this.socketsOf(a.userId).filter((s) => s !== socket).length === 0) this.publish({ kind: "presence.left", userId: a.userId });
  }

  /** Closes every socket of a member who lost access (removed from the workspace, or it was deleted). */
  disconnectUser(userId: string, reason: string): number {
    const sockets = this.socketsOf(userId);
    const viewed = new Set<string>();
    for (const socket of sockets) {
      const viewing = attachmentOf(socket)?.viewing;
      if (viewing) viewed.add(viewing);
      try {
        socket.close(4003, reason);
      } catch {
        // Already closed.
      }
    }
    for (const conversationId of viewed) this.broadcastPresence(conversationId, sockets);
    if (sockets.length > 0) this.publish({ kind: "presence.left", userId });
    return sockets.length;
  }

  private changePresence(socket: WebSocket, change: (a: Attachment) => PresenceChange): void {
    const a = attachmentOf(socket);
    if (!a) return;
    const result = change(a);
    if (!result.ok) return send(socket, errorFrame(result.detail));
    socket.serializeAttachment({ ...a, ...result.next } satisfies Attachment);
    for (const conversationId of result.changed) this.broadcastPresence(conversationId);
  }

  private broadcastPresence(conversationId: string, leaving: WebSocket[] = []): void {
    const frame = JSON.stringify(presenceFrame(conversationId, this.presenceHolders(leaving), this.clock()) satisfies ServerFrame);
    for (const socket of this.ctx.getWebSockets()) if (!leaving.includes(socket)) sendRaw(socket, frame);
  }

  private presenceHolders(leaving: WebSocket[] = []): PresenceHolder[] {
    const holders: PresenceHolder[] = [];
    for (const socket of this.ctx.getWebSockets()) {
      if (socket.readyState !== WebSocket.OPEN || leaving.includes(socket)) continue;
      const a = attachmentOf(socket);
      if (a) holders.push({ userId: a.userId, viewing: a.viewing, typingUntil: a.typingUntil });
    }
    return holders;
  }

  private socketsOf(userId: string): WebSocket[] {
    return this.ctx.getWebSockets(userTag(userId)).filter((s) => s.readyState === WebSocket.OPEN);
  }

  private sendHistory(socket: WebSocket, since: number): void {
    const missed = this.log.after(since);
    if (missed === null) return send(socket, { type: "resync", seq: this.log.latestSeq() });
    for (const e of missed) send(socket, { type: "event", seq: e.seq, at: e.at, event: e.event });
  }
}

function attachmentOf(socket: WebSocket): Attachment | null {
  const parsed = Attachment.safeParse(socket.deserializeAttachment());
  return parsed.success ? parsed.data : null;
}

function errorFrame(detail: string): ServerFrame {
  return { type: "error", title: "Frame refused", detail };
}

function send(socket: WebSocket, frame: ServerFrame): void {
  sendRaw(socket, JSON.stringify(frame));
}

function sendRaw(socket: WebSocket, data: string): void {
  try {
    socket.send(data);
  } catch {
    // The socket is closing; its close handler will publish presence.
  }
}
