import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import type { SandboxObject } from "../store/store";
import { googleError } from "./google-youtube";
import { hex, sniff, unhex } from "./meta-publish-common";
import { readSnippet, readStatus } from "./youtube-metadata";
import { chargeQuota, quotaLimits, quotaUsage, setQuotaLimits } from "./youtube-quota";
import { channelCaller, loadVideo, newVideoId, parseParts, processingMs, saveVideo, SCOPES, videoResource, type Ctx, type VideoSnippet, type VideoStatus, type YoutubeVideo } from "./youtube-video-store";

/**
 * `videos.insert` with the resumable protocol (youtube.md §2.1–§2.3, §7):
 * - `POST /upload/youtube/v3/videos?uploadType=resumable&part=…` with the metadata JSON and
 *   `X-Upload-Content-Length` → 200, empty body, `Location` = the session URI (real host, so the
 *   app's PlatformHttp rewrites it back to the sandbox).
 * - `PUT {session}` with `Content-Range: bytes a-b/N` → 308 + `Range: bytes=0-b` until the last byte,
 *   then 200 + the video (which exists only from that moment). Chunks must be multiples of 256 KiB
 *   except the last and must continue exactly where the stored bytes end.
 * - `PUT {session}` with `Content-Range: bytes *\/N` (the probe) → 308 with the stored Range (no Range
 *   when nothing is stored), or 200 + the video once complete: a finished session never takes a second
 *   upload. Sessions expire a week after they start (unverified) → 410.
 *
 * Simplifications (unverified): the session URI alone authorises its PUTs (the Authorization header
 * is not checked there); a chunk that does not start at the stored end is refused with 400 rather
 * than trimmed; only the first 64 bytes are kept (for sniffing), the rest is counted, not stored.
 */
const UPLOAD_PATH = "/upload/youtube/v3/videos";
const CHUNK_MULTIPLE = 256 * 1024;
const SESSION_LIFETIME_MS = 7 * 86_400_000;

type UploadSession = {
  channelId: string;
  parts: string[];
  snippet: VideoSnippet;
  status: VideoStatus;
  totalBytes: number;
  contentType: string;
  received: number;
  ranges: string[];
  headHex: string;
  videoId: string | null;
  expiresAt: number;
};

const isSession = (o: SandboxObject | null): o is SandboxObject<UploadSession> => o?.platform === "youtube" && o.kind === "upload_session";

const badRequest = (c: Ctx, reason: string, message: string) => googleError(c, 400, "INVALID_ARGUMENT", reason, message, "global");

async function startSession(c: Ctx): Promise<Response> {
  // Read first: workerd complains about a request body left unread after answering early.
  const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
  const who = channelCaller(c, SCOPES.upload);
  if (who instanceof Response) return who;
  const charged = chargeQuota(c, "videos.insert");
  if (charged) return charged;
  if (c.req.query("uploadType") !== "resumable") return badRequest(c, "invalidUploadType", "The sandbox simulates only uploadType=resumable.");
  const parts = parseParts(c, ["id", "snippet", "status"]);
  if (parts instanceof Response) return parts;
  const length = Number(c.req.header("x-upload-content-length") ?? "");
  if (!Number.isInteger(length) || length <= 0) return badRequest(c, "uploadContentLengthRequired", "X-Upload-Content-Length must give the video's size in bytes.");
  const contentType = c.req.header("x-upload-content-type") ?? "application/octet-stream";
  if (!contentType.startsWith("video/") && contentType !== "application/octet-stream") return badRequest(c, "badContent", `Media type '${contentType}' is not supported. Valid media types: [video/*, application/octet-stream]`);
  if (!body || typeof body !== "object") return badRequest(c, "parseError", "Parse Error");
  const store = c.var.store;
  const snippet = readSnippet(c, body.snippet, { categoryRequired: false });
  if (snippet instanceof Response) return snippet;
  const status = readStatus(c, body.status, store.now());
  if (status instanceof Response) return status;

  const uploadId = `sbx-AEnB2U${crypto.randomUUID().replaceAll("-", "")}`;
  const session: UploadSession = { channelId: who.channelId, parts, snippet, status, totalBytes: length, contentType, received: 0, ranges: [], headHex: "", videoId: null, expiresAt: store.now() + SESSION_LIFETIME_MS };
  store.publishing.createObject({ id: uploadId, platform: "youtube", accountId: who.channelId, kind: "upload_session", data: session });
  const location = `https://www.googleapis.com${UPLOAD_PATH}?uploadType=resumable&part=${parts.join(",")}&upload_id=${uploadId}`;
  return c.body(null, 200, { location, "x-guploader-uploadid": uploadId });
}

type RangeHeader = { probe: true; total: number } | { probe: false; first: number; last: number; total: number };

function parseContentRange(value: string | undefined): RangeHeader | null {
  const probe = /^bytes \*\/(\d+)$/.exec(value ?? "");
  if (probe) return { probe: true, total: Number(probe[1]) };
  const chunk = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? "");
  if (!chunk) return null;
  return { probe: false, first: Number(chunk[1]), last: Number(chunk[2]), total: Number(chunk[3]) };
}

const incomplete = (c: Ctx, received: number) => c.body(null, 308, received > 0 ? { range: `bytes=0-${received - 1}` } : {});

