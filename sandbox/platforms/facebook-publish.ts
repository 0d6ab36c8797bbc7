import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxPost, SandboxStore } from "../store/store";
import { fieldsOf, graphError, paged, pick } from "./graph-common";
import { authorizePage, boolParam, type Caller, type Ctx, fetchPlatformMedia, graphTime, invalidParam, missingParam, newIds, publishCaller, sniff, unsupported } from "./meta-publish-common";
import { META_PAGES } from "./meta-world";

/**
 * Facebook Page publishing (meta-auth-and-pages.md §3.1–3.3, §4, §8): `/feed` (text, link,
 * multi-photo via `attached_media`), `/photos` (published or unpublished), the Page's post lists, a
 * post by id, delete and comments. Videos and Reels are in facebook-video.ts.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";
const PHOTO_MAX_BYTES = 4 * 1024 * 1024;
const PHOTO_FORMATS = new Set(["jpeg", "png", "gif", "bmp", "tiff"]);

export type FbPhoto = { url: string; caption: string; published: boolean; postId: string | null; attachedTo: string | null };
export type FbComment = { parentId: string; message: string; fromId: string; fromName: string };

export const fbPermalink = (pageId: string, postId: string) => `https://www.facebook.com/${pageId}/posts/${postId.split("_").at(-1)}`;

/** Records a Page post going live (exactly once per go-live call). */
export function recordFbPost(c: Ctx, post: { id: string; pageId: string; kind: string; text: string; media: string[]; permalink?: string; data?: Record<string, unknown> }): SandboxPost {
  return c.var.store.publishing.recordPost({ id: post.id, platform: "facebook", accountId: post.pageId, kind: post.kind, text: post.text, media: post.media, permalink: post.permalink ?? fbPermalink(post.pageId, post.id), data: post.data ?? {}, receivedAt: c.var.receivedAt });
}

