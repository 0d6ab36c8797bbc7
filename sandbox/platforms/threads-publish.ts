import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS } from "../apps";
import type { SandboxObject, SandboxPost, SandboxStore } from "../store/store";
import { checkToken, fieldsOf, graphError, graphParams, paged, pick, tokenOf } from "./graph-common";
import { DAY, SECOND, fetchPlatformMedia, graphTime, nextSeq, publishingSettings, sniff, type Ctx } from "./meta-publish-common";

/**
 * Threads publishing (shared/platforms/threads.md §2–§3): `POST /{user}/threads` containers (TEXT,
 * IMAGE, VIDEO, CAROUSEL + items), `GET /{container}?fields=status,error_message`, `threads_publish`,
 * `GET /{media}?fields=id,permalink,…`, `GET /{user}/threads` (published posts, newest first),
 * `threads_publishing_limit` and `DELETE /{media}`.
 *
 * State machine (as Instagram's, with the field named `status`): IN_PROGRESS → FINISHED | ERROR at
 * `readyAt` (computed lazily from sandbox time, scaled by `processingScale`), FINISHED → PUBLISHED
 * (threads_publish), any unpublished container → EXPIRED 24 h after creation. A carousel is
 * IN_PROGRESS while any child is, ERROR if a child is.
 */
const APP = SANDBOX_APPS.threads;
const V = "/v1.0";
const USER = ":user{[0-9]+|me}";
const ID = ":id{[0-9]+}";
const PROFILE_ID = "25123456789012345";
const USERNAME = "sam.sandbox";
const TEXT_MAX = 500;
const IMAGE_MAX_BYTES = 8 * 1024 * 1024;
const POSTS_PER_DAY = 250;
const DELETES_PER_DAY = 100;
const REPLIES_PER_DAY = 1000;

type ThreadsMediaType = "TEXT" | "IMAGE" | "VIDEO" | "CAROUSEL";
const MEDIA_TYPES = new Set<ThreadsMediaType>(["TEXT", "IMAGE", "VIDEO", "CAROUSEL"]);

export type ThreadsContainer = {
  mediaType: ThreadsMediaType;
  isCarouselItem: boolean;
  text: string;
  imageUrl: string | null;
  videoUrl: string | null;
  children: string[];
  readyAt: number;
  /** Set when processing fails: the `error_message` the ERROR status reports. */
  errorMessage: string | null;
  publishedMediaId: string | null;
  options: Record<string, string>;
};

type Status = "IN_PROGRESS" | "FINISHED" | "PUBLISHED" | "ERROR" | "EXPIRED";

const isContainer = (o: SandboxObject | null): o is SandboxObject<ThreadsContainer> => o?.platform === "threads" && o.kind === "container";

const newContainerId = (store: SandboxStore) => `1790${String(nextSeq(store)).padStart(13, "0")}`;
const newMediaId = (store: SandboxStore) => `1800${String(nextSeq(store)).padStart(13, "0")}`;

function shortcode(mediaId: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let n = BigInt(mediaId);
  let out = "";
  while (n > 0n) {
    out = alphabet[Number(n % 64n)] + out;
    n /= 64n;
  }
  return out || "A";
}

const permalinkOf = (mediaId: string) => `https://www.threads.net/@${USERNAME}/post/${shortcode(mediaId)}`;

/** Processing time: text and images ~1 s, videos 10 s + 1 s per MB (capped at 120 s), scaled by `processingScale`. */
function processingMs(store: SandboxStore, kind: "text" | "image" | "video", sizeBytes: number): number {
  const base = kind === "video" ? Math.min(10 * SECOND + Math.ceil(sizeBytes / 1_000_000) * SECOND, 120 * SECOND) : SECOND;
  return Math.round(base * publishingSettings(store).processingScale);
}

