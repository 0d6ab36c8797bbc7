import type { Conversation, Message } from "../../../../worker/contracts/inbox.ts";
import type { InboxActionKind } from "../../../../worker/inbox/states.ts";

export interface MessageAction {
  kind: InboxActionKind;
  label: string;
  /** Asked before acting: it cannot be undone from Atelier. */
  confirm?: string;
}

/** Platforms whose comments can be answered privately (a DM to the commenter). */
const PRIVATE_REPLY_PLATFORMS: ReadonlySet<Conversation["platform"]> = new Set(["facebook", "instagram"]);

/** The actions a message offers, given its state; nothing is offered on a message still in flight. */
export function messageActions(message: Message, conversation: Conversation): MessageAction[] {
  if (message.state === "pending" || message.state === "removed" || !message.externalId) return [];
  if (message.direction === "out") {
    return conversation.kind === "comments" && message.state === "sent" ? [{ kind: "delete", label: "Delete", confirm: "Delete this reply on the platform? It cannot be restored." }] : [];
  }
  if (conversation.kind === "dm") return [];
  const actions: MessageAction[] = [
    message.liked ? { kind: "unlike", label: "Unlike" } : { kind: "like", label: "Like" },
    message.hidden ? { kind: "unhide", label: "Unhide" } : { kind: "hide", label: "Hide" },
  ];
  if (PRIVATE_REPLY_PLATFORMS.has(conversation.platform)) actions.push({ kind: "private_reply", label: "Reply privately" });
  return actions;
}

/** The words shown beside a message for its state (null when nothing needs saying). */
export function messageStateLabel(message: Message): string | null {
  switch (message.state) {
    case "pending":
      return "Sending…";
    case "failed":
      return "Not sent";
    case "removed":
      return "Removed";
    default:
      return message.hidden ? "Hidden" : null;
  }
}

/** What the composer sends: a DM in a DM thread; under a comment, a public or a private reply. */
export function replyKind(conversation: Conversation, privately: boolean): InboxActionKind {
  if (conversation.kind === "dm") return "dm";
  return privately ? "private_reply" : "reply";
}

/** The comment a reply answers by default: the newest inbound one still on the platform. */
export function defaultReplyTarget(messages: Message[]): Message | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.direction === "in" && m.state !== "removed" && m.externalId) return m;
  }
  return null;
}

/** True when a reply window exists and has closed (Messenger / Instagram DMs: 24 h). */
export function replyWindowClosed(conversation: Conversation, now: Date): boolean {
  return conversation.replyWindowEndsAt !== null && new Date(conversation.replyWindowEndsAt).getTime() <= now.getTime();
}
