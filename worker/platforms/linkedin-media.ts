import { z } from "zod";
import type { PrepareResult, PublishJob, PublishMedia } from "../publishing/types";
import { isNetworkFailure } from "./http";
import { isOrganization, linkedinSend, type Author } from "./linkedin-publish-http";
import { megabytes } from "./meta-publish-common";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * Uploads of a LinkedIn post's media (shared/platforms/linkedin.md §5–§6), invisible until a post
 * references them: images in one PUT, videos in the parts LinkedIn dictates, each streamed from R2 by
 * byte range (never the whole file in memory), then finalized with the parts' ETags in order. Every
 * URN, URL and ETag is written to the checkpoint as it arrives, so an interrupted upload resumes at the
 * first part without an ETag.
 */
const REST = "https://api.linkedin.com/rest";

/** Video parts sent per `prepare` call (~32 MiB), so one call never runs for long; the rest follow at once. */
const PARTS_PER_CALL = 8;
/**
 * Member-owned images cannot be polled (the GET is refused for member tokens, §5), so `prepare` waits
 * this long once after uploading, as Postiz does. If LinkedIn is still processing at the due time, the
 * post is refused as not ready and retried.
 */
export const MEMBER_IMAGE_GRACE_SECONDS = 3;
const POLL_IMAGE_SECONDS = 2;
const POLL_VIDEO_SECONDS = 10;
/** Upload URLs this close to expiry are not started on: the asset is initialized again. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

const ImageAsset = z.object({
  kind: z.literal("image"),
  mediaId: z.string(),
  urn: z.string(),
  uploadUrl: z.string(),
  expiresAt: z.number(),
  uploaded: z.boolean().default(false),
  available: z.boolean().default(false),
  graceWaited: z.boolean().default(false),
});
const VideoPart = z.object({ url: z.string(), firstByte: z.number(), lastByte: z.number(), etag: z.string().optional() });
const VideoAsset = z.object({
  kind: z.literal("video"),
  mediaId: z.string(),
  urn: z.string(),
  expiresAt: z.number(),
  uploadToken: z.string(),
  parts: z.array(VideoPart),
  finalized: z.boolean().default(false),
  available: z.boolean().default(false),
});
export const LinkedInAsset = z.discriminatedUnion("kind", [ImageAsset, VideoAsset]);
export type LinkedInAsset = z.infer<typeof LinkedInAsset>;
type VideoAsset = z.infer<typeof VideoAsset>;

const ImageInit = z.object({ value: z.object({ uploadUrl: z.string().url(), image: z.string().startsWith("urn:li:image:"), uploadUrlExpiresAt: z.number().optional() }) });
/** Some answers nest the range as `byteRange` (§6.1): both are read. */
const Instruction = z.union([
  z.object({ uploadUrl: z.string().url(), firstByte: z.number().int(), lastByte: z.number().int() }),
  z.object({ uploadUrl: z.string().url(), byteRange: z.object({ firstByte: z.number().int(), lastByte: z.number().int() }) }).transform((i) => ({ uploadUrl: i.uploadUrl, ...i.byteRange })),
]);
const VideoInit = z.object({
  value: z.object({ video: z.string().startsWith("urn:li:video:"), uploadInstructions: z.array(Instruction).min(1), uploadToken: z.string().default(""), uploadUrlsExpireAt: z.number().optional() }),
});
const AssetStatus = z.object({ status: z.string(), processingFailureReason: z.string().optional() });
const Anything = z.unknown();

/** Where a media step stands: go on, wait (checkpoint to keep), or fail. */
/** Assets by media position (null: not started, or spent and to be uploaded again). */
export type Assets = (LinkedInAsset | null)[];
export type MediaStep = { kind: "done"; assets: LinkedInAsset[] } | { kind: "waiting"; assets: Assets; pollAfterSeconds: number; detail: string } | { kind: "failed"; assets: Assets; failure: PlatformFailure };

type Job = Pick<PublishJob, "accessToken" | "media"> & { author: Author };

