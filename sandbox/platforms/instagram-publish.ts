import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { fieldsOf, graphError, paged, pick } from "./graph-common";
import { containerStatus, igKinds, igPermalink, isIgContainer, renderIgMedia, type IgContainer, type IgMediaType } from "./instagram-containers";
import { authorizeIg, boolParam, type Caller, type Ctx, DAY, fetchPlatformMedia, hex, jpegSize, missingParam, newIds, processingMs, publishCaller, publishingSettings, sniff, unsupported } from "./meta-publish-common";
import type { MetaIgAccount } from "./meta-world";

/**
 * Instagram publishing via a Facebook Page (instagram.md §2–§3, §8, §10): `POST /{ig}/media`
 * containers (IMAGE, CAROUSEL + items, REELS, STORIES; `upload_type=resumable`), `media_publish`,
 * `content_publishing_limit`, `GET /{ig}/media` and `/stories`, and comments on published media.
 * Container status and rendering live in instagram-containers.ts; rupload in meta-rupload.ts.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";
const CAPTION_MAX = 2200;
const IMAGE_MAX_BYTES = 8 * 1024 * 1024;
const MEDIA_TYPES = new Set<IgMediaType>(["IMAGE", "VIDEO", "REELS", "STORIES", "CAROUSEL"]);

/** Every `media_publish` refusal for a container that cannot go out now says "Media ID is not available" (9007). */
const notAvailable = (c: Ctx, subcode: number, userMsg: string) => graphError(c, { code: 9007, subcode, message: "Media ID is not available", userMsg });

/** The error IG gives when it cannot download `image_url` / `video_url` at container creation. */
const downloadFailed = (c: Ctx, url: string) =>
  graphError(c, { code: 9004, subcode: 2207052, message: "Only photo or video can be accepted as media type.", userMsg: `The media could not be fetched from this uri: ${url}. Please check if the uri is valid and publicly accessible.` });

