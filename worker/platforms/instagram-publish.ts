import { z } from "zod";
import { instagram as capabilities } from "../domain/capabilities/instagram";
import { unpublishedContainerVerdict } from "../publishing/container-verdict";
import type { Checkpoint, CommitResult, PrepareResult, PublishAdapter, PublishJob, PublishMedia, ReconcileResult } from "../publishing/types";
import { withQuery } from "./http";
import { GRAPH } from "./meta-graph";
import { preparedFrom, sameText } from "./meta-publish-common";
import { containerErrorFailure, type MetaPublishFailure } from "./meta-publish-errors";
import { graphTime, isGone, leadFrom, metaSend, readCheckpoint, type LeadRule } from "./meta-publish-http";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * Instagram publishing through the Graph API (shared/platforms/instagram.md §2): `prepare` creates the
 * media container(s) — invisible until published, they expire after 24 h — and polls them until
 * `FINISHED`; `commit` checks `content_publishing_limit`, then calls `media_publish`, the one
 * irreversible call; `reconcile` reads the container's `status_code` (`PUBLISHED` means it went out).
 * Instagram's API cannot delete media, so there is no `deleteRemote`.
 */
const NAME = "Instagram";

/**
 * Lead times (seconds before the due time `prepare` starts). Images are fetched and ready within
 * seconds; videos are downloaded and transcoded by Meta, roughly in proportion to size and length.
 */
export const INSTAGRAM_LEAD_SECONDS: Record<string, LeadRule> = {
  feed: { base: 20 },
  carousel: { base: 30, perImage: 5, perVideoMegabyte: 1, perVideoMinute: 30, max: 3600 },
  reel: { base: 120, perVideoMegabyte: 1, perVideoMinute: 30, max: 3600 },
  story: { base: 20, perVideoMegabyte: 1, perVideoMinute: 30, max: 1800 },
};

/** How soon to look at a processing container again. */
const POLL_IMAGE_SECONDS = 5;
const POLL_VIDEO_SECONDS = 15;

/**
 * Ids are stored the moment they are returned. `containerId` is what `media_publish` takes (for a
 * carousel, the parent). `children` holds the carousel item containers by media index, `finished`
 * the containers already seen `FINISHED` (not polled again), `from` what they were built from.
 */
export const InstagramCheckpoint = z.object({
  from: z.string().optional(),
  children: z.array(z.string().nullable()).optional(),
  finished: z.array(z.string()).default([]),
  containerId: z.string().optional(),
  mediaId: z.string().optional(),
  permalink: z.string().nullable().optional(),
});
export type InstagramCheckpoint = z.infer<typeof InstagramCheckpoint>;

const Created = z.object({ id: z.string().min(1) });
const ContainerStatus = z.object({ id: z.string().optional(), status_code: z.string().optional(), status: z.string().optional() });
const PublishLimit = z.object({
  data: z.array(z.object({ quota_usage: z.coerce.number().default(0), config: z.object({ quota_total: z.coerce.number(), quota_duration: z.coerce.number().optional() }).optional() })).default([]),
});
const Permalink = z.object({ id: z.string().optional(), permalink: z.string().optional() });
const MediaList = z.object({
  data: z.array(z.object({ id: z.string(), caption: z.string().optional(), timestamp: z.string().optional(), permalink: z.string().optional() })),
  paging: z.object({ next: z.string().optional() }).loose().optional(),
});

const igUser = (job: Pick<PublishJob, "channel">) => job.channel.metadata.igUserId ?? job.channel.externalId;
const cp = (checkpoint: Checkpoint) => readCheckpoint(InstagramCheckpoint, checkpoint);
const out = (checkpoint: InstagramCheckpoint): Checkpoint => ({ ...checkpoint });
const hasVideo = (media: readonly PublishMedia[]) => media.some((m) => m.kind === "video");

/** The creation parameters of one container (instagram.md §2.1–2.4). */
function containerParams(job: PublishJob, item: PublishMedia | null, role: "single" | "child" | "parent", children: string[] = []): Record<string, string | undefined> {
  const caption = job.text.trim() ? job.text : undefined;
  if (role === "parent") return { media_type: "CAROUSEL", children: children.join(","), caption };
  if (!item) return {};
  const alt = item.kind === "image" && item.altText ? item.altText.slice(0, 1000) : undefined;
  if (role === "child") {
    return item.kind === "video" ? { media_type: "VIDEO", video_url: item.url, is_carousel_item: "true" } : { image_url: item.url, is_carousel_item: "true", alt_text: alt };
  }
  switch (job.format) {
    case "reel": {
      const options = capabilities.formats.reel?.options.safeParse(job.options);
      const shareToFeed = options?.success ? (options.data as { shareToFeed?: boolean }).shareToFeed !== false : true;
      return { media_type: "REELS", video_url: item.url, caption, share_to_feed: String(shareToFeed) };
    }
    case "story":
      // Stories carry no caption (§2.4).
      return item.kind === "video" ? { media_type: "STORIES", video_url: item.url } : { media_type: "STORIES", image_url: item.url };
    default:
      return { image_url: item.url, caption, alt_text: alt };
  }
}