const ordinal = (index: number, total: number) => (total > 1 ? ` ${index + 1} of ${total}` : "");

/** Uploads every file not yet uploaded and waits until LinkedIn reports them all AVAILABLE. */
export async function prepareMedia(ctx: AdapterContext, job: Job, stored: Readonly<Assets>): Promise<MediaStep> {
  // Assets are matched to the post's files by position and library id (a reordered post re-uploads).
  const assets: Assets = job.media.map((item, index) => {
    const asset = stored[index];
    return asset && asset.mediaId === item.id && asset.kind === item.kind ? asset : null;
  });
  const snapshot = () => [...assets];

  for (const [index, item] of job.media.entries()) {
    let asset = assets[index] ?? null;
    const pending = asset && (asset.kind === "image" ? !asset.uploaded : !asset.finalized);
    if (asset && pending && ctx.now > asset.expiresAt - EXPIRY_MARGIN_MS) asset = null;
    if (!asset) {
      const created = item.kind === "image" ? await initializeImage(ctx, job, item) : await initializeVideo(ctx, job, item);
      if (!created.ok) return { kind: "failed", assets: snapshot(), failure: created.failure };
      assets[index] = asset = created.asset;
    }
    const what = `${item.kind}${ordinal(index, job.media.length)}`;
    if (asset.kind === "image" && !asset.uploaded) {
      const put = await putBytes(ctx, job, asset.uploadUrl, item, 0, item.sizeBytes);
      if (!put.ok) {
        if (put.restart) assets[index] = null;
        return { kind: "failed", assets: snapshot(), failure: { ...put.failure, message: `LinkedIn did not accept the upload of the ${what}: ${put.failure.message}` } };
      }
      assets[index] = asset = { ...asset, uploaded: true };
    }
    if (asset.kind === "video" && !asset.finalized) {
      const step = await uploadVideo(ctx, job, item, asset, what);
      assets[index] = step.asset;
      if (step.kind !== "done") return step.kind === "failed" ? { kind: "failed", assets: snapshot(), failure: step.failure } : { kind: "waiting", assets: snapshot(), pollAfterSeconds: 0, detail: step.detail };
    }
  }
  return settle(ctx, job, assets as LinkedInAsset[]);
}

/** Every asset uploaded: read their status (or wait the grace period where LinkedIn refuses the read). */
async function settle(ctx: AdapterContext, job: Job, start: LinkedInAsset[]): Promise<MediaStep> {
  const assets: Assets = [...start];
  const total = assets.length;
  let waitFor: { seconds: number; detail: string } | null = null;
  for (const [index, asset] of start.entries()) {
    if (asset.available) continue;
    const what = `${asset.kind}${ordinal(index, total)}`;
    if (asset.kind === "image" && !isOrganization(job.author)) {
      if (asset.graceWaited) assets[index] = { ...asset, available: true };
      else {
        assets[index] = { ...asset, graceWaited: true };
        waitFor ??= { seconds: MEMBER_IMAGE_GRACE_SECONDS, detail: `LinkedIn is processing the ${what}.` };
      }
      continue;
    }
    const url = `${REST}/${asset.kind === "image" ? "images" : "videos"}/${encodeURIComponent(asset.urn)}`;
    const status = await linkedinSend(ctx, url, AssetStatus, { token: job.accessToken, author: job.author });
    if (!status.ok) return { kind: "failed", assets, failure: status.failure };
    switch (status.value.status) {
      case "AVAILABLE":
        assets[index] = { ...asset, available: true };
        break;
      case "PROCESSING_FAILED": {
        // A failed asset is spent: a later attempt starts with a fresh upload.
        const reason = status.value.processingFailureReason ? ` LinkedIn said: “${status.value.processingFailureReason}”` : "";
        const hint = asset.kind === "video" ? "use an MP4 between 3 seconds and 30 minutes long" : "use a JPG, PNG or GIF";
        assets[index] = null;
        return { kind: "failed", assets, failure: { kind: "fatal", platformCode: "PROCESSING_FAILED", message: `LinkedIn could not process the ${what}; ${hint}.${reason}` } };
      }
      case "WAITING_UPLOAD":
        // LinkedIn lost (or never got) the bytes: the image is sent again; a video starts over with a fresh upload.
        assets[index] = asset.kind === "image" ? { ...asset, uploaded: false } : null;
        waitFor ??= { seconds: 0, detail: `LinkedIn has not received the ${what}; Atelier is uploading it again.` };
        break;
      default:
        waitFor ??= { seconds: asset.kind === "video" ? POLL_VIDEO_SECONDS : POLL_IMAGE_SECONDS, detail: `LinkedIn is processing the ${what}.` };
    }
  }
  return waitFor ? { kind: "waiting", assets, pollAfterSeconds: waitFor.seconds, detail: waitFor.detail } : { kind: "done", assets: start.map((_, i) => assets[i] as LinkedInAsset) };
}

