import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import type { SandboxObject, SandboxStore } from "../store/store";
import { graphError, pick } from "./graph-common";
import { recordFbPost } from "./facebook-publish";
import { uploadByHandle } from "./facebook-resumable";
import { authorizePage, boolParam, type Caller, type Ctx, DAY, fetchPlatformMedia, graphTime, hex, missingParam, newIds, processingMs, publishCaller, sniff, unhex, unsupported } from "./meta-publish-common";

/**
 * Facebook Page videos (meta-auth-and-pages.md §3.4–3.7): `POST /{page}/videos` with `file_url`, the
 * chunked `upload_phase=start|transfer|finish` protocol (graph-video.facebook.com or graph.facebook.com),
 * Reels (`/video_reels` start → rupload.facebook.com → finish) and `GET /{video}?fields=status`.
 *
 * A published video is recorded as live when the publishing call is accepted (`/videos` with bytes
 * fetched, chunked `finish`, Reel `finish`), not when processing ends: the sandbox has no timers, and
 * that call is the irreversible one a client must not repeat. A video whose bytes are unusable (broken
 * URL, not MP4/MOV) never goes live; its status reports `error`.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";
/** The legacy chunked protocol asks for 1 MiB chunks (the doc's example end_offset). */
const CHUNK = 1_048_576;
const REELS_PER_DAY = 30;

export type FbVideo = {
  reel: boolean;
  /** A Page video story (`/video_stories`). */
  story?: boolean;
  title: string;
  description: string;
  fileUrl: string | null;
  /** Declared size (chunked / rupload), or the fetched size. */
  fileSize: number | null;
  received: number;
  head: string | null;
  /** Why the bytes are unusable, when they are. */
  failure: string | null;
  uploadedAt: number | null;
  readyAt: number | null;
  published: boolean;
  postId: string | null;
  sessionId: string | null;
};

export const isFbVideo = (o: SandboxObject | null): o is SandboxObject<FbVideo> => o?.platform === "facebook" && o.kind === "video";

function newVideo(store: SandboxStore, pageId: string, init: Partial<FbVideo>): SandboxObject<FbVideo> {
  const data: FbVideo = { reel: false, title: "", description: "", fileUrl: null, fileSize: null, received: 0, head: null, failure: null, uploadedAt: null, readyAt: null, published: false, postId: null, sessionId: null, ...init };
  return store.publishing.createObject<FbVideo>({ id: newIds.fbVideo(store), platform: "facebook", accountId: pageId, kind: "video", data });
}

/** All bytes are in: start processing (the delay counts from now) and check the format. */
export function completeUpload(store: SandboxStore, video: FbVideo): FbVideo {
  const now = store.now();
  const format = video.head ? sniff(unhex(video.head)) : "unknown";
  const failure = video.failure ?? (format === "mp4" || format === "mov" ? null : "The video file you uploaded is in a format that we don't support.");
  return { ...video, failure, uploadedAt: now, readyAt: now + processingMs(store, "video", video.fileSize ?? video.received) };
}

/** Pulls `file_url` as Meta does (on /videos and on rupload with a `file_url` header). */
export async function pullVideo(c: Ctx, video: FbVideo, url: string): Promise<FbVideo> {
  const fetched = await fetchPlatformMedia(c, url);
  if (!fetched.ok) return completeUpload(c.var.store, { ...video, fileUrl: url, failure: `Failed to download the video from ${url} (${fetched.reason}).` });
  return completeUpload(c.var.store, { ...video, fileUrl: url, fileSize: fetched.sizeBytes, received: fetched.sizeBytes, head: hex(fetched.head) });
}

// The story permalink form is unverified.
const permalinkOf = (pageId: string, id: string, video: FbVideo) => (video.story ? `https://www.facebook.com/stories/${pageId}/${id}` : video.reel ? `https://www.facebook.com/reel/${id}` : `https://www.facebook.com/${pageId}/videos/${id}`);

/** Goes live once: records the post, marks the video published. A second call changes nothing. */
function goLive(c: Ctx, pageId: string, id: string, video: FbVideo): FbVideo {
  if (video.published || video.failure) return video;
  const postId = `${pageId}_${id}`;
  recordFbPost(c, { id: postId, pageId, kind: video.story ? "story" : video.reel ? "reel" : "video", text: video.description, media: [video.fileUrl ?? `upload:${id}`], permalink: permalinkOf(pageId, id, video), data: { videoId: id, title: video.title } });
  return { ...video, published: true, postId };
}

