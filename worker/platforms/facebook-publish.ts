import { z } from "zod";
import type { Checkpoint, CommitResult, PrepareResult, PublishAdapter, PublishJob, PublishMedia, ReconcileResult } from "../publishing/types";
import { withQuery } from "./http";
import { GRAPH, GRAPH_VERSION } from "./meta-graph";
import { absolute, matchRecentPosts, pageOf } from "./facebook-reconcile";
import { megabytes, preparedFrom } from "./meta-publish-common";
import { clockTime, graphTime, isGone, leadFrom, metaSend, readCheckpoint, type LeadRule, type MetaAnswer } from "./meta-publish-http";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * Facebook Page publishing (shared/platforms/meta-auth-and-pages.md §3), with the Page token.
 *
 * - `post`: nothing to prepare; commit `POST /{page}/feed message=…`.
 * - `photo` and `multi_photo`: prepare uploads every photo unpublished (`POST /{page}/photos
 *   published=false`, §3.3 step 1: invisible, safe to redo); commit is one `POST /{page}/feed` with
 *   `attached_media`. A single photo goes the same way rather than `POST /{page}/photos published=true`:
 *   Meta fetches and processes the image ahead of time instead of at the due second, a failed fetch is
 *   reported before the post is due, and a lost answer is reconciled like every other feed post.
 * - `video`: Meta pulls the file by `file_url` in the go-live call (`POST /{page}/videos published=true`,
 *   §3.4, what production clients use). Facebook offers no documented way to turn an uploaded
 *   unpublished video into a published one later, so the only invisible work that can move ahead of
 *   time is the byte transfer: files above `resumableAboveBytes` (where pulling by URL is not reliable)
 *   are pushed in prepare through the Resumable Upload API (§3.5: session on the app, chunks streamed
 *   from R2 with their offsets checkpointed), and commit publishes the file handle on graph-video.
 *   Where the app has no upload sessions (the session call answers "unsupported"/404), the legacy
 *   chunked protocol is used instead: `upload_phase=start|transfer` in prepare, `finish` at commit.
 * - `reel`: prepare runs `video_reels upload_phase=start` → the rupload host pulls `file_url` → polls
 *   the video's status until processed (§3.6, §3.7); commit is `upload_phase=finish
 *   video_state=PUBLISHED`.
 *
 * Reconciling a lost answer: reels (and uploaded videos) have a video id to ask directly; everything
 * else is matched in the Page's `published_posts` by its exact text and creation time (§8).
 */
const NAME = "Facebook";
const GRAPH_VIDEO = `https://graph-video.facebook.com/${GRAPH_VERSION}`;

/** Lead times (seconds before the due time `prepare` starts) per format. */
export const FACEBOOK_LEAD_SECONDS: Record<string, LeadRule> = {
  post: { base: 5 },
  photo: { base: 15 },
  multi_photo: { base: 25, perImage: 3, max: 120 },
  /** Pulled by URL at commit; large files are pushed ahead (≈ 2 MB/s assumed). */
  video: { base: 30, perVideoMegabyte: 0.5, max: 3600 },
  /** Start, pull by URL, processing: scales with size and length (a 100 MB reel needs longer than a 5 MB one). */
  reel: { base: 90, perVideoMegabyte: 1, perVideoMinute: 60, max: 3600 },
};

const POLL_VIDEO_SECONDS = 10;

/**
 * Ids are stored the moment they are returned: `photos` the unpublished photo ids by media index,
 * `reel` the reel's video id and upload URL, `upload` the resumable session and its offset (and the
 * file handle once complete), `remoteId`/`permalink` once live.
 */