function finished(c: Ctx, session: UploadSession): Response {
  const video = session.videoId ? loadVideo(c.var.store, session.videoId) : null;
  if (!video) return googleError(c, 404, "NOT_FOUND", "videoNotFound", "The uploaded video no longer exists.", "youtube.video");
  return c.json(videoResource(c.var.store, video, [...new Set(["id", "snippet", "status", ...session.parts])], true), 200);
}

async function putBytes(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const uploadId = c.req.query("upload_id") ?? "";
  const object = store.publishing.object<UploadSession>(uploadId);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!isSession(object)) return googleError(c, 404, "NOT_FOUND", "notFound", "No upload session with this upload_id.", "global");
  const session = object.data;
  if (session.videoId) return finished(c, session);
  if (store.now() >= session.expiresAt) {
    return c.json({ error: { code: 410, message: "The upload session has expired; start a new one.", errors: [{ message: "The upload session has expired.", domain: "global", reason: "uploadSessionExpired" }], status: "NOT_FOUND" } }, 410);
  }
  const range = c.req.header("content-range") === undefined && session.received === 0 && bytes.byteLength === session.totalBytes
    ? ({ probe: false, first: 0, last: session.totalBytes - 1, total: session.totalBytes } as const)
    : parseContentRange(c.req.header("content-range"));
  if (!range) return badRequest(c, "badContentRange", "Content-Range must be 'bytes first-last/total' or 'bytes */total'.");
  if (range.total !== session.totalBytes) return badRequest(c, "badContentRange", `The total size ${range.total} does not match X-Upload-Content-Length ${session.totalBytes}.`);
  if (range.probe) return incomplete(c, session.received);

  if (range.first !== session.received) return badRequest(c, "badContentRange", `This chunk starts at byte ${range.first}, but the upload continues at byte ${session.received}.`);
  if (range.last < range.first || range.last >= session.totalBytes) return badRequest(c, "badContentRange", "The chunk's byte range lies outside the upload.");
  if (bytes.byteLength !== range.last - range.first + 1) return badRequest(c, "badContentRange", `The chunk has ${bytes.byteLength} bytes, but Content-Range announces ${range.last - range.first + 1}.`);
  const isLast = range.last === session.totalBytes - 1;
  if (!isLast && bytes.byteLength % CHUNK_MULTIPLE !== 0) return badRequest(c, "badChunkSize", `Chunks must be multiples of ${CHUNK_MULTIPLE} bytes (256 KiB), except the last one.`);

  const next: UploadSession = {
    ...session,
    received: range.last + 1,
    ranges: [...session.ranges, `bytes ${range.first}-${range.last}/${range.total}`],
    headHex: range.first === 0 ? hex(bytes.subarray(0, 64)) : session.headHex,
  };
  if (!isLast) {
    store.publishing.updateObject(uploadId, next);
    return incomplete(c, next.received);
  }

  // The last byte creates the video (§2.2): before this, an abandoned session leaves nothing.
  const videoId = newVideoId();
  const now = store.now();
  const video: YoutubeVideo = {
    channelId: session.channelId,
    snippet: session.snippet,
    status: session.status,
    sizeBytes: session.totalBytes,
    mimeType: session.contentType,
    format: sniff(unhex(next.headHex)),
    uploadedAt: now,
    readyAt: now + processingMs(store, session.totalBytes),
    uploadRanges: next.ranges,
    thumbnail: null,
    deleted: false,
  };
  store.publishing.createObject({ id: videoId, platform: "youtube", accountId: session.channelId, kind: "video", data: video });
  saveVideo(store, videoId, video, c.var.receivedAt);
  store.publishing.updateObject(uploadId, { ...next, videoId });
  return finished(c, { ...next, videoId });
}

/** Sandbox-only: what a finished upload received, for tests asserting the chunk sequence. */
function uploadFacts(c: Ctx): Response {
  const video = c.var.store.publishing.object<YoutubeVideo>(c.req.param("videoId") ?? "");
  if (!video || video.platform !== "youtube" || video.kind !== "video") return c.json({ error: "no such video" }, 404);
  return c.json({ videoId: video.id, deleted: video.data.deleted, sizeBytes: video.data.sizeBytes, uploadRanges: video.data.uploadRanges, format: video.data.format, thumbnail: video.data.thumbnail, snippet: video.data.snippet, status: video.data.status });
}

export function youtubeUploadRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().post(UPLOAD_PATH, startSession).put(UPLOAD_PATH, putBytes);
}

/**
 * Mounted at `/_sandbox/youtube`, for tests: `GET /videos/:videoId` (facts of an upload, deleted or
 * not), `GET /quota` (today's usage by Pacific date, and the limits) and `POST /quota`
 * (`{unitsPerDay?, uploadsPerDay?}`, null = default).
 */
export function youtubeControlRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .get("/videos/:videoId", uploadFacts)
    .get("/quota", (c) => c.json({ ...quotaUsage(c.var.store), limits: quotaLimits(c.var.store) }))
    .post("/quota", async (c) => {
      const result = setQuotaLimits(c.var.store, await c.req.json().catch(() => ({})));
      return result.ok ? c.json({ limits: result.limits }) : c.json({ error: result.issues }, 400);
    });
}
