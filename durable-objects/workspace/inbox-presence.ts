import type { ServerFrame } from "../../worker/contracts/live";

/**
 * A typing signal lasts this long unless refreshed. Expiry is computed whenever presence is read,
 * so no timer (and never the alarm, which belongs to the publishing schedule) is needed.
 */
export const TYPING_TTL_MS = 6_000;

/** What one socket says about the inbox; lives in its attachment so it survives hibernation. */
export type InboxPresence = { viewing: string | null; typingUntil: number | null };

export type PresenceHolder = InboxPresence & { userId: string };

export type InboxPresenceFrame = Extract<ServerFrame, { type: "inbox.presence" }>;

export type PresenceChange = { ok: true; next: InboxPresence; changed: string[] } | { ok: false; detail: string };

const isTyping = (p: InboxPresence, now: number) => p.typingUntil !== null && p.typingUntil > now;

/** Opening a conversation (or none) stops any typing; both the old and the new conversation change. */
export function applyViewing(current: InboxPresence, conversationId: string | null): PresenceChange {
  if (current.viewing === conversationId) return { ok: true, next: current, changed: [] };
  const changed = [current.viewing, conversationId].filter((c): c is string => c !== null);
  return { ok: true, next: { viewing: conversationId, typingUntil: null }, changed };
}

/**
 * Typing only counts in the conversation the socket is viewing. Every `typing: true` is rebroadcast
 * (clients refresh it every few seconds), so receivers can expire a stale "typing…" on their own
 * clock with the same TTL; `typing: false` is only broadcast when it ends a live signal.
 */
export function applyTyping(current: InboxPresence, conversationId: string, typing: boolean, now: number): PresenceChange {
  if (current.viewing !== conversationId) return { ok: false, detail: "Open the conversation before typing in it." };
  if (typing) return { ok: true, next: { viewing: conversationId, typingUntil: now + TYPING_TTL_MS }, changed: [conversationId] };
  const wasTyping = isTyping(current, now);
  return { ok: true, next: { viewing: conversationId, typingUntil: null }, changed: wasTyping ? [conversationId] : [] };
}

/** Who views `conversationId`, one entry per member (several tabs count once; typing in any tab counts). */
export function presenceFrame(conversationId: string, holders: PresenceHolder[], now: number): InboxPresenceFrame {
  const byUser = new Map<string, boolean>();
  for (const h of holders) {
    if (h.viewing !== conversationId) continue;
    byUser.set(h.userId, (byUser.get(h.userId) ?? false) || isTyping(h, now));
  }
  const viewers = [...byUser.entries()].map(([userId, typing]) => ({ userId, typing })).sort((a, b) => a.userId.localeCompare(b.userId));
  return { type: "inbox.presence", conversationId, viewers };
}

/** Every conversation somebody is viewing, for the snapshot a new socket receives. */
export function viewedConversations(holders: PresenceHolder[]): string[] {
  return [...new Set(holders.flatMap((h) => (h.viewing === null ? [] : [h.viewing])))].sort();
}
