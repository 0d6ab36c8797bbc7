import { z } from "zod";
import { youtube as capabilities } from "../domain/capabilities/youtube";
import type { Checkpoint, CommitResult, PrepareResult, PublishAdapter, PublishJob, ReconcileResult } from "../publishing/types";
import { leadFrom, readCheckpoint, type LeadRule } from "./meta-publish-http";
import { megabytes, preparedFrom } from "./meta-publish-common";
import type { AdapterContext, PlatformFailure } from "./types";
import { setThumbnail } from "./youtube-thumbnail";
import { CHUNK_UNIT, probeUpload, sendChunks, startUploadSession, type UploadState } from "./youtube-upload";
import { deleteVideo, fetchVideo, sendVideoUpdate, watchUrl, type VideoParts } from "./youtube-video-api";

/**
 * YouTube publishing (youtube.md §2–§3, §7). `prepare` uploads the video as PRIVATE with the
 * resumable protocol (session URI checkpointed first, chunks read from R2, resumed by probe), sets the
 * custom thumbnail, keeps the private video's metadata in step with later edits, and waits until
 * YouTube has processed it. `commit` is one `videos.update` at the due time that sends the complete
 * snippet and status with the chosen privacy: the flip from private to public/unlisted is the go-live
 * call. A video meant to stay private is already where it should be, so its commit calls nothing.
 *
 * Why a flip at the due time rather than `status.publishAt`: publishAt would make YouTube itself
 * publish (no call at the due time), but it only exists for public releases of private videos (no
 * "unlisted at 10:00"), it needs the time to be in the future when the upload starts (a late upload
 * or a "post now" could not use it), and a rescheduled or cancelled post would need another update to
 * move or clear it, racing YouTube's own clock. With the flip Atelier owns the moment like every other
 * platform: commit marker first, reconciled by reading the privacy back when the answer is lost.
 */
const POLL_PROCESSING_SECONDS = 15;
/** Bytes sent per prepare pass before handing back (progress checkpointed) so one pass never runs unbounded. */
const MAX_BYTES_PER_PASS = 512 * 1024 * 1024;

/** Uploads take time to send and YouTube takes roughly the video's length to process it in HD. */
export const YOUTUBE_LEAD_SECONDS: Record<string, LeadRule> = {
  video: { base: 180, perVideoMegabyte: 0.5, perVideoMinute: 60, max: 6 * 3600 },
};

/**
 * `sessionUrl` is written the moment YouTube returns it; `uploadedBytes` is progress as last known
 * (the probe is the truth); `videoId` once the last byte landed; `metadata` what the private video
 * carries; `thumbnailMediaId` the thumbnail set on it; `live` once the flip was confirmed.
 */
export const YoutubeCheckpoint = z.object({
  mediaId: z.string().optional(),
  sessionUrl: z.string().optional(),
  uploadedBytes: z.number().int().min(0).default(0),
  videoId: z.string().optional(),
  metadata: z.string().optional(),
  thumbnailMediaId: z.string().optional(),
  processed: z.boolean().default(false),
  live: z.boolean().default(false),
});
export type YoutubeCheckpoint = z.infer<typeof YoutubeCheckpoint>;

type Options = { title: string; tags: string[]; categoryId: string; privacyStatus: "public" | "private" | "unlisted"; madeForKids: boolean; thumbnailMediaId?: string | null };

const cp = (checkpoint: Checkpoint) => readCheckpoint(YoutubeCheckpoint, checkpoint);
const out = (checkpoint: YoutubeCheckpoint): Checkpoint => ({ ...checkpoint });

function optionsOf(job: PublishJob): { ok: true; options: Options } | { ok: false; failure: PlatformFailure } {
  const parsed = capabilities.formats.video?.options?.safeParse(job.options);
  if (!parsed?.success) return { ok: false, failure: { kind: "fatal", message: `The YouTube settings of this post are incomplete: ${parsed?.error.issues[0]?.message ?? "the video format is unknown."}` } };
  return { ok: true, options: parsed.data as Options };
}

