import type { Conversation, Message, Note } from "../../../../worker/contracts/inbox.ts";

export type TimelineItem = { type: "message"; at: string; message: Message } | { type: "note"; at: string; note: Note };

/** Messages and internal notes in one chronological thread (a note sorts after a message of the same instant). */
export function timeline(messages: Message[], notes: Note[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...messages.map((message) => ({ type: "message" as const, at: message.at, message })),
    ...notes.map((note) => ({ type: "note" as const, at: note.createdAt, note })),
  ];
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.type === b.type ? 0 : a.type === "message" ? -1 : 1));
}

/** The list after the reader opened one: its unread dot goes at once, before the server's echo. */
export function markRead(list: Conversation[], conversationId: string): Conversation[] {
  return list.map((c) => (c.id === conversationId && c.unread ? { ...c, unread: false } : c));
}

export const unreadCount = (list: Conversation[]): number => list.filter((c) => c.unread).length;

/** A sentence naming the claim for the header and the row ("Claimed by you", "Claimed by Ana"). */
export function claimText(conversation: Conversation, meId: string): string | null {
  if (!conversation.claimedBy) return null;
  return conversation.claimedBy.id === meId ? "Claimed by you" : `Claimed by ${conversation.claimedBy.name}`;
}

/** Attachments that can be shown inline as pictures. */
export const isImageAttachment = (a: { type: string; url: string | null }): a is { type: string; url: string } =>
  a.url !== null && (a.type === "image" || a.type.startsWith("image/") || a.type === "photo" || a.type === "sticker");