type Initialized = { ok: true; asset: LinkedInAsset } | { ok: false; failure: PlatformFailure };

async function initializeImage(ctx: AdapterContext, job: Job, item: PublishMedia): Promise<Initialized> {
  const answer = await linkedinSend(ctx, `${REST}/images?action=initializeUpload`, ImageInit, { token: job.accessToken, author: job.author, json: { initializeUploadRequest: { owner: job.author.urn } } });
  if (!answer.ok) return answer;
  const v = answer.value.value;
  return { ok: true, asset: { kind: "image", mediaId: item.id, urn: v.image, uploadUrl: v.uploadUrl, expiresAt: v.uploadUrlExpiresAt ?? ctx.now + 3_600_000, uploaded: false, available: false, graceWaited: false } };
}

async function initializeVideo(ctx: AdapterContext, job: Job, item: PublishMedia): Promise<Initialized> {
  const json = { initializeUploadRequest: { owner: job.author.urn, fileSizeBytes: item.sizeBytes, uploadCaptions: false, uploadThumbnail: false } };
  const answer = await linkedinSend(ctx, `${REST}/videos?action=initializeUpload`, VideoInit, { token: job.accessToken, author: job.author, json });
  if (!answer.ok) return answer;
  const v = answer.value.value;
  // The parts must tile the file exactly: anything else would upload a corrupt video.
  const sorted = [...v.uploadInstructions].sort((a, b) => a.firstByte - b.firstByte);
  const tiles = sorted.every((p, i) => p.firstByte === (i === 0 ? 0 : (sorted[i - 1]?.lastByte ?? -2) + 1) && p.lastByte >= p.firstByte) && sorted.at(-1)?.lastByte === item.sizeBytes - 1;
  if (!tiles) return { ok: false, failure: { kind: "retry", message: "LinkedIn's upload instructions do not cover the video exactly. Atelier will start the upload again." } };
  const parts = sorted.map((p) => ({ url: p.uploadUrl, firstByte: p.firstByte, lastByte: p.lastByte }));
  return { ok: true, asset: { kind: "video", mediaId: item.id, urn: v.video, expiresAt: v.uploadUrlsExpireAt ?? ctx.now + 3_600_000, uploadToken: v.uploadToken, parts, finalized: false, available: false } };
}

type VideoStep = { kind: "done"; asset: VideoAsset } | { kind: "waiting"; asset: VideoAsset; detail: string } | { kind: "failed"; asset: VideoAsset | null; failure: PlatformFailure };