export const FacebookCheckpoint = z.object({
  from: z.string().optional(),
  photos: z.array(z.string().nullable()).optional(),
  reel: z.object({ videoId: z.string(), uploadUrl: z.string(), uploaded: z.boolean().default(false), processed: z.boolean().default(false) }).optional(),
  upload: z.object({ sessionId: z.string(), size: z.number().int(), offset: z.number().int(), handle: z.string().optional() }).optional(),
  /** The legacy chunked protocol (§3.5, `upload_phase=start|transfer`), used where the Resumable Upload API is not offered. */
  chunked: z.object({ sessionId: z.string(), videoId: z.string(), size: z.number().int(), offset: z.number().int(), end: z.number().int() }).optional(),
  videoId: z.string().optional(),
  remoteId: z.string().optional(),
  permalink: z.string().nullable().optional(),
});
export type FacebookCheckpoint = z.infer<typeof FacebookCheckpoint>;

const Created = z.object({ id: z.string().min(1) });
const FeedCreated = z.object({ id: z.string().min(1), permalink_url: z.string().optional() });
const PhotoCreated = z.object({ id: z.string().min(1), post_id: z.string().optional() });
const ReelStart = z.object({ video_id: z.coerce.string(), upload_url: z.string().optional() });
const Success = z.object({ success: z.boolean().optional() }).loose();
const ReelFinish = z.object({ success: z.boolean().optional(), post_id: z.string().optional(), video_id: z.coerce.string().optional(), id: z.string().optional(), permalink_url: z.string().optional() });
const UploadSession = z.object({ id: z.string().min(1) });
const ChunkedStart = z.object({ video_id: z.coerce.string(), upload_session_id: z.coerce.string(), start_offset: z.coerce.number().int(), end_offset: z.coerce.number().int() });
const ChunkedTransfer = z.object({ start_offset: z.coerce.number().int(), end_offset: z.coerce.number().int() });
const UploadProgress = z.object({ h: z.string().optional(), file_offset: z.coerce.number().int().optional(), id: z.string().optional() });
const Phase = z.object({ status: z.string().optional(), publish_status: z.string().optional() }).loose();
const VideoStatus = z.object({
  id: z.string().optional(),
  permalink_url: z.string().optional(),
  status: z
    .object({ video_status: z.string().optional(), uploading_phase: Phase.optional(), processing_phase: Phase.optional(), publishing_phase: Phase.optional() })
    .loose()
    .optional(),
});
const Permalink = z.object({ permalink_url: z.string().optional() });

const cp = (checkpoint: Checkpoint) => readCheckpoint(FacebookCheckpoint, checkpoint);
const out = (checkpoint: FacebookCheckpoint): Checkpoint => ({ ...checkpoint });
const failedPrepare = (checkpoint: FacebookCheckpoint, failure: PlatformFailure): PrepareResult => ({ kind: "failed", checkpoint: out(checkpoint), failure });

export type FacebookPublisherOptions = {
  /** Videos larger than this are pushed through the Resumable Upload API in prepare instead of pulled by `file_url` at commit. */
  resumableAboveBytes: number;
  /** Bytes per upload request (each streamed from R2 on its own). */
  chunkBytes: number;
  /** Upload requests one `prepare` call makes before handing back (`waiting`, poll after 0 s), so no call runs long. */
  chunksPerCall: number;
};

export const FACEBOOK_PUBLISHER_DEFAULTS: FacebookPublisherOptions = { resumableAboveBytes: 1024 * 1024 * 1024, chunkBytes: 16 * 1024 * 1024, chunksPerCall: 8 };

