import { z } from "zod";
import { threads as capabilities } from "../domain/capabilities/threads";
import { unpublishedContainerVerdict } from "../publishing/container-verdict";
import type { Checkpoint, CommitResult, PrepareResult, PublishAdapter, PublishJob, PublishMedia, ReconcileResult } from "../publishing/types";
import { withQuery } from "./http";
import { preparedFrom, sameText } from "./meta-publish-common";
import { graphTime, leadFrom, readCheckpoint, type LeadRule } from "./meta-publish-http";
import { API, containerErrorFailure, containerStatus, createContainer, Created, send, userOf } from "./threads-api";
import { ChainLink, chainOf, publishChain } from "./threads-chain";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * Threads publishing (shared/platforms/threads.md §2–§3, §8): `prepare` creates the container(s) —
 * invisible until published, they expire after 24 h — and polls them until `FINISHED`; `commit`
 * checks `threads_publishing_limit`, then calls `threads_publish`, the one irreversible call, and
 * reads the permalink; `reconcile` reads the container's `status` (`PUBLISHED` means it went out) and
 * finds the post among the profile's newest threads by text.
 */

/** Lead times (seconds before the due time `prepare` starts), scaled by what Threads must fetch and process. */
export const THREADS_LEAD_SECONDS: Record<string, LeadRule> = {
  text: { base: 5 },
  image: { base: 20 },
  video: { base: 60, perVideoMegabyte: 1, perVideoMinute: 30, max: 3600 },
  carousel: { base: 30, perImage: 5, perVideoMegabyte: 1, perVideoMinute: 30, max: 3600 },
};

const POLL_TEXT_SECONDS = 2;
const POLL_IMAGE_SECONDS = 5;
const POLL_VIDEO_SECONDS = 15;

/**
 * Ids are stored the moment they are returned. `containerId` is what `threads_publish` takes (for a
 * carousel, the parent); `children` holds the item containers by media index; `finished` the
 * containers already seen `FINISHED`; `from` what they were built from.
 */
export const ThreadsCheckpoint = z.object({
  from: z.string().optional(),
  children: z.array(z.string().nullable()).optional(),
  finished: z.array(z.string()).default([]),
  containerId: z.string().optional(),
  mediaId: z.string().optional(),
  permalink: z.string().nullable().optional(),
  /** The reply chain's links (threads-chain.ts), saved as each one is created and published. */
  chain: z.array(ChainLink).optional(),
});
export type ThreadsCheckpoint = z.infer<typeof ThreadsCheckpoint>;

const PublishLimit = z.object({
  data: z.array(z.object({ quota_usage: z.coerce.number().default(0), config: z.object({ quota_total: z.coerce.number(), quota_duration: z.coerce.number().optional() }).optional() })).default([]),
});
const Permalink = z.object({ id: z.coerce.string().optional(), permalink: z.string().optional() });
const ThreadList = z.object({ data: z.array(z.object({ id: z.coerce.string(), text: z.string().optional(), timestamp: z.string().optional(), permalink: z.string().optional() })) });
const Success = z.object({ success: z.boolean() });

const cp = (checkpoint: Checkpoint) => readCheckpoint(ThreadsCheckpoint, checkpoint);
const out = (checkpoint: ThreadsCheckpoint): Checkpoint => ({ ...checkpoint });

function replyControl(job: PublishJob): string | undefined {
  const options = capabilities.formats[job.format]?.options?.safeParse(job.options);
  const value = options?.success ? (options.data as { replyControl?: string }).replyControl : undefined;
  return value && value !== "everyone" ? value : undefined;
}

/** The creation parameters of one container (threads.md §2.1). */
function containerParams(job: PublishJob, item: PublishMedia | null, role: "single" | "child" | "parent", children: string[] = []): Record<string, string | undefined> {
  const text = job.text.trim() ? job.text : undefined;
  const reply_control = replyControl(job);
  if (role === "parent") return { media_type: "CAROUSEL", children: children.join(","), text, reply_control };
  if (!item) return { media_type: "TEXT", text, reply_control };
  const alt_text = item.kind === "image" && item.altText ? item.altText.slice(0, 1000) : undefined;
  const media = item.kind === "video" ? { media_type: "VIDEO", video_url: item.url } : { media_type: "IMAGE", image_url: item.url, alt_text };
  if (role === "child") return { ...media, is_carousel_item: "true" };
  return { ...media, text, reply_control };
}