/** `attached_media` as a JSON array, or the form-encoded `attached_media[n]={"media_fbid":"…"}` entries. */
function attachedMedia(params: URLSearchParams): string[] | "invalid" {
  const entries: string[] = [];
  const whole = params.get("attached_media");
  if (whole) entries.push(...(safeJson(whole) instanceof Array ? (safeJson(whole) as unknown[]).map((x) => JSON.stringify(x)) : ["invalid"]));
  const indexed = [...params.keys()].map((k) => /^attached_media\[(\d+)\]$/.exec(k)).filter((m): m is RegExpExecArray => m !== null).sort((a, b) => Number(a[1]) - Number(b[1]));
  for (const m of indexed) entries.push(params.get(m[0]) ?? "");
  const ids: string[] = [];
  for (const entry of entries) {
    const parsed = z.object({ media_fbid: z.union([z.string(), z.number()]) }).safeParse(safeJson(entry));
    if (!parsed.success) return "invalid";
    ids.push(String(parsed.data.media_fbid));
  }
  return ids;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function postFeed(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const store = c.var.store;
  const p = who.params;
  const message = p.get("message") ?? "";
  const link = p.get("link");
  const media = attachedMedia(p);
  if (media === "invalid") return invalidParam(c, "Param attached_media must be an array of objects with a media_fbid");
  if (!message && !link && media.length === 0) return graphError(c, { code: 100, message: "(#100) Missing message or attachment" });
  if (link && !/^https?:\/\/\S+$/.test(link)) return graphError(c, { code: 100, subcode: 2061006, message: "(#100) The link you entered is not a valid URL." });
  const photos = [];
  for (const id of media) {
    const photo = store.publishing.object<FbPhoto>(id);
    if (!photo || photo.kind !== "photo" || photo.account_id !== pageId) return invalidParam(c, `Param attached_media[${photos.length}] has an invalid media_fbid ${id}`);
    // An unpublished photo can back one post only (Postiz maps subcode 1366051; envelope code unverified).
    if (photo.data.published || photo.data.attachedTo) return graphError(c, { code: 100, subcode: 1366051, message: "(#100) These photos were already posted." });
    photos.push(photo);
  }
  const published = boolParam(p, "published", true);
  const id = newIds.fbPost(store, pageId);
  const scheduled = p.get("scheduled_publish_time");
  if (scheduled !== null) {
    // Native scheduling wants published=false and a time 10 minutes to 75 days ahead (window partially verified).
    const at = Number(scheduled) * 1000;
    const now = store.now();
    if (published) return graphError(c, { code: 100, message: "(#100) Cannot specify a scheduled publish time on a published post" });
    if (!Number.isFinite(at) || at < now + 10 * 60_000 || at > now + 75 * 86_400_000) return graphError(c, { code: 100, message: "(#100) The specified scheduled publish time is invalid." });
  }
  if (!published) {
    // Unpublished or natively scheduled posts never reach the Page in the sandbox (scheduling is not simulated).
    store.publishing.createObject({ id, platform: "facebook", accountId: pageId, kind: "unpublished_post", data: { message, link, media, scheduledPublishTime: p.get("scheduled_publish_time") } });
    return c.json({ id });
  }
  for (const photo of photos) store.publishing.updateObject(photo.id, { ...photo.data, attachedTo: id });
  const kind = photos.length > 0 ? "multi_photo" : link ? "link" : "feed";
  const post = recordFbPost(c, { id, pageId, kind, text: message, media: photos.length > 0 ? photos.map((ph) => ph.data.url) : link ? [link] : [], data: { link, photoIds: media } });
  const fields = fieldsOf(p, ["id"]);
  return c.json(pick({ id, permalink_url: post.permalink }, fields));
}

async function postPhoto(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const store = c.var.store;
  const p = who.params;
  const url = p.get("url");
  const body = c.req.header("content-type")?.includes("multipart/form-data") ? await c.req.parseBody() : {};
  const source = body.source instanceof File ? body.source : null;
  if (!url && !source) return graphError(c, { code: 324, message: "(#324) Requires upload file" });
  let head: Uint8Array;
  let size: number;
  if (source) {
    const bytes = new Uint8Array(await source.arrayBuffer());
    head = bytes.slice(0, 64);
    size = bytes.byteLength;
  } else {
    const fetched = await fetchPlatformMedia(c, url ?? "");
    // What Graph answers when it cannot download `url` (commonly reported text; unverified subcode-free form).
    if (!fetched.ok) return graphError(c, { code: 324, message: "(#324) Missing or invalid image file" });
    head = fetched.head;
    size = fetched.sizeBytes;
  }
  if (!PHOTO_FORMATS.has(sniff(head)) || size > PHOTO_MAX_BYTES) return graphError(c, { code: 100, subcode: 1366046, message: "(#100) Invalid parameter", userMsg: "Your photo couldn't be uploaded. Photos should be less than 4 MB and saved as JPG, PNG, GIF, TIFF, HEIF or WebP files." });
  const caption = p.get("caption") ?? p.get("message") ?? "";
  const published = boolParam(p, "published", true);
  const photoId = newIds.fbObject(store);
  const source_ = url ?? `upload:${photoId}`;
  if (!published) {
    store.publishing.createObject<FbPhoto>({ id: photoId, platform: "facebook", accountId: pageId, kind: "photo", data: { url: source_, caption, published: false, postId: null, attachedTo: null } });
    return c.json({ id: photoId });
  }
  const postId = newIds.fbPost(store, pageId);
  store.publishing.createObject<FbPhoto>({ id: photoId, platform: "facebook", accountId: pageId, kind: "photo", data: { url: source_, caption, published: true, postId, attachedTo: null } });
  recordFbPost(c, { id: postId, pageId, kind: "photo", text: caption, media: [source_], permalink: `https://www.facebook.com/photo.php?fbid=${photoId}`, data: { photoId } });
  return c.json({ id: photoId, post_id: postId });
}

/** `POST /{page}/photo_stories photo_id=…`: an unpublished photo of the Page becomes a story → `{success, post_id}`. */
async function postPhotoStory(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const store = c.var.store;
  const photoId = who.params.get("photo_id");
  if (!photoId) return missingParam(c, "photo_id");
  const photo = store.publishing.object<FbPhoto>(photoId);
  if (!photo || photo.kind !== "photo" || photo.account_id !== pageId) return unsupported(c, photoId);
  if (photo.data.published || photo.data.attachedTo) return graphError(c, { code: 100, subcode: 1366051, message: "(#100) These photos were already posted." });
  const postId = newIds.fbPost(store, pageId);
  store.publishing.updateObject(photo.id, { ...photo.data, attachedTo: postId });
  // The story permalink form is unverified.
  recordFbPost(c, { id: postId, pageId, kind: "story", text: "", media: [photo.data.url], permalink: `https://www.facebook.com/stories/${pageId}/${photoId}`, data: { photoId } });
  return c.json({ success: true, post_id: postId });
}

/** A Page post as Graph renders it (`id,message,created_time,permalink_url,…`). */
export function renderFbPost(post: SandboxPost, fields: Set<string>): Record<string, unknown> {
  const page = META_PAGES.find((p) => p.id === post.account_id);
  const statusType = { photo: "added_photos", multi_photo: "added_photos", video: "added_video", reel: "added_video", link: "shared_story" }[post.kind] ?? "mobile_status_update";
  return pick(
    {
      id: post.id,
      message: post.text || undefined,
      created_time: graphTime(post.published_at),
      updated_time: graphTime(post.published_at),
      permalink_url: post.permalink,
      is_published: true,
      status_type: statusType,
      full_picture: post.kind === "photo" || post.kind === "multi_photo" ? post.media[0] : undefined,
      from: page ? { id: page.id, name: page.name } : undefined,
    },
    fields,
  );
}

/** `/{page}/published_posts` and `/{page}/feed`: the Page's live posts, newest first, paged. */
async function listPosts(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const fields = fieldsOf(who.params, ["id", "message", "created_time"]);
  const posts = c.var.store.publishing.posts({ platform: "facebook", accountId: pageId });
  return c.json(paged(c, posts.map((post) => renderFbPost(post, fields)), who.params, who.raw));
}

/** The Page a post-like id belongs to, for authorization: `{pageId}_{n}` posts, photos, videos, comments. */
export function fbOwner(store: SandboxStore, id: string): string | null {
  const post = store.publishing.post(id);
  if (post?.platform === "facebook") return post.account_id;
  const object = store.publishing.object(id);
  if (object?.platform === "facebook") return object.account_id;
  return null;
}

/** `POST /{object-id}/comments` on a Page post, photo or video (as the Page). Recorded as objects of kind "comment". */
export async function commentOnFb(c: Ctx, who: Caller, id: string, pageId: string): Promise<Response> {
  const page = authorizePage(c, who, pageId, "pages_manage_engagement");
  if (page instanceof Response) return page;
  const post = c.var.store.publishing.post(id);
  if (post?.deleted_at) return unsupported(c, id);
  const message = who.params.get("message") ?? "";
  if (!message && !who.params.get("attachment_url")) return graphError(c, { code: 100, message: "(#100) Missing message or attachment" });
  const commentId = newIds.fbComment(c.var.store, id);
  c.var.store.publishing.createObject<FbComment>({ id: commentId, platform: "facebook", accountId: pageId, kind: "comment", data: { parentId: id, message, fromId: page.id, fromName: page.name } });
  return c.json({ id: commentId });
}

/** `DELETE /{post-id}` (or a photo/video id): the post leaves the Page. */
export async function deleteFb(c: Ctx, who: Caller, id: string, pageId: string): Promise<Response> {
  const page = authorizePage(c, who, pageId, "pages_manage_posts");
  if (page instanceof Response) return page;
  const store = c.var.store;
  const object = store.publishing.object<{ postId?: string | null }>(id);
  const postId = store.publishing.post(id) ? id : (object?.data.postId ?? null);
  if (object?.kind === "comment") {
    store.publishing.updateObject(id, { ...object.data, deleted: true });
    return c.json({ success: true });
  }
  if (!postId || !store.publishing.deletePost(postId)) return unsupported(c, id);
  return c.json({ success: true });
}

/** `/{page-id}/feed`, `/photos`, `/published_posts` on graph.facebook.com. */
export function facebookPublishRoutes(): Hono<SandboxEnv> {
  const withPage = (permission: "pages_manage_posts" | "pages_read_engagement", handler: (c: Ctx, who: Caller, pageId: string) => Promise<Response>) => async (c: Ctx) => {
    const who = await publishCaller(c);
    if (who instanceof Response) return who;
    const pageId = c.req.param("id") ?? "";
    const page = authorizePage(c, who, pageId, permission);
    if (page instanceof Response) return page;
    return handler(c, who, pageId);
  };
  return new Hono<SandboxEnv>()
    .post(`${V}/:id{[0-9]+}/feed`, withPage("pages_manage_posts", postFeed))
    .get(`${V}/:id{[0-9]+}/feed`, withPage("pages_read_engagement", listPosts))
    .get(`${V}/:id{[0-9]+}/published_posts`, withPage("pages_read_engagement", listPosts))
    .post(`${V}/:id{[0-9]+}/photos`, withPage("pages_manage_posts", postPhoto))
    .post(`${V}/:id{[0-9]+}/photo_stories`, withPage("pages_manage_posts", postPhotoStory));
}