type Step = { ok: true; id: string } | { ok: false; failure: MetaPublishFailure };

async function createContainer(ctx: AdapterContext, job: PublishJob, params: Record<string, string | undefined>): Promise<Step> {
  const answer = await metaSend(ctx, NAME, `${GRAPH}/${igUser(job)}/media`, Created, { token: job.accessToken, form: params });
  return answer.ok ? { ok: true, id: answer.value.id } : { ok: false, failure: answer.failure };
}

type Status = { ok: true; code: string; text: string | undefined } | { ok: false; failure: MetaPublishFailure; gone: boolean };

async function containerStatus(ctx: AdapterContext, job: PublishJob, id: string): Promise<Status> {
  const answer = await metaSend(ctx, NAME, withQuery(`${GRAPH}/${id}`, { fields: "status_code,status" }), ContainerStatus, { token: job.accessToken });
  if (!answer.ok) return { ok: false, failure: answer.failure, gone: isGone(answer.raw) };
  return { ok: true, code: (answer.value.status_code ?? "").toUpperCase(), text: answer.value.status };
}

const waiting = (checkpoint: InstagramCheckpoint, seconds: number, detail: string): PrepareResult => ({ kind: "waiting", checkpoint: out(checkpoint), pollAfterSeconds: seconds, detail });
const failed = (checkpoint: InstagramCheckpoint, failure: PlatformFailure): PrepareResult => ({ kind: "failed", checkpoint: out(checkpoint), failure });

/**
 * Polls one container. `FINISHED` (or already `PUBLISHED`) → done; `IN_PROGRESS` → wait; `ERROR` →
 * the subcode in its status text, mapped; `EXPIRED` (or gone) → the caller recreates it.
 */
async function settle(ctx: AdapterContext, job: PublishJob, id: string, video: boolean): Promise<{ state: "done" | "recreate" } | { state: "wait"; detail: string } | { state: "failed"; failure: PlatformFailure }> {
  const status = await containerStatus(ctx, job, id);
  if (!status.ok) return status.gone ? { state: "recreate" } : { state: "failed", failure: status.failure };
  switch (status.code) {
    case "FINISHED":
    case "PUBLISHED":
      return { state: "done" };
    case "EXPIRED":
      return { state: "recreate" };
    case "ERROR":
      return { state: "failed", failure: containerErrorFailure(status.text) };
    default:
      return { state: "wait", detail: video ? "Instagram is still processing the video." : "Instagram is still processing the image." };
  }
}

