import { z } from "zod";
import type { PublishJob, ReconcileResult } from "../publishing/types";
import { withQuery } from "./http";
import { GRAPH } from "./meta-graph";
import { sameText } from "./meta-publish-common";
import { clockTime, graphTime, metaSend, type MetaAnswer } from "./meta-publish-http";
import type { AdapterContext } from "./types";

/**
 * Facebook has no direct probe for a feed post whose answer was lost: the Page's recent posts are
 * listed and matched on the content fingerprint (ARCHITECTURE.md §2, pattern 3 of the platform notes).
 */
const NAME = "Facebook";

/** The Page a Facebook channel publishes as. */
export const pageOf = (job: Pick<PublishJob, "channel">) => job.channel.metadata.pageId ?? job.channel.externalId;

/** Graph gives videos' `permalink_url` as a path ("/reel/123/"); posts' as a full URL. */
export function absolute(permalink: string | undefined | null): string | null {
  if (!permalink) return null;
  return permalink.startsWith("/") ? `https://www.facebook.com${permalink}` : permalink;
}
/** Pages of 100 recent posts read when reconciling a lost answer (a busy Page posts many in a minute). */
const RECONCILE_PAGES = 5;

const PublishedPosts = z.object({
  data: z.array(z.object({ id: z.string(), message: z.string().optional(), created_time: z.string().optional(), permalink_url: z.string().optional(), status_type: z.string().optional() })),
  paging: z.object({ next: z.string().optional() }).loose().optional(),
});

/**
 * The content fingerprint (§8): the Page's published posts, newest first, created at or after the
 * commit marker minus a minute of clock skew, with exactly this post's text (or, for a post without
 * text, any post without text in that window) and, when Graph reports `status_type`, the same kind
 * (photos, video, or a status/link). "Not published" only when the listing reached back
 * past the window's start; otherwise "unknown".
 */
export async function matchRecentPosts(ctx: AdapterContext, job: PublishJob, permalinkOf: (ctx: AdapterContext, job: PublishJob, id: string) => Promise<string | null>): Promise<ReconcileResult> {
  const since = (job.commitStartedAt ?? job.dueAt) - 60_000;
  const sinceText = clockTime(since, ctx.now);
  const host = new URL(GRAPH).host;
  let next: string | undefined = withQuery(`${GRAPH}/${pageOf(job)}/published_posts`, { fields: "id,message,created_time,permalink_url,status_type", limit: "100" });
  let read = 0;
  let complete = false;
  const matches: { id: string; created: number; url: string | null }[] = [];
  for (let pageNo = 0; next && pageNo < RECONCILE_PAGES && !complete; pageNo++) {
    const answer: MetaAnswer<z.infer<typeof PublishedPosts>> = await metaSend(ctx, NAME, next, PublishedPosts, { token: job.accessToken });
    if (!answer.ok) {
      if (answer.failure.kind === "fatal") return { kind: "unknown", checked: `Atelier could not read the Page's recent posts to check whether this post went live: ${answer.failure.message} Check the Page on Facebook.` };
      return { kind: "failed", failure: answer.failure };
    }
    for (const post of answer.value.data) {
      const created = graphTime(post.created_time);
      if (created !== null && created < since) {
        complete = true;
        break;
      }
      read++;
      if (sameText(post.message, job.text) && sameKind(post.status_type, job.format)) matches.push({ id: post.id, created: created ?? since, url: post.permalink_url ?? null });
    }
    next = answer.value.paging?.next;
    if (next && new URL(next).host !== host) next = undefined;
    if (!next) complete = true;
  }
  const what = job.text.trim() ? "this post's text" : "a post without text";
  const posts = `${read} most recent post${read === 1 ? "" : "s"}`;
  const match = matches.at(-1);
  if (match) {
    const url = absolute(match.url) ?? (await permalinkOf(ctx, job, match.id));
    return { kind: "published", remoteId: match.id, url, checked: `Checked the Page's ${posts} since ${sinceText}: post ${match.id}, created at ${clockTime(match.created, ctx.now)}, matches ${what}.` };
  }
  if (complete) return { kind: "not_published", checked: `Checked the Page's ${posts} since ${sinceText}: none matches ${what}.` };
  return { kind: "unknown", checked: `Checked the Page's ${posts}, all created since ${sinceText}: none matches ${what}, and older posts in that window were not checked. Check the Page on Facebook.` };
}


/**
 * The post's kind as Graph's `status_type` names it, when the listing gives one: the second half of the
 * fingerprint, which matters most for posts without text (a photo post must not match a text-less video).
 */
function sameKind(statusType: string | undefined, format: string): boolean {
  if (!statusType) return true;
  const expected = { photo: "added_photos", multi_photo: "added_photos", video: "added_video", reel: "added_video" }[format];
  return expected === undefined ? statusType !== "added_photos" && statusType !== "added_video" : statusType === expected;
}