/** `GET /{video-id}?fields=status,permalink_url,…`: phases derived from sandbox time. */
export function renderFbVideo(store: SandboxStore, object: SandboxObject<FbVideo>, fields: Set<string>): Record<string, unknown> {
  const v = object.data;
  const now = store.now();
  const uploaded = v.uploadedAt !== null;
  const processed = uploaded && v.readyAt !== null && now >= v.readyAt;
  const expired = !uploaded && now - object.created_at > DAY;
  const failed = processed && v.failure !== null;
  const videoStatus = expired ? "expired" : failed ? "error" : processed ? "ready" : "processing";
  const status = {
    video_status: videoStatus,
    uploading_phase: { status: uploaded ? "complete" : expired ? "error" : "in_progress", bytes_transferred: v.received },
    // The errors[] shape and code are unverified (doc §3.7).
    processing_phase: failed ? { status: "error", errors: [{ code: 6000, message: v.failure }] } : { status: processed ? "complete" : uploaded ? "in_progress" : "not_started" },
    publishing_phase: { status: v.published && processed && !failed ? "complete" : "not_started", publish_status: v.published && !failed ? "published" : "not_published", ...(v.published && processed && !failed ? { publish_time: graphTime(v.readyAt ?? now) } : {}) },
  };
  return pick(
    {
      id: object.id,
      status,
      title: v.title || undefined,
      description: v.description || undefined,
      created_time: graphTime(object.created_at),
      updated_time: graphTime(object.updated_at),
      permalink_url: v.reel ? `/reel/${object.id}/` : `/${object.account_id}/videos/${object.id}/`,
      published: v.published,
      post_id: v.postId ?? undefined,
    },
    fields,
  );
}

export const uploadProblem = (c: Ctx, message: string) => graphError(c, { code: 6000, subcode: 1363019, message: `(#6000) ${message}` }); // code/subcode unverified

/** `POST /{page}/videos`: `file_url` pull, or `upload_phase=start|transfer|finish` (legacy chunked). */
async function postVideos(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const store = c.var.store;
  const p = who.params;
  const phase = p.get("upload_phase");
  if (phase === "start") {
    const size = Number(p.get("file_size"));
    if (!Number.isInteger(size) || size <= 0) return missingParam(c, "file_size");
    const sessionId = newIds.fbObject(store);
    const video = newVideo(store, pageId, { fileSize: size, sessionId });
    store.setMeta(`fb:upload_session:${sessionId}`, video.id);
    return c.json({ video_id: video.id, upload_session_id: sessionId, start_offset: "0", end_offset: String(Math.min(CHUNK, size)) });
  }
  if (phase === "transfer" || phase === "finish") {
    const sessionId = p.get("upload_session_id");
    if (!sessionId) return missingParam(c, "upload_session_id");
    const videoId = store.meta(`fb:upload_session:${sessionId}`);
    const object = videoId ? store.publishing.object<FbVideo>(videoId) : null;
    if (!object || !isFbVideo(object) || object.account_id !== pageId) return uploadProblem(c, "The upload session is invalid or has expired.");
    const video = object.data;
    const size = video.fileSize ?? 0;
    if (phase === "transfer") {
      const body = await c.req.parseBody();
      const chunk = body.video_file_chunk;
      if (!(chunk instanceof File)) return missingParam(c, "video_file_chunk");
      const bytes = new Uint8Array(await chunk.arrayBuffer());
      // Checked after the last await, so two concurrent transfers at one offset cannot both land.
      const current = store.publishing.object<FbVideo>(object.id)?.data ?? video;
      if (Number(p.get("start_offset")) !== current.received) return uploadProblem(c, `start_offset ${p.get("start_offset") ?? ""} does not match the expected offset ${current.received}.`);
      if (bytes.byteLength === 0 || current.received + bytes.byteLength > size) return uploadProblem(c, "The chunk does not fit the declared file_size.");
      const received = current.received + bytes.byteLength;
      store.publishing.updateObject(object.id, { ...current, received, head: current.head ?? hex(bytes.slice(0, 64)) });
      return c.json({ start_offset: String(received), end_offset: String(Math.min(received + CHUNK, size)) });
    }
    if (video.received < size) return uploadProblem(c, `Only ${video.received} of ${size} bytes were uploaded.`);
    let next: FbVideo = video.uploadedAt === null ? completeUpload(store, video) : video;
    next = { ...next, title: p.get("title") ?? next.title, description: p.get("description") ?? next.description };
    if (boolParam(p, "published", true)) next = goLive(c, pageId, object.id, next);
    store.publishing.updateObject(object.id, next);
    return c.json({ success: true });
  }
  const handle = p.get("fbuploader_video_file_chunk");
  if (handle) {
    // A file handle from the Resumable Upload API (facebook-resumable.ts).
    const upload = uploadByHandle(c, who.grant.id, handle);
    if (!upload) return uploadProblem(c, "The file handle is invalid or its upload is not complete.");
    const video = newVideo(store, pageId, { title: p.get("title") ?? "", description: p.get("description") ?? "", fileUrl: `upload:${upload.fileName}`, fileSize: upload.fileLength, received: upload.fileLength, head: upload.head });
    const done = completeUpload(store, video.data);
    store.publishing.updateObject(video.id, boolParam(p, "published", true) ? goLive(c, pageId, video.id, done) : done);
    return c.json({ id: video.id });
  }
  const fileUrl = p.get("file_url");
  if (!fileUrl) {
    // Bytes in a multipart `source` field.
    const body = c.req.header("content-type")?.includes("multipart/form-data") ? await c.req.parseBody() : {};
    if (!(body.source instanceof File)) return graphError(c, { code: 100, subcode: 1363030, message: "(#100) No file was uploaded. Give file_url, source or use upload_phase=start." });
    const bytes = new Uint8Array(await body.source.arrayBuffer());
    const video = newVideo(store, pageId, { title: p.get("title") ?? "", description: p.get("description") ?? "", fileSize: bytes.byteLength, received: bytes.byteLength, head: hex(bytes.slice(0, 64)) });
    const done = completeUpload(store, video.data);
    store.publishing.updateObject(video.id, boolParam(p, "published", true) ? goLive(c, pageId, video.id, done) : done);
    return c.json({ id: video.id });
  }
  const video = newVideo(store, pageId, { title: p.get("title") ?? "", description: p.get("description") ?? "" });
  const pulled = await pullVideo(c, video.data, fileUrl);
  store.publishing.updateObject(video.id, boolParam(p, "published", true) ? goLive(c, pageId, video.id, pulled) : pulled);
  return c.json({ id: video.id });
}