async function prepare(ctx: AdapterContext, job: PublishJob): Promise<PrepareResult> {
  const from = await preparedFrom(job, { text: true });
  let checkpoint = cp(job.checkpoint);
  // Edited since the containers were made (their captions or media are stale): start over.
  if (checkpoint.from !== from && !checkpoint.mediaId) checkpoint = InstagramCheckpoint.parse({ from });
  if (checkpoint.mediaId) return { kind: "ready", checkpoint: out(checkpoint) };
  if (job.media.length === 0) return failed(checkpoint, { kind: "fatal", message: "An Instagram post needs at least one image or video." });
  const video = hasVideo(job.media);
  const poll = video ? POLL_VIDEO_SECONDS : POLL_IMAGE_SECONDS;

  if (job.format === "carousel") {
    const children = checkpoint.children?.length === job.media.length ? [...checkpoint.children] : job.media.map(() => null);
    for (const [index, item] of job.media.entries()) {
      if (children[index]) continue;
      const created = await createContainer(ctx, job, containerParams(job, item, "child"));
      if (!created.ok) return failed({ ...checkpoint, children }, created.failure);
      children[index] = created.id;
    }
    checkpoint = { ...checkpoint, children };
    // Video children must be FINISHED before the parent is made and published (§2.2).
    for (const [index, id] of children.entries()) {
      if (!id || checkpoint.finished.includes(id)) continue;
      const item = job.media[index] as PublishMedia;
      const settled = await settle(ctx, job, id, item.kind === "video");
      if (settled.state === "failed") return failed(checkpoint, settled.failure);
      if (settled.state === "wait") return waiting(checkpoint, poll, `Instagram is still processing item ${index + 1} of the carousel.`);
      if (settled.state === "recreate") {
        children[index] = null;
        return waiting({ ...checkpoint, children, containerId: undefined }, 0, `Instagram let item ${index + 1} of the carousel expire; Atelier is preparing it again.`);
      }
      checkpoint = { ...checkpoint, finished: [...checkpoint.finished, id] };
    }
    if (!checkpoint.containerId) {
      const parent = await createContainer(ctx, job, containerParams(job, null, "parent", children as string[]));
      if (!parent.ok) return failed(checkpoint, parent.failure);
      checkpoint = { ...checkpoint, containerId: parent.id };
    }
  } else if (!checkpoint.containerId) {
    const created = await createContainer(ctx, job, containerParams(job, job.media[0] as PublishMedia, "single"));
    if (!created.ok) return failed(checkpoint, created.failure);
    checkpoint = { ...checkpoint, containerId: created.id };
  }

  const containerId = checkpoint.containerId as string;
  if (checkpoint.finished.includes(containerId)) return { kind: "ready", checkpoint: out(checkpoint) };
  const settled = await settle(ctx, job, containerId, video);
  switch (settled.state) {
    case "done":
      return { kind: "ready", checkpoint: out({ ...checkpoint, finished: [...checkpoint.finished, containerId] }) };
    case "wait":
      return waiting(checkpoint, poll, settled.detail);
    case "recreate":
      // Expired (24 h) or gone: a new container on the next call; a carousel keeps its finished children only if they are younger.
      return waiting(
        job.format === "carousel" ? InstagramCheckpoint.parse({ from }) : { ...checkpoint, containerId: undefined },
        0,
        "Instagram let the prepared media expire; Atelier is preparing it again.",
      );
    case "failed": {
      // A container in ERROR is spent: a retry needs a new one.
      const fresh = settled.failure.kind === "retry" ? (job.format === "carousel" ? InstagramCheckpoint.parse({ from }) : { ...checkpoint, containerId: undefined }) : checkpoint;
      return failed(fresh, settled.failure);
    }
  }
}

async function permalinkOf(ctx: AdapterContext, job: PublishJob, mediaId: string): Promise<string | null> {
  const answer = await metaSend(ctx, NAME, withQuery(`${GRAPH}/${mediaId}`, { fields: "id,permalink" }), Permalink, { token: job.accessToken });
  return answer.ok ? (answer.value.permalink ?? null) : null;
}

async function commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.mediaId) return { kind: "published", checkpoint: out(checkpoint), remoteId: checkpoint.mediaId, url: checkpoint.permalink ?? null };
  const from = await preparedFrom(job, { text: true });
  if (!checkpoint.containerId || checkpoint.from !== from) {
    return { kind: "failed", checkpoint: out(checkpoint), notReady: true, failure: { kind: "retry", message: "The Instagram post is not prepared yet (or was edited since). Atelier will prepare it again." } };
  }

  // Cheap pre-check (§2.8): over the limit, media_publish would only be refused with code 9.
  const limit = await metaSend(ctx, NAME, withQuery(`${GRAPH}/${igUser(job)}/content_publishing_limit`, { fields: "quota_usage,config" }), PublishLimit, { token: job.accessToken });
  if (limit.ok) {
    const usage = limit.value.data[0];
    const total = usage?.config?.quota_total;
    if (usage && total !== undefined && usage.quota_usage >= total) {
      const hours = Math.round((usage.config?.quota_duration ?? 86_400) / 3600);
      return {
        kind: "failed",
        checkpoint: out(checkpoint),
        failure: {
          kind: "retry",
          platformCode: "quota",
          retryAfterSeconds: 3600,
          message: `Instagram allows ${total} posts through its API every ${hours} hours and this account has used all of them. Atelier will try again in an hour.`,
        },
      };
    }
  } else if (limit.failure.kind === "reauth" || limit.failure.kind === "refresh") {
    return { kind: "failed", checkpoint: out(checkpoint), failure: limit.failure };
  }
  // Any other trouble reading the limit is not a reason to miss the time: media_publish enforces it anyway.

  const published = await metaSend(ctx, NAME, `${GRAPH}/${igUser(job)}/media_publish`, Created, { token: job.accessToken, form: { creation_id: checkpoint.containerId } });
  if (!published.ok) {
    if (published.uncertain) {
      const why = "networkError" in published.raw ? published.raw.networkError : `HTTP ${published.raw.status}`;
      return { kind: "uncertain", checkpoint: out(checkpoint), detail: `Instagram did not confirm the publish request (${why}); Atelier will check whether the post went live.` };
    }
    if (published.failure.notReady) {
      // "Not available" also answers a container that is already PUBLISHED (an earlier attempt went out):
      // one status read tells the two apart, so a retry never turns into a second post or an endless wait.
      const status = await containerStatus(ctx, job, checkpoint.containerId);
      if (status.ok && status.code === "PUBLISHED") {
        const found = await findPublished(ctx, job, (job.commitStartedAt ?? job.dueAt) - 24 * 3600_000);
        if (found) return { kind: "published", checkpoint: out({ ...checkpoint, mediaId: found.id, permalink: found.url }), remoteId: found.id, url: found.url };
        return { kind: "uncertain", checkpoint: out(checkpoint), detail: `Instagram says the prepared media (container ${checkpoint.containerId}) was already published; Atelier will look up the post.` };
      }
      return { kind: "failed", checkpoint: out(checkpoint), failure: published.failure, notReady: true };
    }
    return { kind: "failed", checkpoint: out(checkpoint), failure: published.failure };
  }
  const mediaId = published.value.id;
  const url = await permalinkOf(ctx, job, mediaId);
  return { kind: "published", checkpoint: out({ ...checkpoint, mediaId, permalink: url }), remoteId: mediaId, url };
}

