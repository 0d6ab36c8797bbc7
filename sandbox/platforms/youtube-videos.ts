import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { googleError } from "./google-youtube";
import { sniff } from "./meta-publish-common";
import { readSnippet, readStatus } from "./youtube-metadata";
import { chargeQuota } from "./youtube-quota";
import { channelCaller, loadVideo, parseParts, saveVideo, SCOPES, VIDEO_PARTS, videoResource, type Ctx, type YoutubeVideo } from "./youtube-video-store";

/**
 * `videos.list`, `videos.update`, `videos.delete` and `thumbnails.set` (youtube.md §2.4, §2.5, §3).
 * Someone else's private or unlisted video is as good as absent to `videos.list`; update and delete
 * answer 404 `videoNotFound` for a missing video and 403 `forbidden` for another channel's.
 */
const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;
/** Custom thumbnails need a phone-verified channel (§2.5): the Brand Account channel is not verified. */
const UNVERIFIED_CHANNELS = new Set(["UCsbxSamsKitchenBrand001"]);

const notFound = (c: Ctx, id: string) => googleError(c, 404, "NOT_FOUND", "videoNotFound", `The video that you are trying to access cannot be found. Check the value of the id parameter (${id}).`, "youtube.video");

function list(c: Ctx): Response {
  const who = channelCaller(c, SCOPES.read);
  if (who instanceof Response) return who;
  const charged = chargeQuota(c, "videos.list");
  if (charged) return charged;
  const parts = parseParts(c, VIDEO_PARTS);
  if (parts instanceof Response) return parts;
  const ids = (c.req.query("id") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) return googleError(c, 400, "INVALID_ARGUMENT", "missingRequiredParameter", "No filter selected. Expected one of: myRating, id, chart, idParam", "youtube.parameter");
  const store = c.var.store;
  const items = ids
    .map((id) => loadVideo(store, id))
    .filter((v) => v !== null && (v.data.channelId === who.channelId || v.data.status.privacyStatus === "public"))
    .map((v) => videoResource(store, v!, parts, v!.data.channelId === who.channelId));
  return c.json({ kind: "youtube#videoListResponse", etag: "sbx-etag-video-list", items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } });
}

async function update(c: Ctx): Promise<Response> {
  // Read first: workerd complains about a request body left unread after answering early.
  const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
  const who = channelCaller(c, SCOPES.manage);
  if (who instanceof Response) return who;
  const charged = chargeQuota(c, "videos.update");
  if (charged) return charged;
  const parts = parseParts(c, ["id", "snippet", "status"]);
  if (parts instanceof Response) return parts;
  if (!body || typeof body !== "object") return googleError(c, 400, "INVALID_ARGUMENT", "parseError", "Parse Error", "global");
  const id = typeof body.id === "string" ? body.id : "";
  if (!id) return googleError(c, 400, "INVALID_ARGUMENT", "videoNotFound", "The request metadata does not identify the video to update.", "youtube.video");
  const store = c.var.store;
  const current = loadVideo(store, id);
  if (!current) return notFound(c, id);
  if (current.data.channelId !== who.channelId) return googleError(c, 403, "PERMISSION_DENIED", "forbidden", "The video that you are trying to update cannot be updated by this channel.", "youtube.video");
  let next: YoutubeVideo = current.data;
  // Only the parts named in `part` are written; each one replaces the stored part entirely.
  if (parts.includes("snippet")) {
    const snippet = readSnippet(c, body.snippet, { categoryRequired: true });
    if (snippet instanceof Response) return snippet;
    next = { ...next, snippet };
  }
  if (parts.includes("status")) {
    const status = readStatus(c, body.status, store.now());
    if (status instanceof Response) return status;
    next = { ...next, status };
  }
  saveVideo(store, id, next, c.var.receivedAt);
  return c.json(videoResource(store, loadVideo(store, id)!, parts, true));
}

function remove(c: Ctx): Response {
  const who = channelCaller(c, SCOPES.manage);
  if (who instanceof Response) return who;
  const charged = chargeQuota(c, "videos.delete");
  if (charged) return charged;
  const id = c.req.query("id") ?? "";
  const store = c.var.store;
  const current = loadVideo(store, id);
  if (!current) return notFound(c, id);
  if (current.data.channelId !== who.channelId) return googleError(c, 403, "PERMISSION_DENIED", "forbidden", "The video that you are trying to delete cannot be deleted by this channel.", "youtube.video");
  saveVideo(store, id, { ...current.data, deleted: true }, c.var.receivedAt);
  return c.body(null, 204);
}

async function setThumbnail(c: Ctx): Promise<Response> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const who = channelCaller(c, SCOPES.upload);
  if (who instanceof Response) return who;
  const charged = chargeQuota(c, "thumbnails.set");
  if (charged) return charged;
  const id = c.req.query("videoId") ?? "";
  const store = c.var.store;
  const current = loadVideo(store, id);
  if (!current) return notFound(c, id);
  if (current.data.channelId !== who.channelId) return googleError(c, 403, "PERMISSION_DENIED", "forbidden", "The thumbnail can't be set for the specified video.", "youtube.thumbnail");
  if (UNVERIFIED_CHANNELS.has(who.channelId)) return googleError(c, 403, "PERMISSION_DENIED", "forbidden", "The authenticated user doesn't have permissions for uploading and setting custom video thumbnails.", "youtube.thumbnail");
  if (bytes.byteLength === 0) return googleError(c, 400, "INVALID_ARGUMENT", "mediaBodyRequired", "The request does not include the image content.", "youtube.thumbnail");
  if (bytes.byteLength > THUMBNAIL_MAX_BYTES) return googleError(c, 400, "FAILED_PRECONDITION", "failedPrecondition", "The thumbnail image file is too large (at most 2 MB).", "youtube.thumbnail");
  const format = sniff(bytes.subarray(0, 64));
  if (format !== "jpeg" && format !== "png") return googleError(c, 400, "INVALID_ARGUMENT", "imageFormatUnsupported", "The image you provided is in an unsupported format.", "youtube.thumbnail");
  saveVideo(store, id, { ...current.data, thumbnail: { mimeType: `image/${format}`, sizeBytes: bytes.byteLength, setAt: store.now() } }, c.var.receivedAt);
  const base = `https://i.ytimg.com/vi/${id}/custom`;
  return c.json({
    kind: "youtube#thumbnailSetResponse",
    etag: `sbx-thumb-${id}`,
    items: [{ default: { url: `${base}/default.jpg`, width: 120, height: 90 }, medium: { url: `${base}/mqdefault.jpg`, width: 320, height: 180 }, high: { url: `${base}/hqdefault.jpg`, width: 480, height: 360 } }],
  });
}

export function youtubeVideoRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .get("/youtube/v3/videos", list)
    .put("/youtube/v3/videos", update)
    .delete("/youtube/v3/videos", remove)
    .post("/upload/youtube/v3/thumbnails/set", setThumbnail);
}
