import { InstagramComment, MessagingEvent, PageFeedComment, type MetaEntry } from "./meta-entry";
import { normalizeInstagramComment } from "./normalize-instagram-comment";
import { normalizeMessagingEvent } from "./normalize-messaging";
import { normalizePageFeedComment } from "./normalize-page-feed";
import type { InboundChannel, NormalizedItem } from "./types";

/** What an entry held for the inbox, and what was set aside (with why, for the log). */
export type NormalizedEntry = { items: NormalizedItem[]; skipped: string[] };

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; ");
}

/**
 * All comments and messages in one entry, for one channel. Feed items other than comments (reactions,
 * likes, posts), other fields (mentions, ratings) and non-message events are skipped, not errors:
 * the subscription may include them, and the inbox has nothing to show for them.
 */
export function normalizeEntry(object: string, entry: MetaEntry, channel: InboundChannel, receivedAt: number): NormalizedEntry {
  const items: NormalizedItem[] = [];
  const skipped: string[] = [];
  for (const change of entry.changes ?? []) {
    if (object === "page" && change.field === "feed") {
      const item = (change.value as { item?: unknown } | null)?.item;
      if (item !== "comment") {
        skipped.push(`feed item ${String(item)}`);
        continue;
      }
      const value = PageFeedComment.safeParse(change.value);
      if (value.success) items.push(normalizePageFeedComment(channel, value.data, entry.time, receivedAt));
      else skipped.push(`invalid feed comment (${issues(value.error)})`);
    } else if (object === "instagram" && change.field === "comments") {
      const value = InstagramComment.safeParse(change.value);
      if (value.success) items.push(normalizeInstagramComment(channel, value.data, entry.time, receivedAt));
      else skipped.push(`invalid instagram comment (${issues(value.error)})`);
    } else {
      skipped.push(`field ${change.field}`);
    }
  }
  for (const raw of entry.messaging ?? []) {
    const event = MessagingEvent.safeParse(raw);
    if (!event.success) {
      skipped.push(`invalid messaging event (${issues(event.error)})`);
      continue;
    }
    const item = normalizeMessagingEvent(channel, event.data);
    if (item) items.push(item);
    else skipped.push("messaging event without a message");
  }
  return { items, skipped };
}