/**
 * After `PUBLISHED`: the media id is not on the container, so it is looked up among the account's
 * newest media (stories on their own edge) by caption and time (§8).
 */
async function findPublished(ctx: AdapterContext, job: PublishJob, since: number): Promise<{ id: string; url: string | null } | null> {
  const story = job.format === "story";
  const url = withQuery(`${GRAPH}/${igUser(job)}/${story ? "stories" : "media"}`, { fields: "id,caption,timestamp,permalink", limit: "10" });
  const answer = await metaSend(ctx, NAME, url, MediaList, { token: job.accessToken });
  if (!answer.ok) return null;
  const candidates = answer.value.data.filter((m) => (graphTime(m.timestamp) ?? 0) >= since && (story || sameText(m.caption, job.text)));
  const match = candidates.at(-1);
  return match ? { id: match.id, url: match.permalink ?? null } : null;
}

async function reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.mediaId) return { kind: "published", remoteId: checkpoint.mediaId, url: checkpoint.permalink ?? null, checked: "Instagram had already confirmed this post." };
  const containerId = checkpoint.containerId;
  if (!containerId) return { kind: "not_published", checked: "Nothing had been prepared on Instagram, so nothing can have been published." };
  const status = await containerStatus(ctx, job, containerId);
  if (!status.ok) {
    if (status.gone) return { kind: "unknown", checked: `Instagram no longer knows the prepared media (container ${containerId}), so Atelier cannot tell whether the post went live. Check the account on Instagram.` };
    return { kind: "failed", failure: status.failure };
  }
  const since = (job.commitStartedAt ?? job.dueAt) - 60_000;
  switch (status.code) {
    case "PUBLISHED": {
      const found = await findPublished(ctx, job, since);
      if (found) return { kind: "published", remoteId: found.id, url: found.url ?? (await permalinkOf(ctx, job, found.id)), checked: `Instagram says the prepared media (container ${containerId}) was published; it is post ${found.id}.` };
      return {
        kind: "published",
        remoteId: containerId,
        url: null,
        checked: `Instagram says the prepared media (container ${containerId}) was published, but the post was not among the account's newest media, so its link is not known.`,
      };
    }
    default:
      return unpublishedContainerVerdict(status.code, containerId, { platform: "Instagram", thing: "prepared media", place: "account" });
  }
}

export const instagramPublisher: PublishAdapter = {
  platform: "instagram",
  leadSeconds: (format, media) => leadFrom(INSTAGRAM_LEAD_SECONDS[format], media),
  prepare,
  commit,
  reconcile,

  /** The first comment, as the account (§3). Stories take no comments. */
  async afterPublish(ctx, job) {
    if (!job.firstComment?.trim() || job.format === "story") return { ok: true, did: null };
    const answer = await metaSend(ctx, NAME, `${GRAPH}/${job.remoteId}/comments`, Created, { token: job.accessToken, form: { message: job.firstComment } });
    return answer.ok ? { ok: true, did: "First comment posted." } : { ok: false, failure: answer.failure, what: "the first comment" };
  },
  // No deleteRemote: Instagram's API cannot delete media (the UI explains this).
};