export function threadsContainerStatus(store: SandboxStore, object: SandboxObject<ThreadsContainer>): { status: Status; errorMessage: string | null } {
  const c = object.data;
  const of = (status: Status) => ({ status, errorMessage: null });
  if (c.publishedMediaId) return of("PUBLISHED");
  if (store.now() - object.created_at >= DAY) return of("EXPIRED");
  if (store.now() < c.readyAt) return of("IN_PROGRESS");
  if (c.errorMessage) return { status: "ERROR", errorMessage: c.errorMessage };
  if (c.mediaType === "CAROUSEL") {
    const children = c.children.map((id) => store.publishing.object<ThreadsContainer>(id)).filter(isContainer).map((child) => threadsContainerStatus(store, child));
    const failed = children.find((s) => s.status === "ERROR" || s.status === "EXPIRED");
    if (failed) return { status: "ERROR", errorMessage: failed.errorMessage ?? "UNKNOWN" };
    if (children.some((s) => s.status === "IN_PROGRESS")) return of("IN_PROGRESS");
  }
  return of("FINISHED");
}

// ── caller ─────────────────────────────────────────────────────────────────

type Caller = { params: URLSearchParams; raw: string; scopes: string[] };

/** The checked token; every endpoint needs `threads_basic`, publishing `threads_content_publish`. */
async function caller(c: Ctx, permission: "threads_basic" | "threads_content_publish" | "delete"): Promise<Caller | Response> {
  const params = await graphParams(c);
  const raw = tokenOf(c, params);
  const checked = checkToken(c, c.var.store, "threads", APP.clientId, raw);
  if (!checked.ok) return checked.response;
  const scopes = checked.grant.scopes;
  const denied = () => graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
  if (!scopes.includes("threads_basic")) return denied();
  if (permission === "threads_content_publish" && !scopes.includes("threads_content_publish")) return denied();
  // Deleting takes `threads_delete` (name unverified); the sandbox also accepts `threads_content_publish`.
  if (permission === "delete" && !scopes.includes("threads_delete") && !scopes.includes("threads_content_publish")) return denied();
  const user = c.req.param("user");
  if (user !== undefined && user !== "me" && user !== PROFILE_ID) return unsupported(c, user);
  return { params, raw: raw ?? "", scopes };
}

function unsupported(c: Ctx, id: string): Response {
  const verb = c.req.method === "GET" ? "get" : c.req.method === "DELETE" ? "delete" : "post";
  return graphError(c, {
    code: 100,
    subcode: 33,
    type: "GraphMethodException",
    message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  });
}

const invalid = (c: Ctx, message: string) => graphError(c, { code: 100, message: `(#100) ${message}` });

/**
 * `threads_publish` on a container that cannot go out now (in progress, failed, expired, already
 * published, unknown). The envelope (code 24 / subcode 4279009, "Media Not Found") is what Threads
 * clients report for publishing too early (unverified for the other cases).
 */
const notPublishable = (c: Ctx, userMsg: string) => graphError(c, { code: 24, subcode: 4279009, message: "The requested resource does not exist", userMsg });

// ── handlers ───────────────────────────────────────────────────────────────

