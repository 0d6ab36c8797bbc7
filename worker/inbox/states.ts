/** The inbox's closed sets (ARCHITECTURE.md §3), shared by the D1 schema, the contracts and the UI. */

/** A comment thread under one of our posts, or a direct-message thread with one person. */
export const CONVERSATION_KINDS = ["comments", "dm"] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const CONVERSATION_STATUSES = ["open", "done"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** `in`: written by someone else; `out`: written by us (from Atelier, an auto-reply, or an echo of a reply made elsewhere). */
export const MESSAGE_DIRECTIONS = ["in", "out"] as const;

/**
 * `received`: an inbound message. Outbound ones are `pending` until the platform confirms (`sent`) or
 * refuses (`failed`). `removed`: deleted on the platform (by its author, or by us).
 */
export const MESSAGE_STATES = ["received", "pending", "sent", "failed", "removed"] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Outbound platform actions (they go through PUBLISH_QUEUE with the publish ledger's idempotency rules). */
export const INBOX_ACTION_KINDS = ["reply", "like", "unlike", "hide", "unhide", "delete", "private_reply", "dm"] as const;
export type InboxActionKind = (typeof INBOX_ACTION_KINDS)[number];

export const INBOX_ACTION_STATES = ["pending", "done", "failed"] as const;
export type InboxActionState = (typeof INBOX_ACTION_STATES)[number];

export const RULE_HIT_OUTCOMES = ["acted", "skipped_cooldown", "skipped_quiet_hours", "failed"] as const;
