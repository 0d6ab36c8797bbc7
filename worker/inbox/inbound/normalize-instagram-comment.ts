import type { InboundChannel, NormalizedItem } from "./types";
import { toMillis, type InstagramComment } from "./meta-entry";

/**
 * An Instagram `comments` change. Instagram only notifies new comments (no edit or delete verbs), and
 * the value has no time of its own, so the entry's time stands for the comment's. A comment whose
 * author is the account itself is one of our replies: `out`.
 */
export function normalizeInstagramComment(channel: InboundChannel, value: InstagramComment, entryTime: number | undefined, receivedAt: number): NormalizedItem {
  return {
    connectionId: channel.connectionId,
    workspaceId: channel.workspaceId,
    platform: channel.platform,
    conversation: { kind: "comments", postId: value.media.id, permalink: null },
    externalId: value.id,
    parentExternalId: value.parent_id ?? null,
    direction: value.from?.id === channel.externalId ? "out" : "in",
    author: { id: value.from?.id ?? null, name: value.from?.username ?? null },
    text: value.text ?? "",
    attachments: [],
    platformAt: entryTime === undefined ? receivedAt : toMillis(entryTime),
    verb: "add",
  };
}