/** The complete parts Atelier writes (send whole: YouTube clears what an update leaves out). */
function partsFor(job: PublishJob, options: Options, privacyStatus: Options["privacyStatus"]): VideoParts {
  return {
    snippet: { title: options.title, description: job.text, tags: options.tags, categoryId: options.categoryId },
    status: { privacyStatus, selfDeclaredMadeForKids: options.madeForKids, embeddable: true, license: "youtube", publicStatsViewable: true },
  };
}

const waiting = (checkpoint: YoutubeCheckpoint, seconds: number, detail: string): PrepareResult => ({ kind: "waiting", checkpoint: out(checkpoint), pollAfterSeconds: seconds, detail });
const failed = (checkpoint: YoutubeCheckpoint, failure: PlatformFailure): PrepareResult => ({ kind: "failed", checkpoint: out(checkpoint), failure });

/** Uploads (or resumes) until the video exists; anything short of that is returned for the engine. */
async function upload(ctx: AdapterContext, job: PublishJob, checkpoint: YoutubeCheckpoint, parts: VideoParts, metadata: string, chunkBytes: number): Promise<YoutubeCheckpoint | PrepareResult> {
  const media = job.media[0]!;
  if (!checkpoint.sessionUrl) {
    const session = await startUploadSession(ctx, job.accessToken, media, parts);
    if (!session.ok) return failed(checkpoint, session.failure);
    // Handed back at once so the engine stores the session before any byte is sent. The video will
    // carry the metadata sent now, whatever is edited while the bytes go up.
    return waiting({ ...checkpoint, sessionUrl: session.sessionUrl, uploadedBytes: 0, metadata }, 0, `YouTube opened an upload session; Atelier is uploading the video (${megabytes(media.sizeBytes)}).`);
  }
  // A new pass over an existing session starts by asking what YouTube holds (§2.3).
  let state: UploadState = await probeUpload(ctx, job.accessToken, checkpoint.sessionUrl, media.sizeBytes);
  if (state.state === "incomplete") state = await sendChunks(ctx, job.accessToken, checkpoint.sessionUrl, media, state.received, chunkBytes, MAX_BYTES_PER_PASS);
  const progress = (received: number) => `${megabytes(received)} of ${megabytes(media.sizeBytes)}`;
  switch (state.state) {
    case "complete":
      return { ...checkpoint, videoId: state.video.id, uploadedBytes: media.sizeBytes };
    case "incomplete":
      return waiting({ ...checkpoint, uploadedBytes: state.received }, 0, `Atelier has uploaded ${progress(state.received)} to YouTube and is continuing.`);
    case "expired":
      return waiting({ ...checkpoint, sessionUrl: undefined, uploadedBytes: 0 }, 0, "YouTube's upload session expired before the video was complete; Atelier is starting a new upload.");
    case "interrupted":
      return failed({ ...checkpoint, uploadedBytes: state.received }, { ...state.failure, kind: "retry", message: `The upload to YouTube was interrupted after ${progress(state.received)} (${state.failure.message.replace(/\.$/, "")}). Atelier will resume where YouTube stopped.` });
    case "failed":
      return failed(checkpoint, state.failure);
  }
}