type Settled = { state: "done" | "recreate" } | { state: "wait"; detail: string } | { state: "failed"; failure: PlatformFailure };

async function settle(ctx: AdapterContext, job: PublishJob, id: string, what: string): Promise<Settled> {
  const status = await containerStatus(ctx, job, id);
  if (!status.ok) return status.gone ? { state: "recreate" } : { state: "failed", failure: status.failure };
  switch (status.code) {
    case "FINISHED":
    case "PUBLISHED":
      return { state: "done" };
    case "EXPIRED":
      return { state: "recreate" };
    case "ERROR":
      return { state: "failed", failure: containerErrorFailure(status.errorMessage) };
    default:
      return { state: "wait", detail: `Threads is still processing the ${what}.` };
  }
}

const waiting = (checkpoint: ThreadsCheckpoint, seconds: number, detail: string): PrepareResult => ({ kind: "waiting", checkpoint: out(checkpoint), pollAfterSeconds: seconds, detail });
const failed = (checkpoint: ThreadsCheckpoint, failure: PlatformFailure): PrepareResult => ({ kind: "failed", checkpoint: out(checkpoint), failure });

async function prepare(ctx: AdapterContext, job: PublishJob): Promise<PrepareResult> {
  const from = await preparedFrom(job, { text: true });
  let checkpoint = cp(job.checkpoint);
  // Edited since the containers were made: start over (the old ones expire, invisibly).
  if (checkpoint.from !== from && !checkpoint.mediaId) checkpoint = ThreadsCheckpoint.parse({ from });
  if (checkpoint.mediaId) return { kind: "ready", checkpoint: out(checkpoint) };
  const video = job.media.some((m) => m.kind === "video");
  const poll = video ? POLL_VIDEO_SECONDS : job.media.length > 0 ? POLL_IMAGE_SECONDS : POLL_TEXT_SECONDS;
  const what = job.format === "text" ? "post" : video ? "video" : "image";

  if (job.format === "text" && job.media.length > 0) return failed(checkpoint, { kind: "fatal", message: "A Threads text post cannot carry images or videos." });
  if (job.format === "text" && !job.text.trim()) return failed(checkpoint, { kind: "fatal", message: "A Threads text post needs some text." });
  if ((job.format === "image" || job.format === "video") && job.media.length !== 1) return failed(checkpoint, { kind: "fatal", message: `A Threads ${job.format} post needs exactly one ${job.format}.` });
  if (job.format === "carousel" && (job.media.length < 2 || job.media.length > 20)) return failed(checkpoint, { kind: "fatal", message: "A Threads carousel needs 2 to 20 images or videos." });

  if (job.format === "carousel") {
    const children = checkpoint.children?.length === job.media.length ? [...checkpoint.children] : job.media.map(() => null);
    for (const [index, item] of job.media.entries()) {
      if (children[index]) continue;
      const created = await createContainer(ctx, job, containerParams(job, item, "child"));
      if (!created.ok) return failed({ ...checkpoint, children }, created.failure);
      children[index] = created.value.id;
      checkpoint = { ...checkpoint, children: [...children] };
    }
    checkpoint = { ...checkpoint, children };
    // Children must be FINISHED before the parent is made (§8).
    for (const [index, id] of children.entries()) {
      if (!id || checkpoint.finished.includes(id)) continue;
      const settled = await settle(ctx, job, id, "carousel");
      if (settled.state === "failed") return failed(ThreadsCheckpoint.parse({ from }), settled.failure);
      if (settled.state === "wait") return waiting(checkpoint, poll, `Threads is still processing item ${index + 1} of the carousel.`);
      if (settled.state === "recreate") {
        children[index] = null;
        return waiting({ ...checkpoint, children, containerId: undefined }, 0, `Threads let item ${index + 1} of the carousel expire; Atelier is preparing it again.`);
      }
      checkpoint = { ...checkpoint, finished: [...checkpoint.finished, id] };
    }
    if (!checkpoint.containerId) {
      const created = await createContainer(ctx, job, containerParams(job, null, "parent", children as string[]));
      if (!created.ok) return failed(checkpoint, created.failure);
      checkpoint = { ...checkpoint, containerId: created.value.id };
    }
  } else if (!checkpoint.containerId) {
    const created = await createContainer(ctx, job, containerParams(job, job.media[0] ?? null, "single"));
    if (!created.ok) return failed(checkpoint, created.failure);
    checkpoint = { ...checkpoint, containerId: created.value.id };
  }

  const containerId = checkpoint.containerId as string;
  if (checkpoint.finished.includes(containerId)) return { kind: "ready", checkpoint: out(checkpoint) };
  const settled = await settle(ctx, job, containerId, what);
  switch (settled.state) {
    case "done":
      return { kind: "ready", checkpoint: out({ ...checkpoint, finished: [...checkpoint.finished, containerId] }) };
    case "wait":
      return waiting(checkpoint, poll, settled.detail);
    case "recreate":
      return waiting(job.format === "carousel" ? ThreadsCheckpoint.parse({ from }) : { ...checkpoint, containerId: undefined }, 0, "Threads let the prepared post expire; Atelier is preparing it again.");
    case "failed": {
      // A container in ERROR is spent: a retry needs a new one.
      const fresh = settled.failure.kind === "retry" ? (job.format === "carousel" ? ThreadsCheckpoint.parse({ from }) : { ...checkpoint, containerId: undefined }) : checkpoint;
      return failed(fresh, settled.failure);
    }
  }
}

