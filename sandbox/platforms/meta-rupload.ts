import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SandboxEnv } from "../app";
import { completeUpload, isFbVideo, pullVideo, type FbVideo } from "./facebook-video";
import { isIgContainer, type IgContainer } from "./instagram-containers";
import { authorizeIg, authorizePage, type Ctx, fetchPlatformMedia, hex, processingMs, publishCaller, sniff, unhex, unsupported } from "./meta-publish-common";

/**
 * `rupload.facebook.com`: the binary upload host for Facebook Reels (`/video-upload/{version}/{video_id}`,
 * meta-auth-and-pages.md §3.6) and Instagram resumable containers (`/ig-api-upload/{version}/{container}`,
 * instagram.md §2.6). `Authorization: OAuth <token>`, then either a `file_url` header (Meta pulls it)
 * or `offset` + `file_size` headers with the bytes as the body. Chunks may come in several requests,
 * each at the offset already received.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";

/** rupload's own failure shape: `{debug_info:{retriable, type, message}}` (type names unverified). */
const ruploadError = (c: Ctx, status: number, type: string, message: string, retriable = false) => c.json({ debug_info: { retriable, type, message } }, status as ContentfulStatusCode);

type Received = { kind: "pulled"; ok: boolean; size: number; head: Uint8Array | null; url: string } | { kind: "bytes"; offset: number; fileSize: number; bytes: Uint8Array } | Response;

async function readUpload(c: Ctx, already: number): Promise<Received> {
  const fileUrl = c.req.header("file_url");
  if (fileUrl) {
    const fetched = await fetchPlatformMedia(c, fileUrl);
    return fetched.ok ? { kind: "pulled", ok: true, size: fetched.sizeBytes, head: fetched.head, url: fileUrl } : { kind: "pulled", ok: false, size: 0, head: null, url: fileUrl };
  }
  const offset = Number(c.req.header("offset") ?? "NaN");
  const fileSize = Number(c.req.header("file_size") ?? "NaN");
  if (!Number.isInteger(offset) || !Number.isInteger(fileSize) || fileSize <= 0) return ruploadError(c, 400, "ProcessingFailedError", "Request is missing the offset and file_size headers, or the file_url header.");
  if (offset !== already) return ruploadError(c, 400, "OffsetInvalidError", `Invalid offset ${offset}: ${already} bytes have been received.`, true);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0 || offset + bytes.byteLength > fileSize) return ruploadError(c, 400, "ProcessingFailedError", "The body does not fit the declared file_size.");
  return { kind: "bytes", offset, fileSize, bytes };
}

/** Reading the body awaits: a concurrent upload to the same object may have landed since the offset check. */
function changedMeanwhile(c: Ctx, id: string, received: number): boolean {
  const now = c.var.store.publishing.object<{ received: number; readyAt?: number | null; uploadedAt?: number | null }>(id)?.data;
  return !now || now.received !== received || (now.uploadedAt ?? null) !== null || (now.readyAt ?? null) !== null;
}

async function uploadFbVideo(c: Ctx): Promise<Response> {
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const id = c.req.param("id") ?? "";
  const object = c.var.store.publishing.object<FbVideo>(id);
  if (!isFbVideo(object)) return unsupported(c, id);
  const page = authorizePage(c, who, object.account_id, "pages_manage_posts");
  if (page instanceof Response) return page;
  const video = object.data;
  if (video.uploadedAt !== null) return ruploadError(c, 400, "ProcessingFailedError", "The video has already been uploaded.");
  const received = await readUpload(c, video.received);
  if (received instanceof Response) return received;
  if (changedMeanwhile(c, id, video.received)) return ruploadError(c, 409, "OffsetInvalidError", "Another upload to this video was received meanwhile.", true);
  if (received.kind === "pulled") {
    const next = await pullVideo(c, video, received.url);
    c.var.store.publishing.updateObject(id, next);
    if (next.failure && !received.ok) return ruploadError(c, 400, "ProcessingFailedError", next.failure);
    return c.json({ success: true });
  }
  let next: FbVideo = { ...video, fileSize: received.fileSize, received: received.offset + received.bytes.byteLength, head: video.head ?? hex(received.bytes.slice(0, 64)) };
  if (next.received === received.fileSize) next = completeUpload(c.var.store, next);
  c.var.store.publishing.updateObject(id, next);
  return c.json({ success: true });
}

async function uploadIgContainer(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const id = c.req.param("id") ?? "";
  const object = store.publishing.object<IgContainer>(id);
  if (!isIgContainer(object) || !object.data.resumable) return unsupported(c, id);
  const account = authorizeIg(c, who, object.account_id, "instagram_content_publish");
  if (account instanceof Response) return account;
  const container = object.data;
  if (container.readyAt !== null) return ruploadError(c, 400, "ProcessingFailedError", "The media has already been uploaded.");
  const received = await readUpload(c, container.received);
  if (received instanceof Response) return received;
  if (changedMeanwhile(c, id, container.received)) return ruploadError(c, 409, "OffsetInvalidError", "Another upload to this container was received meanwhile.", true);
  const now = store.now();
  let next: IgContainer;
  if (received.kind === "pulled") {
    const format = received.head ? sniff(received.head) : "unknown";
    next = { ...container, videoUrl: received.url, fileSize: received.size, received: received.size, head: received.head ? hex(received.head) : null, failureSubcode: !received.ok ? 2207052 : format === "mp4" || format === "mov" ? null : 2207026, readyAt: now + processingMs(store, "video", received.size) };
  } else {
    next = { ...container, fileSize: received.fileSize, received: received.offset + received.bytes.byteLength, head: container.head ?? hex(received.bytes.slice(0, 64)) };
    if (next.received === received.fileSize) {
      const format = next.head ? sniff(unhex(next.head)) : "unknown";
      next = { ...next, failureSubcode: format === "mp4" || format === "mov" ? null : 2207026, readyAt: now + processingMs(store, "video", received.fileSize) };
    }
  }
  store.publishing.updateObject(id, next);
  if (received.kind === "pulled" && !received.ok) return ruploadError(c, 400, "ProcessingFailedError", `Failed to download the media from ${received.url}.`);
  return c.json({ success: true, message: "Upload successful." });
}

export function ruploadRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().post(`/video-upload${V}/:id{[0-9]+}`, uploadFbVideo).post(`/ig-api-upload${V}/:id{[0-9]+}`, uploadIgContainer);
}
