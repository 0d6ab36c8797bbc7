import { listCommentThreads, type YoutubeComment } from "../../platforms/youtube-comments";
import type { NormalizedItem } from "../inbound/types";
import type { PollChannel } from "./channel";
import type { PolledTarget } from "./cursor";
import { commentItem, readsFrom, type CallBudget, type PollRead } from "./read";

function normalize(channel: PollChannel, target: PolledTarget, comment: YoutubeComment, platformAt: number): NormalizedItem {
  const authorId = comment.snippet.authorChannelId?.value ?? null;
  const ours = authorId === channel.selfId;
  return commentItem(channel, target, {
    externalId: comment.id,
    parentExternalId: comment.snippet.parentId ?? null,
    direction: ours ? "out" : "in",
    author: { id: authorId, name: ours ? channel.name : (comment.snippet.authorDisplayName ?? null) },
    text: comment.snippet.textOriginal ?? comment.snippet.textDisplay,
    platformAt,
  });
}

/**
 * Reads a video's comment threads newest first (`order=time`) until a page ends before the cursor.
 * Replies are taken from the `replies` part of each thread read; a new reply under a thread older
 * than the pages read is not seen (YouTube's thread order by reply activity is unverified).
 */
export async function readYoutubeVideo(channel: PollChannel, target: PolledTarget, budget: CallBudget, pagesPerPost: number): Promise<PollRead> {
  const from = readsFrom(target);
  const items: NormalizedItem[] = [];
  // A sweep in progress goes on where the last poll stopped, keeping what it has seen.
  let newestSeenAt: number | null = target.cursor.sweep?.newestSeenAt ?? null;
  let pageToken: string | null = target.cursor.sweep?.page ?? null;
  const take = (comment: YoutubeComment) => {
    const at = Date.parse(comment.snippet.publishedAt);
    if (!Number.isFinite(at) || at < from) return;
    items.push(normalize(channel, target, comment, at));
    newestSeenAt = Math.max(newestSeenAt ?? 0, at);
  };
  for (let page = 0; page < pagesPerPost; page++) {
    if (!budget.take()) return { ok: true, items, newestSeenAt, complete: false, resumeAt: pageToken };
    const answer = await listCommentThreads(channel.ctx, channel.accessToken, target.remoteId, pageToken);
    if (!answer.ok) return answer;
    for (const thread of answer.threads) {
      take(thread.snippet.topLevelComment);
      for (const reply of thread.replies?.comments ?? []) take(reply);
    }
    const oldest = answer.threads.at(-1);
    const reachedCursor = oldest !== undefined && Date.parse(oldest.snippet.topLevelComment.snippet.publishedAt) < from;
    if (reachedCursor || !answer.nextPageToken) return { ok: true, items, newestSeenAt, complete: true };
    pageToken = answer.nextPageToken;
  }
  return { ok: true, items, newestSeenAt, complete: false, resumeAt: pageToken };
}