async function prepare(ctx: AdapterContext, job: PublishJob, chunkBytes: number): Promise<PrepareResult> {
  let checkpoint = cp(job.checkpoint);
  const parsed = optionsOf(job);
  if (!parsed.ok) return failed(checkpoint, parsed.failure);
  const options = parsed.options;
  const media = job.media[0];
  if (job.media.length !== 1 || media?.kind !== "video") return failed(checkpoint, { kind: "fatal", message: "A YouTube post needs exactly one video." });
  if (checkpoint.live) return { kind: "ready", checkpoint: out(checkpoint) };
  if (checkpoint.mediaId !== media.id) {
    // The video was swapped after an upload: the old private upload is removed (best effort) and the new one starts.
    if (checkpoint.videoId) await deleteVideo(ctx, job.accessToken, checkpoint.videoId);
    checkpoint = YoutubeCheckpoint.parse({ mediaId: media.id });
  }
  const privateParts = partsFor(job, options, "private");
  const metadata = await preparedFrom(job, { text: true });

  if (!checkpoint.videoId) {
    const uploaded = await upload(ctx, job, checkpoint, privateParts, metadata, chunkBytes);
    if ("kind" in uploaded) return uploaded;
    checkpoint = uploaded;
  }
  const videoId = checkpoint.videoId as string;

  const thumbnailId = options.thumbnailMediaId ?? undefined;
  if (thumbnailId && checkpoint.thumbnailMediaId !== thumbnailId) {
    if (!job.thumbnail || job.thumbnail.id !== thumbnailId) return failed(checkpoint, { kind: "fatal", message: "The thumbnail chosen for this YouTube video is no longer in the library; choose another one or remove it." });
    const set = await setThumbnail(ctx, job.accessToken, videoId, job.thumbnail);
    if (!set.ok) return failed(checkpoint, set.failure);
    checkpoint = { ...checkpoint, thumbnailMediaId: thumbnailId };
  }

  // Edited after the upload: the private video takes the new title, description and settings now.
  if (checkpoint.metadata !== metadata) {
    const updated = await sendVideoUpdate(ctx, job.accessToken, videoId, privateParts);
    if (!updated.ok) return failed(checkpoint, updated.failure);
    checkpoint = { ...checkpoint, metadata };
  }

  if (checkpoint.processed) return { kind: "ready", checkpoint: out(checkpoint) };
  const read = await fetchVideo(ctx, job.accessToken, videoId, "status,processingDetails");
  if (!read.ok) return failed(checkpoint, read.failure);
  if (!read.video) return failed(YoutubeCheckpoint.parse({}), { kind: "fatal", message: `The uploaded video (${videoId}) was deleted on YouTube before it went live. Retry to upload it again.` });
  const status = read.video.status;
  const processing = read.video.processingDetails?.processingStatus;
  if (status?.uploadStatus === "processed" || processing === "succeeded") return { kind: "ready", checkpoint: out({ ...checkpoint, processed: true }) };
  if (status?.uploadStatus === "failed" || status?.uploadStatus === "rejected" || processing === "failed" || processing === "terminated") {
    const reason = status?.failureReason ?? status?.rejectionReason ?? processing ?? "unknown";
    return failed(checkpoint, { kind: "fatal", platformCode: reason, message: `YouTube could not process the video (it reported “${reason}”); use an MP4 or MOV file YouTube accepts.` });
  }
  return waiting(checkpoint, POLL_PROCESSING_SECONDS, "YouTube is processing the video.");
}

async function commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult> {
  const checkpoint = cp(job.checkpoint);
  const parsed = optionsOf(job);
  if (!parsed.ok) return { kind: "failed", checkpoint: out(checkpoint), failure: parsed.failure };
  const privacy = parsed.options.privacyStatus;
  const videoId = checkpoint.videoId;
  if (videoId && checkpoint.live) return { kind: "published", checkpoint: out(checkpoint), remoteId: videoId, url: watchUrl(videoId) };
  if (!videoId || !checkpoint.processed) {
    return { kind: "failed", checkpoint: out(checkpoint), notReady: true, failure: { kind: "retry", message: "The YouTube video is not uploaded and processed yet. Atelier will finish preparing it." } };
  }
  // Chosen private: the upload is already exactly that.
  if (privacy === "private") return { kind: "published", checkpoint: out({ ...checkpoint, live: true }), remoteId: videoId, url: watchUrl(videoId) };

  const answer = await sendVideoUpdate(ctx, job.accessToken, videoId, partsFor(job, parsed.options, privacy));
  if (!answer.ok) {
    if (answer.uncertain) return { kind: "uncertain", checkpoint: out(checkpoint), detail: `YouTube did not confirm making the video ${privacy} (${answer.failure.message.replace(/\.$/, "")}); Atelier will check the video's privacy.` };
    if (answer.gone) return { kind: "failed", checkpoint: out(YoutubeCheckpoint.parse({})), failure: { kind: "fatal", status: 404, platformCode: "videoNotFound", message: `The uploaded video (${videoId}) was deleted on YouTube before it went live. Retry to upload it again.` } };
    return { kind: "failed", checkpoint: out(checkpoint), failure: answer.failure };
  }
  if (answer.value.status?.privacyStatus !== privacy) return { kind: "uncertain", checkpoint: out(checkpoint), detail: `YouTube answered, but did not report the video as ${privacy}; Atelier will check again.` };
  return { kind: "published", checkpoint: out({ ...checkpoint, live: true }), remoteId: videoId, url: watchUrl(videoId) };
}