function childrenOf(raw: string | null): string[] {
  if (!raw) return [];
  if (raw.trim().startsWith("[")) {
    try {
      return (JSON.parse(raw) as unknown[]).map(String);
    } catch {
      return ["invalid"];
    }
  }
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Checks an image URL the way IG does at creation: fetchable, JPEG, ≤ 8 MB, aspect ratio 4:5 … 1.91:1 for feed images. */
async function checkImage(c: Ctx, url: string, checkAspect: boolean): Promise<Response | { size: number; head: Uint8Array }> {
  const fetched = await fetchPlatformMedia(c, url);
  if (!fetched.ok) return downloadFailed(c, url);
  // Format and size envelopes (code 100 with 2207005 / 2207004) are unverified; the subcodes are from the doc's table.
  if (sniff(fetched.head) !== "jpeg") return graphError(c, { code: 100, subcode: 2207005, message: "(#100) The image format is not supported.", userMsg: "The image format is not supported. Supported formats are: JPEG." });
  if (fetched.sizeBytes > IMAGE_MAX_BYTES) return graphError(c, { code: 100, subcode: 2207004, message: "(#100) The image is too large.", userMsg: "The image is too large to download. It should be less than 8 MiB." });
  const size = jpegSize(fetched.head);
  if (checkAspect && size && size.height > 0) {
    const ratio = size.width / size.height;
    if (ratio < 0.8 - 1e-9 || ratio > 1.91 + 1e-9) {
      return graphError(c, { code: 36003, subcode: 2207009, message: "The aspect ratio is not supported.", userMsg: `The submitted image with aspect ratio ('${size.width}/${size.height}',) cannot be published. Please submit an image with a valid aspect ratio.` });
    }
  }
  return { size: fetched.sizeBytes, head: fetched.head };
}

/** `POST /{ig-user-id}/media`: one container (synchronous checks, then processing by time). */
async function createContainer(c: Ctx, who: Caller, account: MetaIgAccount): Promise<Response> {
  const store = c.var.store;
  const p = who.params;
  const isCarouselItem = boolParam(p, "is_carousel_item", false);
  const imageUrl = p.get("image_url");
  const videoUrl = p.get("video_url");
  const resumable = p.get("upload_type") === "resumable";
  const rawType = (p.get("media_type") ?? (imageUrl ? "IMAGE" : "")).toUpperCase();
  if (!rawType) return missingParam(c, "image_url");
  if (!MEDIA_TYPES.has(rawType as IgMediaType)) return graphError(c, { code: 100, message: "(#100) Param media_type must be one of {CAROUSEL, IMAGE, REELS, STORIES, VIDEO}" });
  const mediaType = rawType as IgMediaType;
  // Single feed videos are Reels now; VIDEO is only for carousel items (error text unverified).
  if (mediaType === "VIDEO" && !isCarouselItem) return graphError(c, { code: 100, subcode: 2207023, message: "(#100) The VIDEO media type is no longer supported. Use REELS instead." });
  if (mediaType === "CAROUSEL" && isCarouselItem) return graphError(c, { code: 100, subcode: 2207028, message: "(#100) A carousel cannot be a carousel item." });
  // Stories take no caption through the API: the sandbox ignores one (the real behaviour is unverified).
  const caption = mediaType === "STORIES" || isCarouselItem ? "" : (p.get("caption") ?? "");
  if (caption.length > CAPTION_MAX) return graphError(c, { code: 100, subcode: 2207010, message: "(#100) The caption is too long.", userMsg: `The caption must be at most ${CAPTION_MAX} characters.` });

  const container: IgContainer = { mediaType, isCarouselItem, caption, imageUrl: null, videoUrl: null, children: [], resumable: false, fileSize: null, received: 0, head: null, readyAt: null, failureSubcode: null, shareToFeed: boolParam(p, "share_to_feed", true), publishedMediaId: null, options: {} };
  for (const key of ["alt_text", "location_id", "user_tags", "collaborators", "cover_url", "thumb_offset", "trial_params", "audio_configuration"]) {
    const value = p.get(key);
    if (value !== null) container.options[key] = value;
  }
  const now = store.now();

  if (mediaType === "CAROUSEL") {
    const children = childrenOf(p.get("children"));
    if (children.length < 2 || children.length > 10) return graphError(c, { code: 100, subcode: 2207028, message: "(#100) The carousel has too little or too many attachments.", userMsg: "A carousel takes 2 to 10 items." });
    for (const [index, id] of children.entries()) {
      const child = store.publishing.object<IgContainer>(id);
      if (!isIgContainer(child) || child.account_id !== account.id || !child.data.isCarouselItem || child.data.publishedMediaId) {
        return graphError(c, { code: 100, subcode: 2207028, message: `(#100) Param children[${index}] must be a carousel item container of this account.` });
      }
    }
    container.children = children;
    container.readyAt = now + processingMs(store, "image", 0);
  } else if (videoUrl && (mediaType === "REELS" || mediaType === "STORIES" || mediaType === "VIDEO")) {
    // Meta pulls the video at creation; a failure shows as an ERROR status once "processing" ends.
    const fetched = await fetchPlatformMedia(c, videoUrl);
    container.videoUrl = videoUrl;
    if (!fetched.ok) {
      container.failureSubcode = 2207052;
      container.readyAt = now + processingMs(store, "video", 0);
    } else {
      const format = sniff(fetched.head);
      container.fileSize = fetched.sizeBytes;
      container.received = fetched.sizeBytes;
      container.head = hex(fetched.head);
      container.failureSubcode = format === "mp4" || format === "mov" ? null : 2207026;
      container.readyAt = now + processingMs(store, "video", fetched.sizeBytes);
    }
  } else if (resumable && (mediaType === "REELS" || mediaType === "STORIES" || mediaType === "VIDEO")) {
    container.resumable = true;
  } else if (mediaType === "REELS" || mediaType === "VIDEO") {
    return missingParam(c, "video_url");
  } else {
    if (!imageUrl) return missingParam(c, "image_url");
    const checked = await checkImage(c, imageUrl, mediaType !== "STORIES");
    if (checked instanceof Response) return checked;
    container.imageUrl = imageUrl;
    container.fileSize = checked.size;
    container.head = hex(checked.head);
    container.readyAt = now + processingMs(store, "image", checked.size);
  }

  const id = newIds.igContainer(store);
  store.publishing.createObject<IgContainer>({ id, platform: "instagram", accountId: account.id, kind: "container", data: container });
  if (container.resumable) return c.json({ id, uri: `https://rupload.facebook.com/ig-api-upload/${c.req.param("version")}/${id}` });
  return c.json({ id });
}

/** `POST /{ig-user-id}/media_publish creation_id=…`: the irreversible step; records the post exactly once. */
async function publish(c: Ctx, who: Caller, account: MetaIgAccount): Promise<Response> {
  const store = c.var.store;
  const creationId = who.params.get("creation_id");
  if (!creationId) return missingParam(c, "creation_id");
  const object = store.publishing.object<IgContainer>(creationId);
  // Unknown / foreign container: "media not found" (2207006); pairing with 9007 unverified.
  if (!isIgContainer(object) || object.account_id !== account.id) return notAvailable(c, 2207006, "The media container could not be found.");
  if (object.data.isCarouselItem) return graphError(c, { code: 100, subcode: 2207028, message: "(#100) A carousel item cannot be published by itself." });
  const status = containerStatus(store, object);
  // Republishing a PUBLISHED container: the doc does not say which error comes back. The sandbox answers
  // 9007 "Media ID is not available" (unverified), which sends a careful client back to polling the
  // container, where status_code PUBLISHED tells it the post already went out.
  if (status.code === "PUBLISHED") return notAvailable(c, 2207027, "This media has already been published.");
  if (status.code === "EXPIRED") return notAvailable(c, 2207008, "The media container has expired. Create a new one."); // subcode per doc table, pairing unverified
  if (status.code === "ERROR") return notAvailable(c, status.subcode ?? 2207027, `The media could not be processed: ${status.text}`);
  if (status.code === "IN_PROGRESS") return notAvailable(c, 2207027, "The media is not ready for publishing, please wait for a moment");
  const settings = publishingSettings(store);
  if (store.publishing.countPostsSince("instagram", account.id, store.now() - DAY) >= settings.igPublishLimitPerDay) {
    // Code 9 / subcode 2207042 per the doc; message wording unverified.
    return graphError(c, { code: 9, subcode: 2207042, message: "Application request limit reached", userMsg: "The maximum number of posts that can be published via the API in a 24 hour period has been reached." });
  }
  const mediaId = newIds.igMedia(store);
  const kinds = igKinds(object.data);
  store.publishing.updateObject(object.id, { ...object.data, publishedMediaId: mediaId });
  const children = object.data.children.map((id) => store.publishing.object<IgContainer>(id)).filter(isIgContainer);
  // Published with their carousel: a child cannot go into another carousel afterwards.
  for (const child of children) store.publishing.updateObject(child.id, { ...child.data, publishedMediaId: mediaId });
  const media = object.data.mediaType === "CAROUSEL" ? children.map((ch) => ch.data.imageUrl ?? ch.data.videoUrl ?? `upload:${ch.id}`) : [object.data.imageUrl ?? object.data.videoUrl ?? `upload:${object.id}`];
  store.publishing.recordPost({
    id: mediaId,
    platform: "instagram",
    accountId: account.id,
    kind: kinds.kind,
    text: object.data.caption,
    media,
    permalink: igPermalink(account.id, mediaId, kinds.kind),
    // Carousel children are reported by their container ids (the sandbox mints no separate child media).
    data: { containerId: object.id, mediaType: kinds.mediaType, productType: kinds.productType, childMediaIds: object.data.children, shareToFeed: object.data.shareToFeed },
    receivedAt: c.var.receivedAt,
  });
  return c.json({ id: mediaId });
}

/** `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config[&since=]`. */
function publishingLimit(c: Ctx, who: Caller, account: MetaIgAccount): Response {
  const store = c.var.store;
  const since = Number(who.params.get("since") ?? "0") * 1000;
  const from = Math.max(store.now() - DAY, Number.isFinite(since) ? since : 0);
  const usage = store.publishing.countPostsSince("instagram", account.id, from);
  const fields = fieldsOf(who.params, ["quota_usage"]);
  const row = pick({ quota_usage: usage, config: { quota_total: publishingSettings(store).igPublishLimitPerDay, quota_duration: 86_400 } }, fields);
  delete row.id;
  return c.json({ data: [row] });
}

/** `GET /{ig-user-id}/media`: published media, newest first (what a client reconciles against). */
function listMedia(c: Ctx, who: Caller, account: MetaIgAccount): Response {
  const fields = fieldsOf(who.params, ["id"]);
  const posts = c.var.store.publishing.posts({ platform: "instagram", accountId: account.id }).filter((p) => p.kind !== "story");
  return c.json(paged(c, posts.map((p) => renderIgMedia(c.var.store, p, fields)), who.params, who.raw));
}

/** `GET /{ig-user-id}/stories`: the account's live stories (published within the last 24 h), newest first. */
function listStories(c: Ctx, who: Caller, account: MetaIgAccount): Response {
  const fields = fieldsOf(who.params, ["id"]);
  const since = c.var.store.now() - DAY;
  const posts = c.var.store.publishing.posts({ platform: "instagram", accountId: account.id }).filter((p) => p.kind === "story" && p.published_at >= since);
  return c.json(paged(c, posts.map((p) => renderIgMedia(c.var.store, p, fields)), who.params, who.raw));
}

/** `POST /{ig-media-id}/comments message=…`: a comment by the account on its own media. */
export async function commentOnIg(c: Ctx, who: Caller, mediaId: string, igId: string): Promise<Response> {
  const account = authorizeIg(c, who, igId, "instagram_manage_comments");
  if (account instanceof Response) return account;
  const post = c.var.store.publishing.post(mediaId);
  if (!post || post.deleted_at) return unsupported(c, mediaId);
  const message = who.params.get("message");
  if (!message) return missingParam(c, "message");
  const id = newIds.igComment(c.var.store);
  c.var.store.publishing.createObject({ id, platform: "instagram", accountId: igId, kind: "comment", data: { parentId: mediaId, message, username: account.username } });
  return c.json({ id });
}

/** IG-user edges on graph.facebook.com. */
export function instagramPublishRoutes(): Hono<SandboxEnv> {
  const withIg =
    (permission: "instagram_content_publish" | "instagram_basic", handler: (c: Ctx, who: Caller, account: MetaIgAccount) => Promise<Response> | Response) =>
    async (c: Ctx) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      const account = authorizeIg(c, who, c.req.param("id") ?? "", permission);
      if (account instanceof Response) return account;
      return handler(c, who, account);
    };
  return new Hono<SandboxEnv>()
    .post(`${V}/:id{[0-9]+}/media`, withIg("instagram_content_publish", createContainer))
    .post(`${V}/:id{[0-9]+}/media_publish`, withIg("instagram_content_publish", publish))
    .get(`${V}/:id{[0-9]+}/content_publishing_limit`, withIg("instagram_content_publish", publishingLimit))
    .get(`${V}/:id{[0-9]+}/media`, withIg("instagram_basic", listMedia))
    .get(`${V}/:id{[0-9]+}/stories`, withIg("instagram_basic", listStories));
}
