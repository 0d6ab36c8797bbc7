import type { InboundChannel, NormalizedItem } from "./types";
import { toMillis, type PageFeedComment } from "./meta-entry";

/**
 * A Page `feed` comment (added, edited, removed, hidden, unhidden) as an inbox message. The Page's own
 * comments (our replies, from Atelier or elsewhere) arrive too: they are recorded as `out`, so they show
 * in the thread and deduplicate against the reply we sent, and never trigger rules.
 */
export function normalizePageFeedComment(channel: InboundChannel, value: PageFeedComment, entryTime: number | undefined, receivedAt: number): NormalizedItem {
  const ours = value.from?.id === channel.externalId;
  const time = value.created_time ?? entryTime;
  return {
    connectionId: channel.connectionId,
    workspaceId: channel.workspaceId,
    platform: channel.platform,
    conversation: { kind: "comments", postId: value.post_id, permalink: value.post?.permalink_url ?? null },
    externalId: value.comment_id,
    // Top-level comments name the post as their parent; only replies have a comment parent.
    parentExternalId: value.parent_id && value.parent_id !== value.post_id ? value.parent_id : null,
    direction: ours ? "out" : "in",
    author: { id: value.from?.id ?? null, name: value.from?.name ?? null },
    text: value.message ?? "",
    attachments: value.photo ? [{ type: "image", url: value.photo }] : value.video ? [{ type: "video", url: value.video }] : [],
    platformAt: time === undefined ? receivedAt : toMillis(time),
    verb: value.verb,
  };
}