/** The parts without an ETag, in order (at most PARTS_PER_CALL per call), then `finalizeUpload`. */
async function uploadVideo(ctx: AdapterContext, job: Job, item: PublishMedia, start: VideoAsset, what: string): Promise<VideoStep> {
  let asset = start;
  let sent = 0;
  for (const [index, part] of asset.parts.entries()) {
    if (part.etag) continue;
    if (sent === PARTS_PER_CALL) {
      const done = asset.parts.filter((p) => p.etag).reduce((sum, p) => sum + p.lastByte - p.firstByte + 1, 0);
      return { kind: "waiting", asset, detail: `Uploaded ${megabytes(done)} of ${megabytes(item.sizeBytes)} of the ${what} to LinkedIn.` };
    }
    const put = await putBytes(ctx, job, part.url, item, part.firstByte, part.lastByte - part.firstByte + 1);
    if (!put.ok) {
      return { kind: "failed", asset: put.restart ? null : asset, failure: { ...put.failure, message: `LinkedIn did not accept part ${index + 1} of ${asset.parts.length} of the ${what}: ${put.failure.message}` } };
    }
    if (!put.etag) return { kind: "failed", asset, failure: { kind: "retry", message: `LinkedIn accepted part ${index + 1} of the ${what} without an ETag. Atelier will send it again.` } };
    asset = { ...asset, parts: asset.parts.map((p, i) => (i === index ? { ...p, etag: put.etag } : p)) };
    sent += 1;
  }
  const json = { finalizeUploadRequest: { video: asset.urn, uploadToken: asset.uploadToken, uploadedPartIds: asset.parts.map((p) => p.etag) } };
  const finalized = await linkedinSend(ctx, `${REST}/videos?action=finalizeUpload`, Anything, { token: job.accessToken, author: job.author, json });
  if (finalized.ok) return { kind: "done", asset: { ...asset, finalized: true } };
  if (finalized.uncertain) return { kind: "failed", asset, failure: finalized.failure };
  // Refused: if an earlier finalize whose answer was lost went through, LinkedIn is already processing.
  const status = await linkedinSend(ctx, `${REST}/videos/${encodeURIComponent(asset.urn)}`, AssetStatus, { token: job.accessToken, author: job.author });
  if (status.ok && status.value.status !== "WAITING_UPLOAD") return { kind: "done", asset: { ...asset, finalized: true } };
  if (finalized.failure.kind === "fatal") {
    return { kind: "failed", asset: null, failure: { kind: "retry", status: finalized.failure.status, message: `LinkedIn refused to finish the upload of the ${what}, so Atelier will upload it again. ${finalized.failure.message}` } };
  }
  return { kind: "failed", asset, failure: finalized.failure };
}

type Put = { ok: true; etag: string | undefined } | { ok: false; failure: PlatformFailure; restart: boolean };

/**
 * One PUT of bytes [offset, offset + length) streamed from R2. A network error or 5xx keeps the
 * upload (the part is sent again); any other refusal from the upload host (expired or unknown URL,
 * wrong length) starts the asset over.
 */
async function putBytes(ctx: AdapterContext, job: Job, url: string, item: PublishMedia, offset: number, length: number): Promise<Put> {
  const body = new FixedLengthStream(length);
  void item
    .read(offset, length)
    .then((stream) => stream.pipeTo(body.writable))
    .catch((error: unknown) => body.writable.abort(error).catch(() => undefined));
  const contentType = item.kind === "image" ? item.mimeType : "application/octet-stream";
  const raw = await ctx.http.request(url, { method: "PUT", headers: { authorization: `Bearer ${job.accessToken}`, "content-type": contentType }, body: body.readable });
  if (isNetworkFailure(raw)) return { ok: false, restart: false, failure: { kind: "retry", message: `the connection failed (${raw.networkError}). Atelier will send it again.` } };
  if (raw.status >= 200 && raw.status < 300) return { ok: true, etag: raw.headers.get("etag")?.replace(/^W\//, "").replace(/^"(.*)"$/, "$1") || undefined };
  if (raw.status === 401) return { ok: false, restart: false, failure: { kind: "refresh", status: 401, message: "LinkedIn no longer accepts the access token. Atelier will refresh it and try again." } };
  if (raw.status >= 500 || raw.status === 429) return { ok: false, restart: false, failure: { kind: "retry", status: raw.status, message: `LinkedIn had a temporary problem (HTTP ${raw.status}). Atelier will send it again.` } };
  return { ok: false, restart: true, failure: { kind: "retry", status: raw.status, message: `the upload address refused it (HTTP ${raw.status}), so Atelier will start this upload again.` } };
}
