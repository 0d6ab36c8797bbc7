import { z } from "zod";
import { tiktok as capabilities } from "../domain/capabilities/tiktok";
import type { Checkpoint, CommitResult, PrepareResult, PublishAdapter, PublishJob, ReconcileResult } from "../publishing/types";
import { preparedFrom } from "./meta-publish-common";
import { leadFrom, readCheckpoint, type LeadRule } from "./meta-publish-http";
import { fetchStatus, failReasonFailure, tiktokPost, type PublishStatus } from "./tiktok-api";
import { decideMode, type PostOptions } from "./tiktok-creator-check";
import { planChunks, putChunk, type ChunkPlan } from "./tiktok-upload";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * TikTok publishing (shared/platforms/tiktok.md §3–§4, §8). TikTok has no publish call: a Direct Post
 * job publishes by itself once its bytes are in. Where the irreversible step is decides the split:
 *
 * - FILE_UPLOAD (the default): `video/init` and every chunk but the last are invisible (a job whose file
 *   never completes never publishes; an abandoned one just expires), so `prepare` runs the creator_info
 *   pre-check, `init` and all chunks but the last, persisting the publish id and upload progress. The
 *   go-live call in `commit` is the PUT of the last chunk (at most ~10 MiB, so the post starts on time).
 * - PULL_FROM_URL (only when the channel's metadata says `pullFromUrl: "true"`, which buildJob sets when
 *   the deployment's TIKTOK_PULL_FROM_URL is "true", i.e. the media origin is verified in TikTok's developer portal: TikTok refuses other URLs with `url_ownership_unverified`):
 *   `init` itself is the go-live, so `prepare` only checks the creator and `commit` calls `init`.
 *
 * After the go-live request TikTok processes the video for seconds to minutes. A processing job is
 * committed (it must never be sent again), but not known to be live, so `commit` answers `uncertain`
 * and `reconcile` asks `status/fetch` by publish id: PUBLISH_COMPLETE / SEND_TO_USER_INBOX → published,
 * FAILED → not published (the next commit reports its `fail_reason`), still processing → "could not
 * tell yet" (`failed`, retry), which makes the engine ask again with backoff (its delivery budget,
 * about a quarter of an hour, then turns a job that never finishes into "unconfirmed" for a person).
 * A public post whose id is still empty (moderation) is waited for up to MODERATION_WAIT_MS, so the
 * ledger gets the video's link rather than the publish id.
 *
 * Inbox drafts (`video.upload`) follow the same path through `inbox/video/init`: when the post asks for
 * it (`postMode: "inbox"`), or when creator_info answers that `video.publish` was not granted (adapters
 * do not see the connection's scopes, so the refusal itself is the signal).
 */

/**
 * Lead times: creator_info + init + the upload of all but the last chunk (about 5 MB/s from R2);
 * processing happens after the due time. Capped below the upload URL's ~1 h lifetime (unverified).
 */
export const TIKTOK_LEAD_SECONDS: Record<string, LeadRule> = {
  video: { base: 20, perVideoMegabyte: 0.2, max: 1800 },
};

/** How soon to ask again while TikTok processes (status/fetch allows 30 per minute per token). */
const STATUS_POLL_SECONDS = 10;

const Plan = z.object({ videoSize: z.number().int().positive(), chunkSize: z.number().int().positive(), totalChunks: z.number().int().positive() });

/** Ids are written the moment TikTok returns them; `goLiveSent` marks the one call never to repeat blindly. */
export const TikTokCheckpoint = z.object({
  from: z.string().optional(),
  mode: z.enum(["direct", "inbox"]).optional(),
  /** Direct Post was asked for but the connection lacks `video.publish`: sent as an inbox draft instead. */
  inboxFallback: z.boolean().default(false),
  source: z.enum(["FILE_UPLOAD", "PULL_FROM_URL"]).optional(),
  /** The exact `post_info` decided in prepare (creator-disabled interactions sent as disabled). */
  postInfo: z.record(z.string(), z.unknown()).optional(),
  username: z.string().optional(),
  publishId: z.string().optional(),
  uploadUrl: z.string().optional(),
  plan: Plan.optional(),
  chunksSent: z.number().int().min(0).default(0),
  goLiveSent: z.boolean().default(false),
  postId: z.string().optional(),
});
export type TikTokCheckpoint = z.infer<typeof TikTokCheckpoint>;

const Initialized = z.object({ publish_id: z.string().min(1), upload_url: z.string().url().optional() });

const cp = (checkpoint: Checkpoint) => readCheckpoint(TikTokCheckpoint, checkpoint);
/** The public link of a video id (a publish id standing in for one has none). */
const videoUrl = (checkpoint: TikTokCheckpoint, postId: string | undefined) => (postId && /^\d+$/.test(postId) && checkpoint.username ? `https://www.tiktok.com/@${checkpoint.username}/video/${postId}` : null);
const out = (checkpoint: TikTokCheckpoint): Checkpoint => ({ ...checkpoint });
const usesPull = (job: PublishJob) => job.channel.metadata.pullFromUrl === "true";
const fingerprint = async (job: PublishJob) => `${await preparedFrom(job, { text: true })}:${usesPull(job) ? "pull" : "file"}`;

function postOptions(job: PublishJob): { ok: true; value: PostOptions } | { ok: false; failure: PlatformFailure } {
  const parsed = capabilities.formats.video?.options.safeParse(job.options);
  if (!parsed?.success) return { ok: false, failure: { kind: "fatal", message: parsed?.error.issues[0]?.message ?? "The TikTok options of this post are not valid." } };
  return { ok: true, value: parsed.data as PostOptions };
}

/** `video/init` or `inbox/video/init` with the decided post_info and this source. */
function init(ctx: AdapterContext, job: PublishJob, checkpoint: TikTokCheckpoint, source: Record<string, unknown>) {
  const path = checkpoint.mode === "inbox" ? "/v2/post/publish/inbox/video/init/" : "/v2/post/publish/video/init/";
  // §4.3 shows only source_info for inbox uploads and says only the caption survives: the caption is
  // sent as post_info.title (unverified whether TikTok reads it there).
  return tiktokPost(ctx, path, job.accessToken, { post_info: checkpoint.postInfo ?? { title: job.text }, source_info: source }, Initialized);
}

const failedPrepare = (checkpoint: TikTokCheckpoint, failure: PlatformFailure): PrepareResult => ({ kind: "failed", checkpoint: out(checkpoint), failure });

async function prepare(ctx: AdapterContext, job: PublishJob): Promise<PrepareResult> {
  const from = await fingerprint(job);
  let checkpoint = cp(job.checkpoint);
  // Already sent (a lost answer): commit and reconcile decide from the publish id, never a new job.
  if (checkpoint.goLiveSent) return { kind: "ready", checkpoint: out(checkpoint) };
  // Edited since: start over; an unfinished upload never publishes and TikTok lets it expire.
  if (checkpoint.from !== from) checkpoint = TikTokCheckpoint.parse({ from });

  const video = job.media[0];
  if (job.format !== "video" || job.media.length !== 1 || video?.kind !== "video") return failedPrepare(checkpoint, { kind: "fatal", message: "A TikTok post needs exactly one video." });
  const options = postOptions(job);
  if (!options.ok) return failedPrepare(checkpoint, options.failure);

  const decided = await decideMode(ctx, job, options.value, video);
  if (!decided.ok) return failedPrepare(checkpoint, decided.failure);
  if (checkpoint.mode && checkpoint.mode !== decided.mode) checkpoint = TikTokCheckpoint.parse({ from });
  checkpoint = { ...checkpoint, mode: decided.mode, inboxFallback: decided.inboxFallback, postInfo: decided.postInfo, ...(decided.username ? { username: decided.username } : {}) };

  if (usesPull(job)) return { kind: "ready", checkpoint: out({ ...checkpoint, source: "PULL_FROM_URL" }) };
  checkpoint = { ...checkpoint, source: "FILE_UPLOAD" };

  if (!checkpoint.publishId || !checkpoint.uploadUrl || !checkpoint.plan) {
    const plan = planChunks(video.sizeBytes);
    const created = await init(ctx, job, checkpoint, { source: "FILE_UPLOAD", video_size: plan.videoSize, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunks });
    // A lost init answer leaves at most a job that never receives bytes, so it never publishes: safe to init again.
    if (!created.ok) return failedPrepare(checkpoint, created.failure);
    if (!created.value.upload_url) return failedPrepare(checkpoint, { kind: "retry", message: "TikTok did not return an upload address for the video. Atelier will try again." });
    checkpoint = { ...checkpoint, publishId: created.value.publish_id, uploadUrl: created.value.upload_url, plan, chunksSent: 0 };
  }

  const plan: ChunkPlan = checkpoint.plan!;
  // Every chunk but the last: the last one makes the post go live, so it waits for commit.
  while (checkpoint.chunksSent < plan.totalChunks - 1) {
    const sent = await putChunk(ctx, checkpoint.uploadUrl!, video, plan, checkpoint.chunksSent);
    if (!sent.ok) {
      if (sent.failure.status === 404) return failedPrepare(TikTokCheckpoint.parse({ from }), sent.failure);
      // A lost answer to a middle chunk is harmless: TikTok accepts the same chunk again.
      return failedPrepare(checkpoint, sent.failure);
    }
    checkpoint = { ...checkpoint, chunksSent: checkpoint.chunksSent + 1 };
  }
  return { kind: "ready", checkpoint: out(checkpoint) };
}

type Verdict = { kind: "live"; remoteId: string; url: string | null; checked: string } | { kind: "processing"; checked: string } | { kind: "incomplete"; checked: string } | { kind: "failed"; failure: PlatformFailure; checked: string };

/**
 * How long a public post's id may stay empty (moderation, "usually < 1 min", §4.5) before the publish
 * id stands in for it: waiting gives the person a link to the video; past this, "published" matters more.
 */
const MODERATION_WAIT_MS = 5 * 60_000;

/** What status/fetch says about the job (§4.5). `sentAt`: when the go-live request went out. */
function verdictOf(checkpoint: TikTokCheckpoint, publishId: string, status: PublishStatus, moderationSince?: { sentAt: number; now: number }): Verdict {
  const postId = status.publicaly_available_post_id?.[0];
  switch (status.status) {
    case "PUBLISH_COMPLETE": {
      const isPublic = checkpoint.mode === "direct" && checkpoint.postInfo?.privacy_level !== "SELF_ONLY";
      if (!postId && isPublic && moderationSince && moderationSince.now - moderationSince.sentAt < MODERATION_WAIT_MS) {
        return { kind: "processing", checked: `TikTok published the video (publish request ${publishId}) and is still reviewing it before giving it a public link.` };
      }
      // Empty for SELF_ONLY posts, and until moderation finishes: the publish id stands in.
      return { kind: "live", remoteId: postId ?? publishId, url: videoUrl(checkpoint, postId), checked: `TikTok says publish request ${publishId} is complete${postId ? ` (video ${postId})` : ""}.` };
    }
    case "SEND_TO_USER_INBOX":
      return { kind: "live", remoteId: publishId, url: null, checked: `TikTok delivered the draft (publish request ${publishId}) to the creator's inbox.` };
    case "FAILED":
      return { kind: "failed", failure: failReasonFailure(status.fail_reason ?? ""), checked: `TikTok reports that publish request ${publishId} failed (${status.fail_reason || "no reason given"}), so nothing went live.` };
    default: {
      const size = checkpoint.plan?.videoSize;
      if (checkpoint.source === "FILE_UPLOAD" && status.status === "PROCESSING_UPLOAD" && size !== undefined && (status.uploaded_bytes ?? 0) < size) {
        return { kind: "incomplete", checked: `TikTok has ${status.uploaded_bytes ?? 0} of the video's ${size} bytes for publish request ${publishId}, so the final part never arrived and nothing went live.` };
      }
      return { kind: "processing", checked: `TikTok is still processing the video (publish request ${publishId}).` };
    }
  }
}

/** After the go-live request was accepted: one status read to report what TikTok says now. */
async function afterGoLive(ctx: AdapterContext, job: PublishJob, checkpoint: TikTokCheckpoint): Promise<CommitResult> {
  const publishId = checkpoint.publishId!;
  const status = await fetchStatus(ctx, job.accessToken, publishId);
  if (!status.ok) return { kind: "uncertain", checkpoint: out(checkpoint), detail: `TikTok accepted the video (publish request ${publishId}) but its status could not be read yet (${status.why}); Atelier will check until it is live.` };
  const verdict = verdictOf(checkpoint, publishId, status.value, { sentAt: job.commitStartedAt ?? ctx.now, now: ctx.now });
  if (verdict.kind === "live") return { kind: "published", checkpoint: out({ ...checkpoint, postId: verdict.remoteId }), remoteId: verdict.remoteId, url: verdict.url };
  // The job is dead: the next try starts from a new init.
  if (verdict.kind === "failed") return { kind: "failed", checkpoint: out(TikTokCheckpoint.parse({ from: checkpoint.from })), failure: verdict.failure, notReady: true };
  return { kind: "uncertain", checkpoint: out(checkpoint), detail: `TikTok received the video and is processing it (publish request ${publishId}); Atelier will check until it is live.` };
}

const notReady = (checkpoint: TikTokCheckpoint): CommitResult => ({
  kind: "failed",
  checkpoint: out(checkpoint),
  notReady: true,
  failure: { kind: "retry", message: "The TikTok upload is not prepared yet (or the post was edited since). Atelier will prepare it again." },
});

async function commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult> {
  let checkpoint = cp(job.checkpoint);
  if (checkpoint.postId) return { kind: "published", checkpoint: out(checkpoint), remoteId: checkpoint.postId, url: videoUrl(checkpoint, checkpoint.postId) };
  if (checkpoint.goLiveSent && checkpoint.publishId) {
    // Sent before (the answer was lost and reconcile said "not yet"): re-send only a final chunk TikTok never got.
    const status = await fetchStatus(ctx, job.accessToken, checkpoint.publishId);
    const incomplete = status.ok && verdictOf(checkpoint, checkpoint.publishId, status.value).kind === "incomplete";
    if (!incomplete) return afterGoLive(ctx, job, checkpoint);
  } else if (checkpoint.from !== (await fingerprint(job)) || !checkpoint.mode || !checkpoint.source) {
    return notReady(checkpoint);
  }

  if (checkpoint.source === "PULL_FROM_URL") {
    const video = job.media[0];
    if (!video) return notReady(checkpoint);
    const created = await init(ctx, job, checkpoint, { source: "PULL_FROM_URL", video_url: video.url });
    if (!created.ok) {
      if (created.uncertain) return { kind: "uncertain", checkpoint: out({ ...checkpoint, goLiveSent: true }), detail: `TikTok did not confirm the request to fetch and post the video (${created.why}); Atelier will check whether it went live.` };
      return { kind: "failed", checkpoint: out(checkpoint), failure: created.failure };
    }
    return afterGoLive(ctx, job, { ...checkpoint, publishId: created.value.publish_id, goLiveSent: true });
  }

  const { plan, uploadUrl, publishId } = checkpoint;
  const video = job.media[0];
  if (!plan || !uploadUrl || !publishId || !video || checkpoint.chunksSent < plan.totalChunks - 1) return notReady(checkpoint);
  const last = await putChunk(ctx, uploadUrl, video, plan, plan.totalChunks - 1);
  if (!last.ok) {
    if (last.uncertain) return { kind: "uncertain", checkpoint: out({ ...checkpoint, goLiveSent: true }), detail: `TikTok did not confirm the last part of the video (${last.why}); Atelier will check whether the post went live.` };
    // An expired upload address: nothing went live; prepare starts a new upload.
    if (last.failure.status === 404) return { kind: "failed", checkpoint: out(TikTokCheckpoint.parse({ from: checkpoint.from })), failure: last.failure, notReady: true };
    return { kind: "failed", checkpoint: out(checkpoint), failure: last.failure };
  }
  checkpoint = { ...checkpoint, chunksSent: plan.totalChunks, goLiveSent: true };
  return afterGoLive(ctx, job, checkpoint);
}

async function reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.postId) return { kind: "published", remoteId: checkpoint.postId, url: videoUrl(checkpoint, checkpoint.postId), checked: "TikTok had already confirmed this post." };
  const publishId = checkpoint.publishId;
  if (!publishId || !checkpoint.goLiveSent) {
    if (checkpoint.source === "PULL_FROM_URL" && checkpoint.goLiveSent) {
      return { kind: "unknown", checked: "The request asking TikTok to fetch and post the video got no answer, and TikTok offers no way to look up a request without the publish id that answer would have carried. Check the profile in the TikTok app." };
    }
    return { kind: "not_published", checked: "Nothing that could go live had been sent to TikTok." };
  }
  const status = await fetchStatus(ctx, job.accessToken, publishId);
  if (!status.ok) {
    if (status.failure.platformCode === "invalid_params") return { kind: "unknown", checked: `TikTok no longer knows publish request ${publishId}, so Atelier cannot tell whether the video went live. Check the profile in the TikTok app.` };
    return { kind: "failed", failure: status.failure };
  }
  const verdict = verdictOf(checkpoint, publishId, status.value, { sentAt: job.commitStartedAt ?? job.dueAt, now: ctx.now });
  switch (verdict.kind) {
    case "live":
      return { kind: "published", remoteId: verdict.remoteId, url: verdict.url, checked: verdict.checked };
    case "failed":
    case "incomplete":
      return { kind: "not_published", checked: verdict.checked };
    case "processing":
      // Not an answer yet: "could not tell" makes the engine ask again after the delay.
      return { kind: "failed", failure: { kind: "retry", retryAfterSeconds: STATUS_POLL_SECONDS, message: verdict.checked } };
  }
}

/** No `deleteRemote`: the Content Posting API has no delete endpoint (tiktok.md §4); posts are removed in the app. */
export const tiktokPublisher: PublishAdapter = {
  platform: "tiktok",
  leadSeconds: (format, media) => leadFrom(TIKTOK_LEAD_SECONDS[format], media),
  prepare,
  commit,
  reconcile,
};