async function reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult> {
  const checkpoint = cp(job.checkpoint);
  const videoId = checkpoint.videoId;
  if (!videoId) return { kind: "not_published", checked: "No video had been uploaded to YouTube, so nothing can have been published." };
  if (checkpoint.live) return { kind: "published", remoteId: videoId, url: watchUrl(videoId), checked: "YouTube had already confirmed the video's privacy." };
  const parsed = optionsOf(job);
  if (!parsed.ok) return { kind: "failed", failure: parsed.failure };
  const wanted = parsed.options.privacyStatus;
  const read = await fetchVideo(ctx, job.accessToken, videoId, "status");
  if (!read.ok) return { kind: "failed", failure: read.failure };
  if (!read.video?.status) return { kind: "unknown", checked: `YouTube no longer has the uploaded video ${videoId} (it may have been deleted on YouTube), so Atelier cannot tell whether it went live. Check the channel in YouTube Studio.` };
  const privacy = read.video.status.privacyStatus;
  if (privacy === wanted) return { kind: "published", remoteId: videoId, url: watchUrl(videoId), checked: `YouTube reports video ${videoId} as ${privacy}, as scheduled.` };
  if (privacy === "private") return { kind: "not_published", checked: `YouTube reports video ${videoId} as still private: the change to ${wanted} did not happen.` };
  return { kind: "unknown", checked: `YouTube reports video ${videoId} as ${privacy}, not ${wanted} as scheduled; someone may have changed it on YouTube. Check the video in YouTube Studio.` };
}

/** The adapter with its chunk size (a multiple of 256 KiB; tests use small chunks to see several). */
export function youtubePublisherWith(settings: { chunkBytes: number }): PublishAdapter {
  if (settings.chunkBytes <= 0 || settings.chunkBytes % CHUNK_UNIT !== 0) throw new Error("YouTube upload chunks must be a multiple of 256 KiB");
  return {
    platform: "youtube",
    leadSeconds: (format, media) => leadFrom(YOUTUBE_LEAD_SECONDS[format], media),
    prepare: (ctx, job) => prepare(ctx, job, settings.chunkBytes),
    commit,
    reconcile,
    /** `videos.delete` (§3); already gone counts as removed. */
    /** The private upload of a post deleted before it went live (`videos.delete`; already gone is fine). */
    async discardPrepared(ctx, ref) {
      const checkpoint = cp(ref.checkpoint);
      if (!checkpoint.videoId || checkpoint.live) return { ok: true, did: null };
      const deleted = await deleteVideo(ctx, ref.accessToken, checkpoint.videoId);
      return deleted.ok ? { ok: true, did: `The private upload ${checkpoint.videoId} was deleted from YouTube.` } : deleted;
    },

    async deleteRemote(ctx, ref) {
      const deleted = await deleteVideo(ctx, ref.accessToken, ref.remoteId);
      return deleted.ok ? { ok: true } : deleted;
    },
  };
}

/** 8 MiB chunks, as Postiz uses (youtube.md §2.2). */
export const youtubePublisher = youtubePublisherWith({ chunkBytes: 8 * 1024 * 1024 });
