import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxObject, SandboxStore } from "../store/store";
import { avatar } from "../world";
import { bearer, googleError, YOUTUBE_CHANNELS } from "./google-youtube";
import { nextSeq } from "./meta-publish-common";
import { chargeQuota } from "./youtube-quota";
import { loadVideo, SCOPES, type Ctx } from "./youtube-video-store";

/**
 * YouTube comment threads (`commentThreads.list` by `videoId`, 1 quota unit a call, youtube.md §4):
 * `part=snippet[,replies]`, `order=time` (newest first) or `relevance`, `maxResults` 1–100 (20 by
 * default), an opaque `pageToken`. A control call has a viewer comment (or reply) on a sandbox video.
 *
 * Simplification: the `replies` part carries every reply of a thread (YouTube returns a subset and
 * points to `comments.list` for the rest).
 */
export type YoutubeSandboxComment = { videoId: string; videoChannelId: string; authorChannelId: string; authorName: string; text: string; parentId: string | null; publishedAt: number; /** Creation order, for comments within the same millisecond. */ seq: number };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Comment ids look like `UgzB4fJ3k2m0a1b2c3d4AaABAg` (26 characters). */
const newCommentId = () => `Ugz${Array.from(crypto.getRandomValues(new Uint8Array(17)), (b) => ALPHABET[b % 62]).join("")}AaABAg`;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function commentsOf(store: SandboxStore, videoId: string): SandboxObject<YoutubeSandboxComment>[] {
  return (store.publishing.objectsOf("youtube", videoId, "comment") as SandboxObject<YoutubeSandboxComment>[]).sort((a, b) => b.data.publishedAt - a.data.publishedAt || b.data.seq - a.data.seq);
}

function commentResource(object: SandboxObject<YoutubeSandboxComment>): Record<string, unknown> {
  const c = object.data;
  const handle = c.authorName.toLowerCase().replace(/[^a-z0-9]+/g, "");
  return {
    kind: "youtube#comment",
    etag: `sbx-${object.id}-${object.updated_at}`,
    id: object.id,
    snippet: {
      channelId: c.videoChannelId,
      videoId: c.videoId,
      textDisplay: c.text,
      textOriginal: c.text,
      ...(c.parentId ? { parentId: c.parentId } : {}),
      authorDisplayName: `@${handle}`,
      authorProfileImageUrl: avatar(c.authorName.slice(0, 2).toUpperCase(), 120),
      authorChannelUrl: `http://www.youtube.com/@${handle}`,
      authorChannelId: { value: c.authorChannelId },
      canRate: true,
      viewerRating: "none",
      likeCount: 0,
      publishedAt: iso(c.publishedAt),
      updatedAt: iso(c.publishedAt),
    },
  };
}

