import { withQuery, isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import type { PublishMedia } from "../publishing/types";
import type { AdapterContext, PlatformFailure } from "./types";
import { classifyYoutubeError } from "./youtube-errors";
import { Video, type VideoParts } from "./youtube-video-api";

/**
 * YouTube's resumable upload (youtube.md §2.1–§2.3, §7). The session URI is the only handle to an
 * upload: the caller persists it the moment it is returned. Bytes go up in chunks read from R2 by
 * range (a multiple of 256 KiB, the last one whatever remains); after any interruption the next pass
 * first asks the session what it holds (`Content-Range: bytes *\/N`) and continues from there, so
 * finished chunks are never sent twice and a finished upload is never repeated. Only a 404/410 from
 * the session (expired) allows starting a new one.
 */
export const UPLOAD_URL = "https://www.googleapis.com/upload/youtube/v3/videos";
export const CHUNK_UNIT = 256 * 1024;

export type UploadState =
  | { state: "incomplete"; received: number }
  | { state: "complete"; video: Video }
  /** The session is gone (expired): start a new one. */
  | { state: "expired" }
  /** No usable answer mid-upload (network, 5xx, 429): resume later with a probe. */
  | { state: "interrupted"; received: number; failure: PlatformFailure }
  | { state: "failed"; failure: PlatformFailure };

/** Starts a session for the video with its metadata; the answer's `Location` is the session URI. */
export async function startUploadSession(ctx: AdapterContext, token: string, media: PublishMedia, parts: VideoParts): Promise<{ ok: true; sessionUrl: string } | { ok: false; failure: PlatformFailure }> {
  const raw = await ctx.http.request(withQuery(UPLOAD_URL, { uploadType: "resumable", part: "snippet,status" }), {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json; charset=UTF-8",
      "x-upload-content-length": String(media.sizeBytes),
      "x-upload-content-type": media.mimeType.startsWith("video/") ? media.mimeType : "application/octet-stream",
    },
    body: JSON.stringify(parts),
  });
  if (isNetworkFailure(raw) || raw.status !== 200) return { ok: false, failure: classifyYoutubeError(raw, ctx.now) };
  const location = raw.headers.get("location");
  if (!location || !/^https:\/\//.test(location)) return { ok: false, failure: { kind: "retry", status: raw.status, message: "YouTube opened no upload session (its answer had no session address). Atelier will try again." } };
  return { ok: true, sessionUrl: location };
}

/** `Range: bytes=0-x` → x + 1 bytes stored; no Range → nothing stored. */
function storedBytes(raw: HttpResult): number {
  const match = /^bytes=0-(\d+)$/.exec(raw.headers.get("range") ?? "");
  return match ? Number(match[1]) + 1 : 0;
}

function answerOf(ctx: AdapterContext, raw: HttpResult | NetworkFailure, sentFrom: number): UploadState {
  if (isNetworkFailure(raw)) return { state: "interrupted", received: sentFrom, failure: classifyYoutubeError(raw, ctx.now) };
  if (raw.status === 308) return { state: "incomplete", received: storedBytes(raw) };
  if (raw.status === 200 || raw.status === 201) {
    const video = Video.safeParse(raw.json);
    if (video.success) return { state: "complete", video: video.data };
    return { state: "interrupted", received: sentFrom, failure: { kind: "retry", status: raw.status, message: "YouTube finished the upload but its answer could not be read. Atelier will ask again." } };
  }
  if (raw.status === 404 || raw.status === 410) return { state: "expired" };
  if (raw.status >= 500 || raw.status === 429) return { state: "interrupted", received: sentFrom, failure: classifyYoutubeError(raw, ctx.now) };
  return { state: "failed", failure: classifyYoutubeError(raw, ctx.now) };
}

/** Asks the session what it holds (§2.3); never sends bytes. */
export async function probeUpload(ctx: AdapterContext, token: string, sessionUrl: string, totalBytes: number): Promise<UploadState> {
  const raw = await ctx.http.request(sessionUrl, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-range": `bytes */${totalBytes}` } });
  return answerOf(ctx, raw, 0);
}

/**
 * Sends chunks from `from` until the upload completes, something interrupts it, or `maxBytes` were
 * sent in this pass (then `incomplete`, to continue in the next one). Each chunk is read from R2 by
 * range and held only while it is sent.
 */
export async function sendChunks(ctx: AdapterContext, token: string, sessionUrl: string, media: PublishMedia, from: number, chunkBytes: number, maxBytes: number): Promise<UploadState> {
  const total = media.sizeBytes;
  let offset = from;
  let sent = 0;
  while (offset < total) {
    if (sent >= maxBytes) return { state: "incomplete", received: offset };
    const length = Math.min(chunkBytes, total - offset);
    const bytes = await new Response(await media.read(offset, length)).arrayBuffer();
    const raw = await ctx.http.request(sessionUrl, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": media.mimeType, "content-range": `bytes ${offset}-${offset + length - 1}/${total}` },
      body: bytes,
    });
    const answer = answerOf(ctx, raw, offset);
    if (answer.state !== "incomplete") return answer;
    // The server says what it holds; anything else than "all we sent" is resolved by a probe next pass.
    if (answer.received !== offset + length) return { state: "interrupted", received: answer.received, failure: { kind: "retry", message: "YouTube stored less of the video than Atelier sent. Atelier will resume where YouTube stopped." } };
    offset = answer.received;
    sent += length;
  }
  // Every byte was accepted with 308s only: the session should have answered the last one with the video.
  return probeUpload(ctx, token, sessionUrl, total);
}