export function createFacebookPublisher(overrides: Partial<FacebookPublisherOptions> = {}): PublishAdapter {
  const options = { ...FACEBOOK_PUBLISHER_DEFAULTS, ...overrides };
  const CHUNK_BYTES = options.chunkBytes;
  const CHUNKS_PER_CALL = options.chunksPerCall;
  const resumable = (item: PublishMedia | undefined) => item !== undefined && item.kind === "video" && item.sizeBytes > options.resumableAboveBytes;

  async function prepare(ctx: AdapterContext, job: PublishJob): Promise<PrepareResult> {
    const from = await preparedFrom(job, { text: false });
    let checkpoint = cp(job.checkpoint);
    if (checkpoint.remoteId) return { kind: "ready", checkpoint: out(checkpoint) };
    // The media changed since preparing: unpublished photos and uploads of the old files are left to lapse, invisibly.
    if (checkpoint.from !== from) checkpoint = FacebookCheckpoint.parse({ from });
    const item = job.media[0];

    switch (job.format) {
      case "post":
        return { kind: "ready", checkpoint: out(checkpoint) };
      case "photo":
      case "multi_photo": {
        if (job.media.length === 0) return failedPrepare(checkpoint, { kind: "fatal", message: "A Facebook photo post needs at least one image." });
        const photos = checkpoint.photos?.length === job.media.length ? [...checkpoint.photos] : job.media.map(() => null);
        for (const [index, media] of job.media.entries()) {
          if (photos[index]) continue;
          const answer = await metaSend(ctx, NAME, `${GRAPH}/${pageOf(job)}/photos`, PhotoCreated, { token: job.accessToken, form: { url: media.url, published: "false" } });
          if (!answer.ok) return failedPrepare({ ...checkpoint, photos }, answer.failure);
          photos[index] = answer.value.id;
        }
        return { kind: "ready", checkpoint: out({ ...checkpoint, photos }) };
      }
      case "video":
        if (!item) return failedPrepare(checkpoint, { kind: "fatal", message: "A Facebook video post needs a video." });
        if (!resumable(item)) return { kind: "ready", checkpoint: out(checkpoint) };
        return checkpoint.chunked ? uploadChunked(ctx, job, item, checkpoint) : uploadResumable(ctx, job, item, checkpoint);
      case "reel":
        if (!item) return failedPrepare(checkpoint, { kind: "fatal", message: "A Facebook reel needs a video." });
        return prepareReel(ctx, job, item, checkpoint);
      default:
        return failedPrepare(checkpoint, { kind: "fatal", message: `Atelier cannot publish the format “${job.format}” to Facebook.` });
    }
  }

  /** §3.6: start → rupload pulls `file_url` → wait for processing. Each id is checkpointed as it arrives. */
  async function prepareReel(ctx: AdapterContext, job: PublishJob, item: PublishMedia, start: FacebookCheckpoint): Promise<PrepareResult> {
    let checkpoint = start;
    if (!checkpoint.reel) {
      const started = await metaSend(ctx, NAME, `${GRAPH}/${pageOf(job)}/video_reels`, ReelStart, { token: job.accessToken, form: { upload_phase: "start" } });
      if (!started.ok) return failedPrepare(checkpoint, started.failure);
      const { video_id: videoId, upload_url } = started.value;
      checkpoint = { ...checkpoint, reel: { videoId, uploadUrl: upload_url ?? `https://rupload.facebook.com/video-upload/${GRAPH_VERSION}/${videoId}`, uploaded: false, processed: false } };
    }
    const reel = checkpoint.reel as NonNullable<FacebookCheckpoint["reel"]>;
    if (!reel.uploaded) {
      const uploaded = await metaSend(ctx, NAME, reel.uploadUrl, Success, { token: job.accessToken, oauthHeader: true, method: "POST", headers: { file_url: item.url } });
      if (!uploaded.ok) return failedPrepare(checkpoint, uploaded.failure);
      if (uploaded.value.success === false) return failedPrepare(checkpoint, { kind: "retry", message: "Facebook did not accept the reel's video upload. Atelier will try again." });
      checkpoint = { ...checkpoint, reel: { ...reel, uploaded: true } };
    }
    if (checkpoint.reel?.processed) return { kind: "ready", checkpoint: out(checkpoint) };
    const status = await videoStatus(ctx, job, reel.videoId);
    if (!status.ok) return failedPrepare(checkpoint, status.failure);
    const state = processingState(status.value);
    if (state === "ready") return { kind: "ready", checkpoint: out({ ...checkpoint, reel: { ...(checkpoint.reel as NonNullable<FacebookCheckpoint["reel"]>), processed: true } }) };
    if (state === "error") return failedPrepare(checkpoint, { kind: "fatal", message: "Facebook could not process the reel's video. Check that it is an MP4 or MOV within Facebook's reel limits." });
    if (state === "expired") return failedPrepare({ ...checkpoint, reel: undefined }, { kind: "retry", message: "Facebook let the reel's upload expire. Atelier will upload it again." });
    return { kind: "waiting", checkpoint: out(checkpoint), pollAfterSeconds: POLL_VIDEO_SECONDS, detail: "Facebook is still processing the reel's video." };
  }

  /** §3.5 steps 1–2: session on the app, then chunks streamed from R2 (never buffered), offsets checkpointed. */
  async function uploadResumable(ctx: AdapterContext, job: PublishJob, item: PublishMedia, start: FacebookCheckpoint): Promise<PrepareResult> {
    let checkpoint = start;
    if (!checkpoint.upload) {
      const url = withQuery(`${GRAPH}/${ctx.credentials.clientId}/uploads`, { file_name: `${item.id}.${item.mimeType === "video/quicktime" ? "mov" : "mp4"}`, file_length: String(item.sizeBytes), file_type: item.mimeType });
      const session = await metaSend(ctx, NAME, url, UploadSession, { token: job.accessToken, oauthHeader: true, method: "POST" });
      // Not offered (the doc marks the legacy protocol as the alternative): push the bytes the chunked way instead.
      if (!session.ok && isGone(session.raw)) return uploadChunked(ctx, job, item, checkpoint);
      if (!session.ok) return failedPrepare(checkpoint, session.failure);
      checkpoint = { ...checkpoint, upload: { sessionId: session.value.id, size: item.sizeBytes, offset: 0 } };
    }
    let upload = checkpoint.upload as NonNullable<FacebookCheckpoint["upload"]>;
    if (upload.handle) return { kind: "ready", checkpoint: out(checkpoint) };
    const sessionUrl = `${GRAPH}/${upload.sessionId}`;
    if (upload.offset > 0) {
      // Resuming: the session knows how much of the file arrived (a chunk may have landed without its answer).
      const probe = await metaSend(ctx, NAME, sessionUrl, UploadProgress, { token: job.accessToken, oauthHeader: true });
      if (probe.ok && probe.value.file_offset !== undefined) upload = { ...upload, offset: probe.value.file_offset };
    }
    for (let n = 0; n < CHUNKS_PER_CALL && upload.offset < upload.size && !upload.handle; n++) {
      const length = Math.min(CHUNK_BYTES, upload.size - upload.offset);
      const body = new FixedLengthStream(length);
      void item
        .read(upload.offset, length)
        .then((stream) => stream.pipeTo(body.writable))
        .catch((error: unknown) => body.writable.abort(error).catch(() => undefined));
      const sent = await metaSend(ctx, NAME, sessionUrl, UploadProgress, {
        token: job.accessToken,
        oauthHeader: true,
        method: "POST",
        headers: { file_offset: String(upload.offset), "content-type": "application/octet-stream" },
        body: body.readable,
      });
      if (!sent.ok) return failedPrepare({ ...checkpoint, upload }, sent.failure);
      const offset = sent.value.file_offset ?? upload.offset + length;
      upload = { ...upload, offset, ...(sent.value.h && offset >= upload.size ? { handle: sent.value.h } : {}) };
      checkpoint = { ...checkpoint, upload };
    }
    if (upload.handle) return { kind: "ready", checkpoint: out(checkpoint) };
    if (upload.offset >= upload.size) return failedPrepare({ ...checkpoint, upload: undefined }, { kind: "retry", message: "Facebook received the whole video but returned no file handle. Atelier will upload it again." });
    return { kind: "waiting", checkpoint: out(checkpoint), pollAfterSeconds: 0, detail: `Uploaded ${megabytes(upload.offset)} of ${megabytes(upload.size)} of the video to Facebook.` };
  }

  /**
   * The legacy chunked protocol (§3.5): `upload_phase=start` → `transfer` chunks of the size Facebook
   * asks for (`start_offset`…`end_offset`, each read from R2 on its own) until the offsets meet. The
   * go-live `finish` is the commit.
   */
  async function uploadChunked(ctx: AdapterContext, job: PublishJob, item: PublishMedia, start: FacebookCheckpoint): Promise<PrepareResult> {
    let checkpoint = start;
    const url = `${GRAPH_VIDEO}/${pageOf(job)}/videos`;
    if (!checkpoint.chunked) {
      const started = await metaSend(ctx, NAME, url, ChunkedStart, { token: job.accessToken, form: { upload_phase: "start", file_size: String(item.sizeBytes) } });
      if (!started.ok) return failedPrepare(checkpoint, started.failure);
      const v = started.value;
      checkpoint = { ...checkpoint, upload: undefined, chunked: { sessionId: v.upload_session_id, videoId: v.video_id, size: item.sizeBytes, offset: v.start_offset, end: v.end_offset } };
    }
    let chunked = checkpoint.chunked as NonNullable<FacebookCheckpoint["chunked"]>;
    for (let n = 0; n < CHUNKS_PER_CALL && chunked.offset < chunked.end; n++) {
      // One chunk (never the file) is held, since the protocol wants it as a multipart file field.
      const bytes = await new Response(await item.read(chunked.offset, chunked.end - chunked.offset)).arrayBuffer();
      const form = new FormData();
      form.set("upload_phase", "transfer");
      form.set("upload_session_id", chunked.sessionId);
      form.set("start_offset", String(chunked.offset));
      form.set("video_file_chunk", new File([bytes], "chunk", { type: "application/octet-stream" }));
      const sent = await metaSend(ctx, NAME, url, ChunkedTransfer, { token: job.accessToken, method: "POST", body: form });
      if (!sent.ok) return failedPrepare(checkpoint, sent.failure);
      chunked = { ...chunked, offset: sent.value.start_offset, end: sent.value.end_offset };
      checkpoint = { ...checkpoint, chunked };
    }
    if (chunked.offset >= chunked.end) return { kind: "ready", checkpoint: out(checkpoint) };
    return { kind: "waiting", checkpoint: out(checkpoint), pollAfterSeconds: 0, detail: `Uploaded ${megabytes(chunked.offset)} of ${megabytes(chunked.size)} of the video to Facebook.` };
  }

  async function commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult> {
    const checkpoint = cp(job.checkpoint);
    if (checkpoint.remoteId) return { kind: "published", checkpoint: out(checkpoint), remoteId: checkpoint.remoteId, url: checkpoint.permalink ?? null };
    const from = await preparedFrom(job, { text: false });
    const notPrepared = (): CommitResult => ({ kind: "failed", checkpoint: out(checkpoint), notReady: true, failure: { kind: "retry", message: "The Facebook post is not prepared yet (or its media changed since). Atelier will prepare it again." } });
    const message = job.text.trim() ? job.text : undefined;
    const page = pageOf(job);
    const item = job.media[0];

    let answer: MetaAnswer<{ remoteId: string; permalink?: string }>;
    let videoId: string | undefined;
    switch (job.format) {
      case "post":
        answer = mapAnswer(await metaSend(ctx, NAME, withQuery(`${GRAPH}/${page}/feed`, { fields: "id,permalink_url" }), FeedCreated, { token: job.accessToken, form: { message, published: "true" } }), (v) => ({ remoteId: v.id, permalink: v.permalink_url }));
        break;
      case "photo":
      case "multi_photo": {
        const photos = checkpoint.photos;
        if (checkpoint.from !== from || !photos || photos.length !== job.media.length || photos.some((p) => !p)) return notPrepared();
        // Form-encoded `attached_media[i]={"media_fbid":"…"}` (§3.3), which every Graph host parses.
        const attached = Object.fromEntries(photos.map((id, i) => [`attached_media[${i}]`, JSON.stringify({ media_fbid: id })]));
        answer = mapAnswer(
          await metaSend(ctx, NAME, withQuery(`${GRAPH}/${page}/feed`, { fields: "id,permalink_url" }), FeedCreated, { token: job.accessToken, form: { message, ...attached, published: "true" } }),
          (v) => ({ remoteId: v.id, permalink: v.permalink_url }),
        );
        break;
      }
      case "video": {
        if (!item) return notPrepared();
        if (resumable(item) && checkpoint.chunked) {
          const chunked = checkpoint.chunked;
          if (checkpoint.from !== from || chunked.offset < chunked.end) return notPrepared();
          videoId = chunked.videoId;
          const finished = await metaSend(ctx, NAME, `${GRAPH_VIDEO}/${page}/videos`, Success, {
            token: job.accessToken,
            form: { upload_phase: "finish", upload_session_id: chunked.sessionId, description: message, published: "true" },
          });
          if (finished.ok && finished.value.success === false) return { kind: "failed", checkpoint: out(checkpoint), failure: { kind: "retry", message: "Facebook did not accept publishing the video. Atelier will try again." } };
          answer = mapAnswer(finished, () => ({ remoteId: chunked.videoId }));
        } else if (resumable(item)) {
          const handle = checkpoint.upload?.handle;
          if (checkpoint.from !== from || !handle) return notPrepared();
          answer = mapAnswer(await metaSend(ctx, NAME, `${GRAPH_VIDEO}/${page}/videos`, Created, { token: job.accessToken, form: { fbuploader_video_file_chunk: handle, description: message, published: "true" } }), (v) => ({ remoteId: v.id }));
        } else {
          answer = mapAnswer(await metaSend(ctx, NAME, `${GRAPH}/${page}/videos`, Created, { token: job.accessToken, form: { file_url: item.url, description: message, published: "true" } }), (v) => ({ remoteId: v.id }));
        }
        break;
      }
      case "reel": {
        const reel = checkpoint.reel;
        if (checkpoint.from !== from || !reel?.uploaded) return notPrepared();
        videoId = reel.videoId;
        const finished = await metaSend(ctx, NAME, `${GRAPH}/${page}/video_reels`, ReelFinish, {
          token: job.accessToken,
          form: { upload_phase: "finish", video_id: reel.videoId, video_state: "PUBLISHED", description: message },
        });
        if (finished.ok && finished.value.success === false) {
          return { kind: "failed", checkpoint: out(checkpoint), failure: { kind: "retry", message: "Facebook did not accept publishing the reel. Atelier will try again." } };
        }
        answer = mapAnswer(finished, (v) => ({ remoteId: v.post_id ?? v.video_id ?? reel.videoId, permalink: v.permalink_url }));
        break;
      }
      default:
        return { kind: "failed", checkpoint: out(checkpoint), failure: { kind: "fatal", message: `Atelier cannot publish the format “${job.format}” to Facebook.` } };
    }

    if (!answer.ok) {
      if (answer.uncertain) {
        const why = "networkError" in answer.raw ? answer.raw.networkError : `HTTP ${answer.raw.status}`;
        return { kind: "uncertain", checkpoint: out(checkpoint), detail: `Facebook did not confirm the publish request (${why}); Atelier will check the Page's recent posts to see whether it went live.` };
      }
      return { kind: "failed", checkpoint: out(checkpoint), failure: answer.failure };
    }
    const { remoteId } = answer.value;
    const url = absolute(answer.value.permalink) ?? (await permalinkOf(ctx, job, remoteId)) ?? (videoId && videoId !== remoteId ? await permalinkOf(ctx, job, videoId) : null);
    return { kind: "published", checkpoint: out({ ...checkpoint, remoteId, permalink: url, ...(videoId ? { videoId } : {}) }), remoteId, url };
  }

  async function reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult> {
    const checkpoint = cp(job.checkpoint);
    if (checkpoint.remoteId) return { kind: "published", remoteId: checkpoint.remoteId, url: checkpoint.permalink ?? null, checked: "Facebook had already confirmed this post." };
    // Reels and chunk-uploaded videos have a direct probe: the video's publishing phase.
    const probeId = job.format === "reel" ? checkpoint.reel?.videoId : checkpoint.chunked?.videoId;
    if (probeId) {
      const videoId = probeId;
      const status = await videoStatus(ctx, job, videoId);
      if (status.ok) {
        const publishing = status.value.status?.publishing_phase;
        const publishStatus = (publishing?.publish_status ?? "").toLowerCase();
        const phase = (publishing?.status ?? "").toLowerCase();
        if (publishStatus === "published" || phase === "complete") {
          return { kind: "published", remoteId: videoId, url: absolute(status.value.permalink_url) ?? (await permalinkOf(ctx, job, videoId)), checked: `Facebook says the video (${videoId}) is published.` };
        }
        if (phase === "not_started" && publishStatus !== "scheduled") {
          return { kind: "not_published", checked: `Facebook says the video (${videoId}) has not started publishing: the post did not go live.` };
        }
      } else if (status.failure.kind !== "fatal") {
        return { kind: "failed", failure: status.failure };
      }
    }
    return matchRecentPosts(ctx, job, permalinkOf);
  }

  return {
    platform: "facebook",
    leadSeconds: (format, media) => leadFrom(FACEBOOK_LEAD_SECONDS[format], media),
    prepare,
    commit,
    reconcile,

    /** The first comment, as the Page (§4). */
    async afterPublish(ctx, job) {
      if (!job.firstComment?.trim()) return { ok: true, did: null };
      const answer = await metaSend(ctx, NAME, `${GRAPH}/${job.remoteId}/comments`, Created, { token: job.accessToken, form: { message: job.firstComment } });
      return answer.ok ? { ok: true, did: "First comment posted." } : { ok: false, failure: answer.failure, what: "the first comment" };
    },

    /** `DELETE /{post-id}` (§3.1); a post that is already gone counts as removed. */
    async deleteRemote(ctx, ref) {
      const answer = await metaSend(ctx, NAME, `${GRAPH}/${ref.remoteId}`, Success, { token: ref.accessToken, method: "DELETE" });
      if (answer.ok || isGone(answer.raw)) return { ok: true };
      return { ok: false, failure: answer.failure };
    },
  };

  async function videoStatus(ctx: AdapterContext, job: PublishJob, videoId: string) {
    return metaSend(ctx, NAME, withQuery(`${GRAPH}/${videoId}`, { fields: "status,permalink_url" }), VideoStatus, { token: job.accessToken });
  }

  async function permalinkOf(ctx: AdapterContext, job: PublishJob, id: string): Promise<string | null> {
    const answer = await metaSend(ctx, NAME, withQuery(`${GRAPH}/${id}`, { fields: "permalink_url" }), Permalink, { token: job.accessToken });
    return answer.ok ? absolute(answer.value.permalink_url) : null;
  }
}

/** §3.7: `ready` or `upload_complete` is done (as production clients treat it), `error`/`expired` final, anything else still processing. */
function processingState(video: z.infer<typeof VideoStatus>): "ready" | "processing" | "error" | "expired" {
  const status = (video.status?.video_status ?? "").toLowerCase();
  const processing = (video.status?.processing_phase?.status ?? "").toLowerCase();
  if (status === "error" || processing === "error") return "error";
  if (status === "expired") return "expired";
  if (status === "ready" || (status === "upload_complete" && processing !== "in_progress")) return "ready";
  return "processing";
}

function mapAnswer<T, U>(answer: MetaAnswer<T>, map: (value: T) => U): MetaAnswer<U> {
  return answer.ok ? { ok: true, value: map(answer.value), raw: answer.raw } : answer;
}

export const facebookPublisher: PublishAdapter = createFacebookPublisher();
