import { z } from "zod";
import type { PublishJob, ReconcileResult } from "../publishing/types";
import { withQuery } from "./http";
import { sameCommentary } from "./linkedin-commentary";
import { linkedinSend, type Author } from "./linkedin-publish-http";
import { clockTime } from "./meta-publish-http";
import type { AdapterContext } from "./types";

/**
 * Finding out whether a create whose answer was lost went live. `POST /rest/posts` has no idempotency
 * key (linkedin.md §11), so the author's newest posts are listed and matched by fingerprint: the same
 * commentary, the same media (the very asset URNs this attempt uploaded), created at or after the
 * commit marker minus a minute of clock skew. "Not published" is only claimed when the listing reached
 * back past that instant.
 */
const REST = "https://api.linkedin.com/rest";
const PAGE_SIZE = 50;
const MAX_PAGES = 4;
export const CLOCK_SKEW_MS = 60_000;

const Listed = z.object({
  id: z.string(),
  commentary: z.string().optional(),
  createdAt: z.number().optional(),
  publishedAt: z.number().optional(),
  lastModifiedAt: z.number().optional(),
  content: z
    .object({ media: z.object({ id: z.string() }).optional(), multiImage: z.object({ images: z.array(z.object({ id: z.string() })) }).optional() })
    .optional(),
});
const PostPage = z.object({ elements: z.array(Listed) });
type Listed = z.infer<typeof Listed>;

export const permalinkOf = (urn: string) => `https://www.linkedin.com/feed/update/${urn}/`;

const mediaOf = (post: Listed) => (post.content?.media ? [post.content.media.id] : (post.content?.multiImage?.images.map((i) => i.id) ?? []));

/** Same media: the exact asset URNs when they are known, else the same count and kinds. */
function sameMedia(post: Listed, job: Pick<PublishJob, "media">, assetUrns: readonly string[]): boolean {
  const listed = mediaOf(post);
  if (assetUrns.length === job.media.length && assetUrns.length > 0) return listed.length === assetUrns.length && listed.every((urn, i) => urn === assetUrns[i]);
  return listed.length === job.media.length && listed.every((urn, i) => urn.startsWith(`urn:li:${job.media[i]?.kind}:`));
}

export async function reconcileByListing(ctx: AdapterContext, job: PublishJob, author: Author, assetUrns: readonly string[]): Promise<ReconcileResult> {
  const attempt = job.commitStartedAt ?? job.dueAt;
  const since = attempt - CLOCK_SKEW_MS;
  let seen = 0;
  let oldest: number | null = null;
  let reachedBack = false;
  const matches: Listed[] = [];
  for (let page = 0; page < MAX_PAGES && !reachedBack; page++) {
    const url = withQuery(`${REST}/posts`, { author: author.urn, q: "author", count: String(PAGE_SIZE), start: String(page * PAGE_SIZE), sortBy: "LAST_MODIFIED" });
    const answer = await linkedinSend(ctx, url, PostPage, { token: job.accessToken, author });
    if (!answer.ok) {
      if (answer.raw && "status" in answer.raw && answer.raw.status === 403) {
        return { kind: "unknown", checked: `LinkedIn does not let Atelier list the posts of ${author.name}, so it cannot tell whether the post went live. Check ${author.name} on LinkedIn before publishing again.` };
      }
      return { kind: "failed", failure: answer.failure };
    }
    const elements = answer.value.elements;
    for (const post of elements) {
      seen += 1;
      const created = post.createdAt ?? post.publishedAt ?? post.lastModifiedAt;
      const modified = post.lastModifiedAt ?? created;
      if (modified !== undefined) oldest = oldest === null ? modified : Math.min(oldest, modified);
      // Sorted by last modification, newest first: one modified before the window means none later was created in it.
      if (modified !== undefined && modified < since) reachedBack = true;
      if (created !== undefined && created >= since && sameCommentary(post.commentary, job.text) && sameMedia(post, job, assetUrns)) matches.push(post);
    }
    // A short page is the end of the author's history.
    if (elements.length < PAGE_SIZE) reachedBack = true;
  }
  const when = clockTime(attempt, ctx.now);
  // Newest first: the oldest match in the window is this attempt.
  const match = matches.at(-1);
  if (match) {
    return { kind: "published", remoteId: match.id, url: permalinkOf(match.id), checked: `LinkedIn lists post ${match.id} by ${author.name} with this text and media, created after the publish attempt at ${when}.` };
  }
  const back = oldest === null ? "" : ` back to ${clockTime(oldest, ctx.now)}`;
  if (reachedBack) {
    return { kind: "not_published", checked: `Atelier listed the ${seen} newest posts of ${author.name} on LinkedIn${back}, past the publish attempt at ${when}, and none has this text and media.` };
  }
  return { kind: "unknown", checked: `Atelier listed the ${seen} newest posts of ${author.name} on LinkedIn${back} without reaching the publish attempt at ${when}, and none of them is this post. Check ${author.name} on LinkedIn before publishing again.` };
}
