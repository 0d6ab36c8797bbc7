import type { conversations, messages } from "../../db/schema-inbox";
import type { InboxActionKind } from "../states";

/**
 * Whether an action may be asked for at all, before anything is written: the kind fits the
 * conversation and the platform, the message can be acted on, and the platform's reply window is
 * open. Pure: the caller reads the rows and the time.
 */
export type Refusal = { status: 400 | 404 | 409; type: string; title: string; detail: string };

type ConversationRow = typeof conversations.$inferSelect;
type MessageRow = typeof messages.$inferSelect;

/** Messenger and Instagram DMs: free-form replies within 24 h of the person's last message (meta-auth-and-pages.md §6, instagram.md §4). */
export const DM_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Private replies to a comment: within 7 days of the comment, once per comment. From Meta's
 * private-replies guide; the shared platform notes do not state the window (unverified there).
 */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const COMMENT_KINDS: readonly InboxActionKind[] = ["reply", "like", "unlike", "hide", "unhide", "delete", "private_reply"];
const NEEDS_TEXT: readonly InboxActionKind[] = ["reply", "private_reply", "dm"];
const PLATFORM_NAMES: Record<string, string> = { facebook: "Facebook", instagram: "Instagram" };

const invalid = (detail: string): Refusal => ({ status: 400, type: "/problems/validation", title: "This action is not possible", detail });
const conflict = (detail: string): Refusal => ({ status: 409, type: "/problems/conflict", title: "Conflict", detail });

export function needsText(kind: InboxActionKind): boolean {
  return NEEDS_TEXT.includes(kind);
}

/** True for the kinds that write a message the person will see (shown pending until confirmed). */
export function createsMessage(kind: InboxActionKind): boolean {
  return NEEDS_TEXT.includes(kind);
}

/** When a reply is possible until, for the conversation list; null when the platform has no window. */
export function replyWindowEndsAt(conversation: Pick<ConversationRow, "kind" | "lastInboundAt">): number | null {
  if (conversation.kind !== "dm") return null;
  return conversation.lastInboundAt === null ? null : conversation.lastInboundAt + DM_WINDOW_MS;
}

const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function refusalFor(input: { kind: InboxActionKind; text: string | null; conversation: ConversationRow; message: MessageRow | null; now: number }): Refusal | null {
  const { kind, conversation, message, now } = input;
  const name = PLATFORM_NAMES[conversation.platform];
  if (!name) return invalid(`Atelier cannot answer conversations on ${conversation.platform} yet.`);
  if (needsText(kind) && !input.text?.trim()) return invalid("Write the reply.");

  if (conversation.kind === "dm") {
    if (kind !== "dm") return invalid(`A direct-message conversation can only be answered with a message; “${kind.replace("_", " ")}” applies to comments.`);
    const endsAt = replyWindowEndsAt(conversation);
    if (endsAt === null) return conflict(`${name} allows a reply only after the person has written; they have not written yet.`);
    if (now > endsAt) return conflict(`The 24-hour window closed at ${at(endsAt)}; Meta allows replies only within 24 hours of the person's last message on ${name}.`);
    return null;
  }

  if (!COMMENT_KINDS.includes(kind)) return invalid("Direct messages go to DM conversations; to write privately to a commenter, send a private reply.");
  if (!message) return invalid("Choose the comment to act on.");
  if (message.state === "removed") return conflict("This comment was removed from the platform.");
  if (!message.externalId) return conflict("This reply is still being sent; wait until the platform confirms it.");
  if ((kind === "like" || kind === "unlike") && conversation.platform === "instagram") {
    return invalid("Instagram's API offers no way to like a comment; like it in the Instagram app.");
  }
  if (message.direction === "out" && (kind === "hide" || kind === "unhide" || kind === "private_reply")) {
    return invalid(kind === "private_reply" ? "A private reply goes to someone else's comment, not one of ours." : `${name} does not let a Page hide its own comments; delete it instead.`);
  }
  if (kind === "private_reply" && now > message.platformAt + PRIVATE_REPLY_WINDOW_MS) {
    return conflict(`The window for a private reply closed at ${at(message.platformAt + PRIVATE_REPLY_WINDOW_MS)}; Meta allows private replies only within 7 days of the comment.`);
  }
  return null;
}
