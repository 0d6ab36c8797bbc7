import { commenterName, listLinkedInComments, LINKEDIN_COMMENTS_PAGE, type LinkedInComment } from "../../platforms/linkedin-comments";
import type { NormalizedItem } from "../inbound/types";
import type { PollChannel } from "./channel";
import type { PolledTarget } from "./cursor";
import { commentItem, readsFrom, type CallBudget, type PollRead } from "./read";

function normalize(channel: PollChannel, target: PolledTarget, comment: LinkedInComment): NormalizedItem {
  const ours = comment.actor === channel.selfId;
  return commentItem(channel, target, {
    // The comment URN is what replies and deletions address (linkedin.md §7); the bare id is the fallback.
    externalId: comment.commentUrn ?? comment.id,
    parentExternalId: comment.parentComment ?? null,
    direction: ours ? "out" : "in",
    author: { id: comment.actor, name: ours ? channel.name : commenterName(comment) },
    text: comment.message.text,
    platformAt: comment.created.time,
  });
}

/**
 * Pages through a post's comments, newest first, until a page reaches comments older than the cursor.
 * The order of LinkedIn's list is not documented (unverified): if it were oldest first, the read
 * simply goes on to the last page within the page cap, and dedupe keeps it correct.
 */
export async function readLinkedInPost(channel: PollChannel, target: PolledTarget, budget: CallBudget, pagesPerPost: number): Promise<PollRead> {
  const from = readsFrom(target);
  const items: NormalizedItem[] = [];
  // A sweep in progress goes on from the offset where the last poll stopped. Comments that arrived
  // since push the list down, so some are read twice (dedupe absorbs them), none skipped.
  let newestSeenAt: number | null = target.cursor.sweep?.newestSeenAt ?? null;
  const firstStart = Math.max(0, Number.parseInt(target.cursor.sweep?.page ?? "0", 10) || 0);
  for (let page = 0; page < pagesPerPost; page++) {
    const start = firstStart + page * LINKEDIN_COMMENTS_PAGE;
    if (!budget.take()) return { ok: true, items, newestSeenAt, complete: false, resumeAt: start > 0 ? String(start) : null };
    const answer = await listLinkedInComments(channel.ctx, channel.accessToken, { urn: channel.selfId, name: channel.name }, target.remoteId, start);
    if (!answer.ok) return answer;
    for (const comment of answer.comments) {
      if (comment.created.time < from) continue;
      items.push(normalize(channel, target, comment));
      newestSeenAt = Math.max(newestSeenAt ?? 0, comment.created.time);
    }
    const reachedCursor = answer.comments.some((c) => c.created.time < from);
    const lastPage = answer.comments.length < LINKEDIN_COMMENTS_PAGE || (answer.total !== null && start + LINKEDIN_COMMENTS_PAGE >= answer.total);
    if (reachedCursor || lastPage) return { ok: true, items, newestSeenAt, complete: true };
  }
  return { ok: true, items, newestSeenAt, complete: false, resumeAt: String(firstStart + pagesPerPost * LINKEDIN_COMMENTS_PAGE) };
}