/** `POST /{user}/threads`: one container (synchronous checks, then processing by time). */
async function createContainer(c: Ctx): Promise<Response> {
  const who = await caller(c, "threads_content_publish");
  if (who instanceof Response) return who;
  const store = c.var.store;
  const p = who.params;
  const rawType = (p.get("media_type") ?? "").toUpperCase();
  if (!rawType) return invalid(c, "The parameter media_type is required");
  if (!MEDIA_TYPES.has(rawType as ThreadsMediaType)) return invalid(c, "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}");
  const mediaType = rawType as ThreadsMediaType;
  const isCarouselItem = ["true", "1"].includes((p.get("is_carousel_item") ?? "").toLowerCase());
  if (isCarouselItem && (mediaType === "TEXT" || mediaType === "CAROUSEL")) return invalid(c, "Only IMAGE and VIDEO containers can be carousel items");
  const text = isCarouselItem ? "" : (p.get("text") ?? "");
  if ([...text].length > TEXT_MAX) return graphError(c, { code: 100, message: `(#100) Param text must be at most ${TEXT_MAX} characters long.`, userMsg: `text must be at most ${TEXT_MAX} characters` });
  const imageUrl = p.get("image_url");
  const videoUrl = p.get("video_url");
  const options: Record<string, string> = {};
  for (const key of ["reply_control", "reply_to_id", "quote_post_id", "alt_text", "link_attachment", "topic_tag"]) {
    const value = p.get(key);
    if (value !== null) options[key] = value;
  }
  if (options.reply_to_id && !store.publishing.post(options.reply_to_id)) return unsupported(c, options.reply_to_id);
  const now = store.now();
  const container: ThreadsContainer = { mediaType, isCarouselItem, text, imageUrl: null, videoUrl: null, children: [], readyAt: now, errorMessage: null, publishedMediaId: null, options };

  switch (mediaType) {
    case "TEXT":
      if (imageUrl || videoUrl) return invalid(c, "A TEXT post cannot have image_url or video_url");
      if (!text.trim()) return invalid(c, "The parameter text is required");
      container.readyAt = now + processingMs(store, "text", 0);
      break;
    case "IMAGE": {
      if (!imageUrl) return invalid(c, "The parameter image_url is required");
      const fetched = await fetchPlatformMedia(c, imageUrl);
      if (!fetched.ok) return graphError(c, { code: 100, subcode: 2207052, message: "The media could not be fetched from this URI", userMsg: `The media could not be fetched from this URI: ${imageUrl}` });
      const format = sniff(fetched.head);
      if (format !== "jpeg" && format !== "png") return invalid(c, "The image format is not supported. Supported formats are: JPEG, PNG.");
      if (fetched.sizeBytes > IMAGE_MAX_BYTES) return invalid(c, "The image is too large. It should be at most 8 MB.");
      container.imageUrl = imageUrl;
      container.readyAt = now + processingMs(store, "image", fetched.sizeBytes);
      break;
    }
    case "VIDEO": {
      if (!videoUrl) return invalid(c, "The parameter video_url is required");
      container.videoUrl = videoUrl;
      const fetched = await fetchPlatformMedia(c, videoUrl);
      // Video problems surface on the container's status (error_message), not at creation.
      if (!fetched.ok) container.errorMessage = "FAILED_DOWNLOADING_VIDEO";
      else if (!["mp4", "mov"].includes(sniff(fetched.head))) container.errorMessage = "FAILED_PROCESSING_VIDEO";
      container.readyAt = now + processingMs(store, "video", fetched.ok ? fetched.sizeBytes : 0);
      break;
    }
    case "CAROUSEL": {
      const children = (p.get("children") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      if (children.length < 2 || children.length > 20) return invalid(c, "A carousel needs 2 to 20 children");
      for (const id of children) {
        const child = store.publishing.object<ThreadsContainer>(id);
        if (!isContainer(child) || child.account_id !== PROFILE_ID || !child.data.isCarouselItem) return invalid(c, `The child ${id} is not a carousel item container`);
        if (child.data.publishedMediaId) return invalid(c, `The child ${id} has already been published`);
      }
      container.children = children;
      break;
    }
  }
  const id = newContainerId(store);
  store.publishing.createObject({ id, platform: "threads", accountId: PROFILE_ID, kind: "container", data: container });
  return c.json({ id });
}

/** `POST /{user}/threads_publish creation_id=…`: the one go-live call. */
async function publish(c: Ctx): Promise<Response> {
  const who = await caller(c, "threads_content_publish");
  if (who instanceof Response) return who;
  const store = c.var.store;
  const creationId = who.params.get("creation_id");
  if (!creationId) return invalid(c, "The parameter creation_id is required");
  const object = store.publishing.object<ThreadsContainer>(creationId);
  if (!isContainer(object) || object.account_id !== PROFILE_ID) return notPublishable(c, "Media Not Found");
  if (object.data.isCarouselItem) return invalid(c, "A carousel item cannot be published by itself");
  const status = threadsContainerStatus(store, object);
  // A PUBLISHED container never goes out twice: the client re-reads the container, whose status says it went out.
  if (status.status === "PUBLISHED") return notPublishable(c, "This media has already been published.");
  if (status.status === "IN_PROGRESS") return notPublishable(c, "Media Not Found: the media is still being processed, please wait for a moment.");
  if (status.status === "ERROR") return notPublishable(c, `The media could not be processed: ${status.errorMessage ?? "UNKNOWN"}`);
  if (status.status === "EXPIRED") return notPublishable(c, "The media container has expired. Create a new one.");
  const replyTo = object.data.options.reply_to_id ?? null;
  const usage = usageSince(store, store.now() - DAY);
  if (!replyTo && usage.posts >= POSTS_PER_DAY) {
    // Code 9 as Instagram's publishing limit (unverified for Threads).
    return graphError(c, { code: 9, subcode: 2207042, message: "Application request limit reached", userMsg: `The maximum number of posts (${POSTS_PER_DAY}) that can be published in a 24 hour period has been reached.` });
  }
  if (replyTo && usage.replies >= REPLIES_PER_DAY) {
    return graphError(c, { code: 9, subcode: 2207042, message: "Application request limit reached", userMsg: `The maximum number of replies (${REPLIES_PER_DAY}) that can be published in a 24 hour period has been reached.` });
  }
  const mediaId = newMediaId(store);
  store.publishing.updateObject(object.id, { ...object.data, publishedMediaId: mediaId });
  const children = object.data.children.map((id) => store.publishing.object<ThreadsContainer>(id)).filter(isContainer);
  for (const child of children) store.publishing.updateObject(child.id, { ...child.data, publishedMediaId: mediaId });
  const media = object.data.mediaType === "CAROUSEL" ? children.map((ch) => ch.data.imageUrl ?? ch.data.videoUrl ?? "") : [object.data.imageUrl ?? object.data.videoUrl].filter((u): u is string => !!u);
  store.publishing.recordPost({
    id: mediaId,
    platform: "threads",
    accountId: PROFILE_ID,
    kind: replyTo ? "reply" : object.data.mediaType.toLowerCase(),
    text: object.data.text,
    media,
    permalink: permalinkOf(mediaId),
    data: { containerId: object.id, mediaType: object.data.mediaType === "CAROUSEL" ? "CAROUSEL_ALBUM" : object.data.mediaType === "TEXT" ? "TEXT_POST" : object.data.mediaType, childContainerIds: object.data.children, options: object.data.options, replyToId: replyTo },
    receivedAt: c.var.receivedAt,
  });
  return c.json({ id: mediaId });
}

function renderPost(post: SandboxPost, fields: Set<string>): Record<string, unknown> {
  return pick(
    {
      id: post.id,
      media_product_type: "THREADS",
      media_type: post.data.mediaType,
      media_url: post.kind === "image" || post.kind === "video" ? post.media[0] : undefined,
      permalink: post.permalink,
      owner: { id: post.account_id },
      username: USERNAME,
      text: post.text || undefined,
      timestamp: graphTime(post.published_at),
      shortcode: shortcode(post.id),
      is_quote_post: false,
    },
    fields,
  );
}

/** `GET /{container-id}?fields=status,error_message` or `GET /{media-id}?fields=id,permalink,…`. */
async function readNode(c: Ctx): Promise<Response> {
  const who = await caller(c, "threads_basic");
  if (who instanceof Response) return who;
  const store = c.var.store;
  const id = c.req.param("id") ?? "";
  const fields = fieldsOf(who.params, ["id"]);
  const object = store.publishing.object<ThreadsContainer>(id);
  if (isContainer(object) && object.account_id === PROFILE_ID) {
    const status = threadsContainerStatus(store, object);
    return c.json(pick({ id: object.id, status: status.status, error_message: status.errorMessage ?? undefined }, fields));
  }
  const post = store.publishing.post(id);
  if (!post || post.platform !== "threads" || post.deleted_at) return unsupported(c, id);
  return c.json(renderPost(post, fields));
}

/** Posts and replies published in the window (replies have their own daily limit, threads.md §3). */
function usageSince(store: SandboxStore, since: number): { posts: number; replies: number } {
  const recent = store.publishing.posts({ platform: "threads", accountId: PROFILE_ID, includeDeleted: true }).filter((p) => p.published_at >= since);
  const replies = recent.filter((p) => p.kind === "reply").length;
  return { posts: recent.length - replies, replies };
}

/** `GET /{user}/threads`: the profile's published posts (not its replies), newest first. */
async function listThreads(c: Ctx): Promise<Response> {
  const who = await caller(c, "threads_basic");
  if (who instanceof Response) return who;
  const fields = fieldsOf(who.params, ["id"]);
  const posts = c.var.store.publishing.posts({ platform: "threads", accountId: PROFILE_ID }).filter((p) => p.kind !== "reply");
  return c.json(paged(c, posts.map((p) => renderPost(p, fields)), who.params, who.raw));
}

/** `GET /{media}/replies`: the post's top-level replies, oldest first (`reverse=true`: newest first). */
async function listReplies(c: Ctx): Promise<Response> {
  const who = await caller(c, "threads_basic");
  if (who instanceof Response) return who;
  const id = c.req.param("id") ?? "";
  const parent = c.var.store.publishing.post(id);
  if (!parent || parent.platform !== "threads" || parent.deleted_at) return unsupported(c, id);
  const fields = fieldsOf(who.params, ["id"]);
  const replies = c.var.store.publishing.posts({ platform: "threads", accountId: PROFILE_ID }).filter((p) => p.data.replyToId === id);
  const ordered = who.params.get("reverse") === "true" ? replies : [...replies].reverse();
  return c.json(paged(c, ordered.map((p) => ({ ...renderPost(p, fields), ...(fields.has("hide_status") ? { hide_status: "NOT_HUSHED" } : {}) })), who.params, who.raw));
}

/** `GET /{user}/threads_publishing_limit?fields=quota_usage,config,…`. */
async function publishingLimit(c: Ctx): Promise<Response> {
  const who = await caller(c, "threads_basic");
  if (who instanceof Response) return who;
  const store = c.var.store;
  const since = store.now() - DAY;
  const posts = store.publishing.posts({ platform: "threads", accountId: PROFILE_ID, includeDeleted: true });
  const usage = usageSince(store, since);
  const deletes = posts.filter((p) => p.deleted_at !== null && p.deleted_at >= since).length;
  const fields = fieldsOf(who.params, ["quota_usage", "config"]);
  if ((fields.has("reply_quota_usage") || fields.has("reply_config")) && !who.scopes.includes("threads_manage_replies")) {
    return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
  }
  const row = pick(
    {
      quota_usage: usage.posts,
      config: { quota_total: POSTS_PER_DAY, quota_duration: 86_400 },
      reply_quota_usage: usage.replies,
      reply_config: { quota_total: REPLIES_PER_DAY, quota_duration: 86_400 },
      delete_quota_usage: deletes,
      delete_config: { quota_total: DELETES_PER_DAY, quota_duration: 86_400 },
    },
    fields,
  );
  delete row.id;
  return c.json({ data: [row] });
}

/** `DELETE /{media-id}` → `{ success: true }` (100 deletions per 24 h). */
async function deleteMedia(c: Ctx): Promise<Response> {
  const who = await caller(c, "delete");
  if (who instanceof Response) return who;
  const store = c.var.store;
  const id = c.req.param("id") ?? "";
  const post = store.publishing.post(id);
  if (!post || post.platform !== "threads" || post.account_id !== PROFILE_ID || post.deleted_at) return unsupported(c, id);
  const since = store.now() - DAY;
  const deletes = store.publishing.posts({ platform: "threads", accountId: PROFILE_ID, includeDeleted: true }).filter((p) => p.deleted_at !== null && p.deleted_at >= since).length;
  if (deletes >= DELETES_PER_DAY) return graphError(c, { code: 9, message: "Application request limit reached", userMsg: `The maximum number of deletions (${DELETES_PER_DAY}) in a 24 hour period has been reached.` });
  store.publishing.deletePost(id);
  return c.json({ success: true });
}

/** Publishing routes on graph.threads.net, mounted by threads.ts. */
export function threadsPublishRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post(`${V}/${USER}/threads`, createContainer)
    .get(`${V}/${USER}/threads`, listThreads)
    .post(`${V}/${USER}/threads_publish`, publish)
    .get(`${V}/${USER}/threads_publishing_limit`, publishingLimit)
    .get(`${V}/${ID}/replies`, listReplies)
    .get(`${V}/${ID}`, readNode)
    .delete(`${V}/${ID}`, deleteMedia);
}
