import type { PublishMedia } from "../publishing/types";
import { isNetworkFailure } from "./http";
import { classifyPublishError } from "./tiktok-api";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * FILE_UPLOAD media transfer (shared/platforms/tiktok.md §4.2): the chunk plan declared at init and
 * one `PUT {upload_url}` per chunk, streamed from R2 (never buffered whole).
 */

/**
 * 5 MiB chunks: the smallest TikTok allows (the guide's "5 MB" read either way), so the last chunk,
 * the one sent at the due second, is at most ~10 MiB; a 4 GB file is 819 chunks, within 1000.
 */
export const TIKTOK_CHUNK_BYTES = 5 * 1024 * 1024;
const MAX_SINGLE_CHUNK = 64 * 1024 * 1024;

export type ChunkPlan = { videoSize: number; chunkSize: number; totalChunks: number };

/** `total_chunk_count = floor(video_size / chunk_size)`; the last chunk absorbs the remainder; small files are one chunk. */
export function planChunks(videoSize: number, preferred = TIKTOK_CHUNK_BYTES): ChunkPlan {
  if (videoSize < preferred * 2 && videoSize <= MAX_SINGLE_CHUNK) return { videoSize, chunkSize: videoSize, totalChunks: 1 };
  return { videoSize, chunkSize: preferred, totalChunks: Math.floor(videoSize / preferred) };
}

export function chunkRange(plan: ChunkPlan, index: number): { first: number; last: number } {
  const first = index * plan.chunkSize;
  const last = index === plan.totalChunks - 1 ? plan.videoSize - 1 : first + plan.chunkSize - 1;
  return { first, last };
}

/** TikTok accepts these three (§4.2); anything else is sent as MP4, the format TikTok sniffs anyway. */
function uploadContentType(mimeType: string): string {
  return ["video/mp4", "video/quicktime", "video/webm"].includes(mimeType) ? mimeType : "video/mp4";
}

export type ChunkResult = { ok: true; complete: boolean } | { ok: false; failure: PlatformFailure; uncertain: boolean; why: string };

/** One chunk: 206 (more expected) or 201 (file complete); a lost answer is reported as uncertain. */
export async function putChunk(ctx: AdapterContext, uploadUrl: string, media: PublishMedia, plan: ChunkPlan, index: number): Promise<ChunkResult> {
  const { first, last } = chunkRange(plan, index);
  const length = last - first + 1;
  let body: ReadableStream<Uint8Array>;
  try {
    const source = await media.read(first, length);
    // A fixed length, so the request carries Content-Length rather than a chunked body.
    const fixed = new FixedLengthStream(length);
    void source.pipeTo(fixed.writable).catch(() => undefined);
    body = fixed.readable;
  } catch (error) {
    return { ok: false, uncertain: false, why: "storage", failure: { kind: "retry", message: `Atelier could not read the video from its library storage (${error instanceof Error ? error.message : String(error)}). It will try again.` } };
  }
  const raw = await ctx.http.request(uploadUrl, {
    method: "PUT",
    headers: { "content-type": uploadContentType(media.mimeType), "content-range": `bytes ${first}-${last}/${plan.videoSize}` },
    body,
  });
  if (!isNetworkFailure(raw) && (raw.status === 201 || raw.status === 206)) return { ok: true, complete: raw.status === 201 };
  const why = isNetworkFailure(raw) ? raw.networkError : `HTTP ${raw.status}`;
  const uncertain = isNetworkFailure(raw) || raw.status >= 500;
  if (!isNetworkFailure(raw) && raw.status === 404) {
    return { ok: false, uncertain: false, why, failure: { kind: "retry", status: 404, message: "TikTok's upload address for this video expired before the upload finished. Atelier will start the upload again." } };
  }
  return { ok: false, uncertain, why, failure: classifyPublishError(raw) };
}