async function permalinkOf(ctx: AdapterContext, job: PublishJob, mediaId: string): Promise<string | null> {
  const answer = await send(ctx, withQuery(`${API}/${mediaId}`, { fields: "id,permalink" }), Permalink, job.accessToken);
  return answer.ok ? (answer.value.permalink ?? null) : null;
}

/**
 * After `PUBLISHED`: the container does not name the post (threads.md documents no such field), so it
 * is looked up among the profile's newest threads by text and time.
 */
async function findPublished(ctx: AdapterContext, job: PublishJob, since: number): Promise<{ id: string; url: string | null } | null> {
  const url = withQuery(`${API}/${userOf(job)}/threads`, { fields: "id,text,timestamp,permalink", limit: "25" });
  const answer = await send(ctx, url, ThreadList, job.accessToken);
  if (!answer.ok) return null;
  const candidates = answer.value.data.filter((m) => (graphTime(m.timestamp) ?? 0) >= since && sameText(m.text, job.text));
  // Newest first: the oldest match after `since` is this attempt.
  const match = candidates.at(-1);
  return match ? { id: match.id, url: match.permalink ?? null } : null;
}

async function commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.mediaId) return { kind: "published", checkpoint: out(checkpoint), remoteId: checkpoint.mediaId, url: checkpoint.permalink ?? null };
  const from = await preparedFrom(job, { text: true });
  if (!checkpoint.containerId || checkpoint.from !== from) {
    return { kind: "failed", checkpoint: out(checkpoint), notReady: true, failure: { kind: "retry", message: "The Threads post is not prepared yet (or was edited since). Atelier will prepare it again." } };
  }

  // Cheap pre-check (§3): over the limit, threads_publish would only be refused.
  const limit = await send(ctx, withQuery(`${API}/${userOf(job)}/threads_publishing_limit`, { fields: "quota_usage,config" }), PublishLimit, job.accessToken);
  if (limit.ok) {
    const usage = limit.value.data[0];
    const total = usage?.config?.quota_total;
    if (usage && total !== undefined && usage.quota_usage >= total) {
      const hours = Math.round((usage.config?.quota_duration ?? 86_400) / 3600);
      return {
        kind: "failed",
        checkpoint: out(checkpoint),
        failure: { kind: "retry", platformCode: "quota", retryAfterSeconds: 3600, message: `Threads allows ${total} posts through its API every ${hours} hours and this profile has used all of them. Atelier will try again in an hour.` },
      };
    }
  } else if (limit.failure.kind === "reauth" || limit.failure.kind === "refresh") {
    return { kind: "failed", checkpoint: out(checkpoint), failure: limit.failure };
  }

  const published = await send(ctx, `${API}/${userOf(job)}/threads_publish`, Created, job.accessToken, { form: { creation_id: checkpoint.containerId } });
  if (!published.ok) {
    if (published.uncertain) {
      return { kind: "uncertain", checkpoint: out(checkpoint), detail: `Threads did not confirm the publish request (${published.why}); Atelier will check whether the post went live.` };
    }
    if (published.failure.notReady) {
      // The same refusal answers a container that already went out: one status read tells them apart.
      const status = await containerStatus(ctx, job, checkpoint.containerId);
      if (status.ok && status.code === "PUBLISHED") {
        const found = await findPublished(ctx, job, (job.commitStartedAt ?? job.dueAt) - 24 * 3600_000);
        if (found) return { kind: "published", checkpoint: out({ ...checkpoint, mediaId: found.id, permalink: found.url }), remoteId: found.id, url: found.url };
        return { kind: "uncertain", checkpoint: out(checkpoint), detail: `Threads says the prepared post (container ${checkpoint.containerId}) was already published; Atelier will look it up.` };
      }
      return { kind: "failed", checkpoint: out(checkpoint), failure: published.failure, notReady: true };
    }
    return { kind: "failed", checkpoint: out(checkpoint), failure: published.failure };
  }
  const mediaId = published.value.id;
  const url = await permalinkOf(ctx, job, mediaId);
  return { kind: "published", checkpoint: out({ ...checkpoint, mediaId, permalink: url }), remoteId: mediaId, url };
}

