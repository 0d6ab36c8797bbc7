import type { ClientFrame } from "../../../worker/contracts/live.ts";

/** Mirrors the hub's TTL: a "typing" not refreshed within this long is shown as stopped. */
export const TYPING_TTL_MS = 6_000;

export type InboxViewer = { userId: string; typing: boolean };

type Sender = (frame: ClientFrame) => void;

/**
 * The inbox's side of a workspace's live socket: who views and types where (from `inbox.presence`
 * frames), and what this tab is viewing. It outlives reconnects: the socket attaches on every hello,
 * the channel forgets presence the old socket knew (the hub resends a snapshot) and tells the new
 * socket what this tab is viewing. Free of DOM and UI imports so it can be reasoned about alone.
 */
export class InboxChannel {
  private readonly presence = new Map<string, Map<string, number | null>>();
  private readonly listeners = new Set<() => void>();
  private viewing: string | null = null;
  private sender: Sender | null = null;

  constructor(private readonly clock: () => number = Date.now) {}

  attach(sender: Sender): void {
    this.sender = sender;
    this.presence.clear();
    if (this.viewing) sender({ type: "inbox.viewing", conversationId: this.viewing });
    this.notify();
  }

  detach(): void {
    this.sender = null;
    this.presence.clear();
    this.notify();
  }

  receivePresence(conversationId: string, viewers: InboxViewer[]): void {
    const now = this.clock();
    if (viewers.length === 0) this.presence.delete(conversationId);
    else this.presence.set(conversationId, new Map(viewers.map((v) => [v.userId, v.typing ? now : null])));
    this.notify();
  }

  /** Viewers of one conversation; a typing signal older than the TTL reads as not typing. */
  viewersOf(conversationId: string): InboxViewer[] {
    const now = this.clock();
    const seen = this.presence.get(conversationId);
    if (!seen) return [];
    return [...seen.entries()].map(([userId, typingSeenAt]) => ({ userId, typing: typingSeenAt !== null && now - typingSeenAt < TYPING_TTL_MS }));
  }

  view(conversationId: string | null): void {
    if (this.viewing === conversationId) return;
    this.viewing = conversationId;
    this.sender?.({ type: "inbox.viewing", conversationId });
  }

  typing(conversationId: string, typing: boolean): void {
    if (this.viewing !== conversationId) return;
    this.sender?.({ type: "inbox.typing", conversationId, typing });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

const channels = new Map<string, InboxChannel>();

/** The one channel of a workspace in this tab, shared by its live socket and the inbox page. */
export function inboxChannel(workspaceId: string): InboxChannel {
  let channel = channels.get(workspaceId);
  if (!channel) {
    channel = new InboxChannel();
    channels.set(workspaceId, channel);
  }
  return channel;
}
