import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { sniff } from "./meta-publish-common";
import { isJob, MIB, processingMs, tiktokError, type Ctx, type TikTokJob } from "./tiktok-jobs";

/**
 * TikTok's media transfer host for FILE_UPLOAD (shared/platforms/tiktok.md §4.2): `PUT {upload_url}`
 * with `Content-Range: bytes {first}-{last}/{video_size}`, sequential chunks, 206 until the last one,
 * 201 when the file is complete. Bytes are counted and their first bytes sniffed, never stored.
 */
export const UPLOAD_HOST = "open-upload.tiktokapis.com";
/** About an hour (unverified, §4.2). */
export const UPLOAD_URL_TTL_MS = 60 * 60_000;

/**
 * "5 MB" and "64 MB" in the media-transfer guide are read as MiB (unverified); the adapter's 5 MiB
 * chunks satisfy either reading.
 */
const MIN_CHUNK = 5 * MIB;
const MAX_CHUNK = 64 * MIB;
const MAX_LAST_CHUNK = 128 * MIB;
const MAX_CHUNKS = 1000;
const CONTENT_TYPES = new Set(["video/mp4", "video/quicktime", "video/webm"]);

/** The media-transfer chunk rules, exactly: null when the plan is valid, else TikTok-style words. */
export function chunkPlanProblem(videoSize: number, chunkSize: number, totalChunks: number): string | null {
  if (videoSize < MIN_CHUNK) {
    return chunkSize === videoSize && totalChunks === 1 ? null : "Files under 5 MB must be uploaded as one chunk with chunk_size equal to video_size.";
  }
  if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) return "chunk_size must be between 5 MB and 64 MB.";
  if (chunkSize > videoSize) return "chunk_size cannot exceed video_size.";
  const expected = Math.floor(videoSize / chunkSize);
  if (totalChunks !== expected) return `total_chunk_count must be floor(video_size / chunk_size) = ${expected}.`;
  if (totalChunks < 1 || totalChunks > MAX_CHUNKS) return "total_chunk_count must be between 1 and 1000.";
  const last = videoSize - chunkSize * (totalChunks - 1);
  if (last > MAX_LAST_CHUNK) return "The last chunk cannot exceed 128 MB.";
  return null;
}

function chunkBounds(job: TikTokJob, index: number): { first: number; last: number } {
  const first = index * job.chunkSize;
  const last = index === job.totalChunks - 1 ? job.videoSize - 1 : first + job.chunkSize - 1;
  return { first, last };
}

/**
 * `PUT /video/?upload_id=…&upload_token=…`. Refusals use TikTok's envelope; the exact codes and
 * statuses of the upload host are unverified (416 for a range that does not fit the declared plan,
 * 404 for an unknown or expired upload).
 */
async function putChunk(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const uploadId = c.req.query("upload_id") ?? "";
  const uploadToken = c.req.query("upload_token") ?? "";
  const body = new Uint8Array(await c.req.arrayBuffer());
  const object = findJob(store, uploadId);
  if (!object || object.data.uploadToken !== uploadToken) return tiktokError(c, 404, "invalid_params", "The upload_url is invalid.");
  const job = object.data;
  if (job.uploadExpiresAt !== null && store.now() > job.uploadExpiresAt) return tiktokError(c, 404, "invalid_params", "The upload_url has expired. Initialize the upload again.");
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!CONTENT_TYPES.has(contentType)) return tiktokError(c, 400, "invalid_params", "Content-Type must be video/mp4, video/quicktime or video/webm.");
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(c.req.header("content-range") ?? "");
  if (!range) return tiktokError(c, 400, "invalid_params", "Content-Range must be bytes {first}-{last}/{total}.");
  const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
  if (total !== job.videoSize) return tiktokError(c, 416, "invalid_params", `The total in Content-Range must be the video_size declared at init (${job.videoSize}).`);
  if (first % job.chunkSize !== 0 || first / job.chunkSize >= job.totalChunks) return tiktokError(c, 416, "invalid_params", "Content-Range does not start at a chunk boundary of the declared plan.");
  const index = first / job.chunkSize;
  const bounds = chunkBounds(job, index);
  if (last !== bounds.last) return tiktokError(c, 416, "invalid_params", `Chunk ${index + 1} must end at byte ${bounds.last}.`);
  if (body.byteLength !== last - first + 1) return tiktokError(c, 400, "invalid_params", "The body length does not match Content-Range.");
  // Sequential (§4.2): a chunk past the next expected one is refused; one already received is accepted again.
  const next = job.received.length;
  if (index > next) return tiktokError(c, 416, "invalid_params", `Chunks must be uploaded in order; chunk ${next + 1} is expected next.`);

  if (!job.received.includes(index)) {
    const updated: TikTokJob = { ...job, received: [...job.received, index].sort((a, b) => a - b) };
    if (index === 0 && !["mp4", "mov"].includes(sniff(body.subarray(0, 64)))) updated.failReason = "file_format_check_failed";
    if (updated.received.length === job.totalChunks) {
      updated.bytesCompleteAt = store.now();
      updated.readyAt = store.now() + processingMs(store, job.videoSize);
    }
    store.publishing.updateObject(object.id, updated);
    return c.body(null, updated.received.length === job.totalChunks ? 201 : 206);
  }
  return c.body(null, job.received.length === job.totalChunks ? 201 : 206);
}

function findJob(store: Ctx["var"]["store"], uploadId: string) {
  if (!uploadId) return null;
  const id = store.meta(`tiktok:upload:${uploadId}`);
  const object = id ? store.publishing.object<TikTokJob>(id) : null;
  return isJob(object) ? object : null;
}

/** Routes on the upload host, mounted by tiktok.ts. */
export function tiktokUploadRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().put("/video/", putChunk);
}