async function reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.mediaId) return { kind: "published", remoteId: checkpoint.mediaId, url: checkpoint.permalink ?? null, checked: "Threads had already confirmed this post." };
  const containerId = checkpoint.containerId;
  if (!containerId) return { kind: "not_published", checked: "Nothing had been prepared on Threads, so nothing can have been published." };
  const status = await containerStatus(ctx, job, containerId);
  if (!status.ok) {
    if (status.gone) return { kind: "unknown", checked: `Threads no longer knows the prepared post (container ${containerId}), so Atelier cannot tell whether it went live. Check the profile on Threads.` };
    return { kind: "failed", failure: status.failure };
  }
  const since = (job.commitStartedAt ?? job.dueAt) - 60_000;
  switch (status.code) {
    case "PUBLISHED": {
      const found = await findPublished(ctx, job, since);
      if (found) return { kind: "published", remoteId: found.id, url: found.url ?? (await permalinkOf(ctx, job, found.id)), checked: `Threads says the prepared post (container ${containerId}) was published; it is post ${found.id}.` };
      return { kind: "published", remoteId: containerId, url: null, checked: `Threads says the prepared post (container ${containerId}) was published, but it was not among the profile's newest threads, so its link is not known.` };
    }
    default:
      return unpublishedContainerVerdict(status.code, containerId, { platform: "Threads", thing: "prepared post", place: "profile" });
  }
}

export const threadsPublisher: PublishAdapter = {
  platform: "threads",
  leadSeconds: (format, media) => leadFrom(THREADS_LEAD_SECONDS[format], media),
  prepare,
  commit,
  reconcile,
  afterPublish: (ctx, job) => publishChain(ctx, job),
  resumableFollowUps: (job) => chainOf(job.format, job.options).length > 0,

  /** `DELETE /{media-id}` (threads.md §2.4); already gone counts as removed. */
  async deleteRemote(ctx, ref) {
    const answer = await send(ctx, `${API}/${ref.remoteId}`, Success, ref.accessToken, { method: "DELETE" });
    if (answer.ok || answer.gone) return { ok: true };
    return { ok: false, failure: answer.failure };
  },
};