/** `POST /{page}/video_reels?upload_phase=start|finish`. */
async function postReels(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const store = c.var.store;
  const p = who.params;
  const phase = p.get("upload_phase");
  if (phase === "start") {
    const video = newVideo(store, pageId, { reel: true });
    return c.json({ video_id: video.id, upload_url: `https://rupload.facebook.com/video-upload/${c.req.param("version")}/${video.id}` });
  }
  if (phase !== "finish") return graphError(c, { code: 100, message: "(#100) Param upload_phase must be one of {START, TRANSFER, FINISH}" });
  const videoId = p.get("video_id");
  if (!videoId) return missingParam(c, "video_id");
  const object = store.publishing.object<FbVideo>(videoId);
  if (!isFbVideo(object) || object.account_id !== pageId || !object.data.reel || object.data.story) return unsupported(c, videoId);
  if (object.data.uploadedAt === null) return uploadProblem(c, "The video has not been uploaded yet.");
  const state = (p.get("video_state") ?? "").toUpperCase();
  if (!["PUBLISHED", "DRAFT", "SCHEDULED"].includes(state)) return graphError(c, { code: 100, message: "(#100) Param video_state must be one of {DRAFT, PUBLISHED, SCHEDULED}" });
  let next: FbVideo = { ...object.data, title: p.get("title") ?? object.data.title, description: p.get("description") ?? object.data.description };
  if (state === "PUBLISHED" && !next.published) {
    const since = store.now() - DAY;
    const reels = store.publishing.posts({ platform: "facebook", accountId: pageId, includeDeleted: true }).filter((post) => post.kind === "reel" && post.published_at >= since).length;
    // The 30-per-24 h Reels limit is documented; the error envelope for it is unverified.
    if (reels >= REELS_PER_DAY) return graphError(c, { code: 100, message: "(#100) This Page has reached the limit of Reels published through the API in 24 hours." });
    next = goLive(c, pageId, object.id, next);
  }
  // Finishing an already published Reel again is accepted and changes nothing (unverified; never a second post).
  store.publishing.updateObject(object.id, next);
  return c.json({ success: true });
}

/** `POST /{page}/video_stories?upload_phase=start|finish` (bytes via rupload, as for Reels) → `{success, post_id}`. */
async function postVideoStory(c: Ctx, who: Caller, pageId: string): Promise<Response> {
  const store = c.var.store;
  const p = who.params;
  const phase = p.get("upload_phase");
  if (phase === "start") {
    const video = newVideo(store, pageId, { story: true });
    return c.json({ video_id: video.id, upload_url: `https://rupload.facebook.com/video-upload/${c.req.param("version")}/${video.id}` });
  }
  if (phase !== "finish") return graphError(c, { code: 100, message: "(#100) Param upload_phase must be one of {START, FINISH}" });
  const videoId = p.get("video_id");
  if (!videoId) return missingParam(c, "video_id");
  const object = store.publishing.object<FbVideo>(videoId);
  if (!isFbVideo(object) || object.account_id !== pageId || !object.data.story) return unsupported(c, videoId);
  if (object.data.uploadedAt === null) return uploadProblem(c, "The video has not been uploaded yet.");
  if (object.data.failure) return uploadProblem(c, object.data.failure);
  const next = goLive(c, pageId, object.id, object.data);
  store.publishing.updateObject(object.id, next);
  return c.json({ success: true, post_id: next.postId });
}

/** Page video routes (mounted for graph.facebook.com and graph-video.facebook.com alike). */
export function facebookVideoRoutes(): Hono<SandboxEnv> {
  const withPage = (handler: (c: Ctx, who: Caller, pageId: string) => Promise<Response>) => async (c: Ctx) => {
    const who = await publishCaller(c);
    if (who instanceof Response) return who;
    const pageId = c.req.param("id") ?? "";
    const page = authorizePage(c, who, pageId, "pages_manage_posts");
    if (page instanceof Response) return page;
    return handler(c, who, pageId);
  };
  return new Hono<SandboxEnv>().post(`${V}/:id{[0-9]+}/videos`, withPage(postVideos)).post(`${V}/:id{[0-9]+}/video_reels`, withPage(postReels)).post(`${V}/:id{[0-9]+}/video_stories`, withPage(postVideoStory));
}