const pageToken = (offset: number) => btoa(`sbx:${offset}`).replace(/=+$/, "");
function offsetOf(token: string | undefined): number | null {
  if (!token) return 0;
  try {
    const match = /^sbx:(\d+)$/.exec(atob(token));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function listThreads(c: Ctx): Response {
  const check = bearer(c);
  if (check instanceof Response) return check;
  if (!check.grant.scopes.some((s) => SCOPES.read.includes(s))) return googleError(c, 403, "PERMISSION_DENIED", "insufficientPermissions", "Request had insufficient authentication scopes.");
  const charged = chargeQuota(c, "commentThreads.list");
  if (charged) return charged;
  const parts = (c.req.query("part") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return googleError(c, 400, "INVALID_ARGUMENT", "required", "Required parameter: part", "youtube.parameter");
  const unknownPart = parts.find((p) => !["id", "snippet", "replies"].includes(p));
  if (unknownPart) return googleError(c, 400, "INVALID_ARGUMENT", "unknownPart", `'${unknownPart}'`, "youtube.part");
  const videoId = c.req.query("videoId");
  if (!videoId) return googleError(c, 400, "INVALID_ARGUMENT", "missingRequiredParameter", "No filter selected. Expected one of: allThreadsRelatedToChannelId, videoId, id", "youtube.parameter");
  const order = c.req.query("order") ?? "time";
  if (order !== "time" && order !== "relevance") return googleError(c, 400, "INVALID_ARGUMENT", "invalidParameter", `Invalid value for order: ${order}`, "youtube.parameter");
  const maxResults = Number(c.req.query("maxResults") ?? "20");
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) return googleError(c, 400, "INVALID_ARGUMENT", "invalidParameter", "maxResults must be between 1 and 100.", "youtube.parameter");
  const offset = offsetOf(c.req.query("pageToken"));
  if (offset === null) return googleError(c, 400, "INVALID_ARGUMENT", "invalidPageToken", "The request specifies an invalid page token.", "youtube.parameter");
  const store = c.var.store;
  if (!loadVideo(store, videoId)) return googleError(c, 404, "NOT_FOUND", "videoNotFound", "The video identified by the <code><a href=\"/youtube/v3/docs/commentThreads/list#videoId\">videoId</a></code> parameter could not be found.", "youtube.commentThread");

  const all = commentsOf(store, videoId);
  const threads = all.filter((o) => o.data.parentId === null);
  const page = threads.slice(offset, offset + maxResults);
  const items = page.map((top) => {
    const replies = all.filter((o) => o.data.parentId === top.id).reverse();
    return {
      kind: "youtube#commentThread",
      etag: `sbx-thread-${top.id}-${replies.length}`,
      id: top.id,
      ...(parts.includes("snippet") ? { snippet: { channelId: top.data.videoChannelId, videoId, topLevelComment: commentResource(top), canReply: true, totalReplyCount: replies.length, isPublic: true } } : {}),
      ...(parts.includes("replies") && replies.length > 0 ? { replies: { comments: replies.map(commentResource) } } : {}),
    };
  });
  const next = offset + maxResults < threads.length ? { nextPageToken: pageToken(offset + maxResults) } : {};
  return c.json({ kind: "youtube#commentThreadListResponse", etag: `sbx-threads-${videoId}-${offset}`, ...next, pageInfo: { totalResults: threads.length, resultsPerPage: maxResults }, items });
}

export function youtubeCommentRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().get("/youtube/v3/commentThreads", listThreads);
}

export const YoutubeCommentInput = z.object({
  videoId: z.string().min(1),
  text: z.string().min(1).max(10_000),
  authorName: z.string().min(1).default("Robin Viewer"),
  /** The commenter's channel; the video's own channel id makes it the owner's comment. */
  authorChannelId: z.string().min(1).optional(),
  parentId: z.string().optional(),
});

/** `POST /_sandbox/events/youtube-comment`: a viewer comments (or replies) on a sandbox video. */
export function youtubeCommentControlRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().post("/youtube-comment", async (c) => {
    const parsed = YoutubeCommentInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
    const input = parsed.data;
    const store = c.var.store;
    const video = loadVideo(store, input.videoId);
    if (!video) return c.json({ error: `No YouTube video ${input.videoId} in the sandbox.` }, 404);
    const parent = input.parentId ? store.publishing.object<YoutubeSandboxComment>(input.parentId) : null;
    if (input.parentId && (parent?.account_id !== input.videoId || parent.data.parentId !== null)) return c.json({ error: `No top-level comment ${input.parentId} on ${input.videoId}.` }, 404);
    const owner = YOUTUBE_CHANNELS.find((ch) => ch.id === input.authorChannelId);
    const object = store.publishing.createObject<YoutubeSandboxComment>({
      id: newCommentId(),
      platform: "youtube",
      accountId: input.videoId,
      kind: "comment",
      data: {
        videoId: input.videoId,
        videoChannelId: video.data.channelId,
        authorChannelId: input.authorChannelId ?? `UCsbxViewer${Array.from(crypto.getRandomValues(new Uint8Array(13)), (b) => ALPHABET[b % 62]).join("")}`,
        authorName: owner?.title ?? input.authorName,
        text: input.text,
        parentId: input.parentId ?? null,
        publishedAt: store.now(),
        seq: nextSeq(store),
      },
    });
    return c.json({ comment: commentResource(object) }, 201);
  });
}
