import { ServerFrame, type ClientFrame, type LiveEvent, type OnlineMember } from "../../../worker/contracts/live.ts";
import { backoffDelay } from "./backoff.ts";
import { inboxChannel, type InboxChannel } from "./inbox-channel.ts";

export type LiveStatus = "connecting" | "open" | "reconnecting" | "stopped";

export interface LiveHandlers {
  onHello(frame: { you: string; online: OnlineMember[] }): void;
  onEvent(event: LiveEvent): void;
  /** Events were missed (server said resync, or a sequence gap): reload state from the API. */
  onResync(): void;
  onStatus(status: LiveStatus): void;
}

const PING_EVERY_MS = 25_000;

/**
 * One workspace's live socket. Keeps the last sequence number seen so a reconnect resumes with
 * `?since=`, reconnects with jittered exponential backoff, and parses every frame with the contract.
 */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private readonly inbox: InboxChannel;

  constructor(
    private readonly workspaceId: string,
    private readonly handlers: LiveHandlers,
  ) {
    this.inbox = inboxChannel(workspaceId);
  }

  start(): void {
    this.stopped = false;
    addEventListener("online", this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener("online", this.reconnectNow);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    this.inbox.detach();
    socket?.close(1000, "leaving");
    this.handlers.onStatus("stopped");
  }

  private url(): string {
    const url = new URL(`/api/workspaces/${encodeURIComponent(this.workspaceId)}/live`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (this.lastSeq !== null) url.searchParams.set("since", String(this.lastSeq));
    return url.href;
  }

  private connect(): void {
    this.handlers.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener("message", (e) => {
      if (this.socket === socket) this.receive(e.data);
    });
    socket.addEventListener("close", () => {
      if (this.socket === socket) this.scheduleReconnect();
    });
  }

  private send(frame: ClientFrame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) return;
    const frame = parsed.data;
    switch (frame.type) {
      case "hello":
        this.attempt = 0;
        // A fresh connection starts at the server's head; a resumed one keeps its place so replayed events apply.
        if (this.lastSeq === null || frame.seq < this.lastSeq) this.lastSeq = frame.seq;
        this.handlers.onHello({ you: frame.you, online: frame.online });
        this.handlers.onStatus("open");
        this.startPing();
        this.inbox.attach((f) => this.send(f));
        return;
      case "event":
        return this.apply(frame.seq, frame.event);
      case "events":
        for (const e of frame.events) this.apply(e.seq, e.event);
        return;
      case "inbox.presence":
        return this.inbox.receivePresence(frame.conversationId, frame.viewers);
      case "resync":
        this.lastSeq = frame.seq;
        this.handlers.onResync();
        return;
      case "error":
      case "pong":
        return;
    }
  }

  private apply(seq: number, event: LiveEvent): void {
    const last = this.lastSeq ?? seq - 1;
    if (seq <= last) return; // already applied (replay overlap)
    this.lastSeq = seq;
    if (seq > last + 1) this.handlers.onResync();
    this.handlers.onEvent(event);
  }

  private startPing(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
  }

  private scheduleReconnect(): void {
    clearInterval(this.pingTimer);
    this.socket = null;
    this.inbox.detach();
    if (this.stopped) return;
    this.handlers.onStatus("reconnecting");
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private readonly reconnectNow = (): void => {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
  };
}
