import { z } from "zod";
import { ClientFrame, MAX_CLIENT_FRAME_BYTES, type LiveEvent, type OnlineMember, type ServerFrame } from "../../worker/contracts/live";
import type { EventLog, LoggedEvent } from "./event-log";
import { HubMemberHeader, type HubMember } from "./member-header";

/** What each socket carries through hibernation (≤ 16 KB); parsed back with zod, never cast. */
const Attachment = HubMemberHeader.extend({ connectedAt: z.number().int() });
type Attachment = z.infer<typeof Attachment>;

const userTag = (userId: string) => `user:${userId}`;

/**
 * The live hub: hibernating WebSockets, a numbered event stream, and presence. Presence is derived from
 * the open sockets themselves, so it is right after hibernation or a restart without any extra state.
 */
export class Hub {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly log: EventLog,
    private readonly clock: () => number = Date.now,
  ) {}

  connect(member: HubMember, since: number | undefined): Response {
    const pair = new WebSocketPair();
    const server = pair[1];
    const firstConnection = this.socketsOf(member.userId).length === 0;
    this.ctx.acceptWebSocket(server, [userTag(member.userId)]);
    server.serializeAttachment({ ...member, connectedAt: this.clock() } satisfies Attachment);

    if (since !== undefined) this.sendHistory(server, since);
    send(server, { type: "hello", seq: this.log.latestSeq(), you: member.userId, online: this.online() });
    if (firstConnection) this.publish({ kind: "presence.joined", user: { id: member.userId, name: member.name, avatarUrl: member.avatarUrl } });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  publish(event: LiveEvent): LoggedEvent {
    const logged = this.log.append(event, this.clock());
    const frame = JSON.stringify({ type: "event", seq: logged.seq, at: logged.at, event } satisfies ServerFrame);
    for (const socket of this.ctx.getWebSockets()) sendRaw(socket, frame);
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
    switch (frame.data.type) {
      case "ping":
        return send(socket, { type: "pong" });
      case "sync":
        return this.sendHistory(socket, frame.data.since);
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
    if (a && this.socketsOf(a.userId).filter((s) => s !== socket).length === 0) this.publish({ kind: "presence.left", userId: a.userId });
  }

  /** Closes every socket of a member who lost access (removed from the workspace, or it was deleted). */
  disconnectUser(userId: string, reason: string): number {
    const sockets = this.socketsOf(userId);
    for (const socket of sockets) {
      try {
        socket.close(4003, reason);
      } catch {
        // Already closed.
      }
    }
    if (sockets.length > 0) this.publish({ kind: "presence.left", userId });
    return sockets.length;
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
