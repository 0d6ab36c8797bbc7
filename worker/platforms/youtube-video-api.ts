import { z } from "zod";
import type { YoutubeVideoDetails, YoutubeVideoEdit } from "../contracts/youtube";
import { isNetworkFailure, withQuery, type HttpResult, type NetworkFailure } from "./http";
import type { AdapterContext, Outcome, PlatformFailure } from "./types";
import { classifyYoutubeError } from "./youtube-errors";

/**
 * The YouTube Data API calls around a video (youtube.md §2.4, §3): `videos.list`, `videos.update`
 * (read-modify-write, because an update clears every field of a sent part it leaves out) and
 * `videos.delete`. Every 2xx is parsed with zod; failures keep the raw answer so the go-live call
 * can tell "refused" from "may have happened".
 */
export const VIDEOS_URL = "https://www.googleapis.com/youtube/v3/videos";
export const watchUrl = (videoId: string) => `https://www.youtube.com/watch?v=${videoId}`;

const Privacy = z.enum(["public", "private", "unlisted"]);
export const VideoSnippet = z.object({
  title: z.string(),
  description: z.string().default(""),
  tags: z.array(z.string()).default([]),
  categoryId: z.string().default("22"),
  defaultLanguage: z.string().optional(),
});
export const VideoStatus = z.object({
  uploadStatus: z.string().optional(),
  failureReason: z.string().nullish(),
  rejectionReason: z.string().nullish(),
  privacyStatus: Privacy,
  publishAt: z.string().optional(),
  license: z.string().optional(),
  embeddable: z.boolean().optional(),
  publicStatsViewable: z.boolean().optional(),
  madeForKids: z.boolean().optional(),
  selfDeclaredMadeForKids: z.boolean().optional(),
});
export const Video = z.object({
  id: z.string().min(1),
  snippet: VideoSnippet.optional(),
  status: VideoStatus.optional(),
  processingDetails: z.object({ processingStatus: z.string().optional() }).optional(),
});
export type Video = z.infer<typeof Video>;
const VideoList = z.object({ items: z.array(Video).default([]) });

export type YoutubeAnswer<T> =
  | { ok: true; value: T; raw: HttpResult }
  | { ok: false; failure: PlatformFailure; raw: HttpResult | NetworkFailure; uncertain: boolean; gone: boolean };

/** Google's 404 reasons for a video that does not exist (any more). */
function isGone(raw: HttpResult | NetworkFailure): boolean {
  if (isNetworkFailure(raw)) return false;
  return raw.status === 404 || /videoNotFound/.test(raw.text);
}

export async function youtubeSend<T extends z.ZodType>(ctx: AdapterContext, url: string, schema: T, token: string, init: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<YoutubeAnswer<z.infer<T>>> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers["content-type"] = "application/json; charset=UTF-8";
  }
  const raw = await ctx.http.request(url, { method: init.method ?? "GET", headers, ...(body === undefined ? {} : { body }) });
  if (isNetworkFailure(raw) || raw.status < 200 || raw.status >= 300) {
    const uncertain = isNetworkFailure(raw) || raw.status >= 500;
    return { ok: false, failure: classifyYoutubeError(raw, ctx.now), raw, uncertain, gone: isGone(raw) };
  }
  const parsed = schema.safeParse(raw.json ?? {});
  if (parsed.success) return { ok: true, value: parsed.data, raw };
  return { ok: false, raw, uncertain: true, gone: false, failure: { kind: "retry", status: raw.status, message: `YouTube answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "unknown"}). Atelier will try again.` } };
}

/** `videos.list` for one video: the video, null when YouTube does not know it (deleted), or the failure. */
export async function fetchVideo(ctx: AdapterContext, token: string, videoId: string, parts = "snippet,status"): Promise<{ ok: true; video: Video | null } | { ok: false; failure: PlatformFailure }> {
  const answer = await youtubeSend(ctx, withQuery(VIDEOS_URL, { part: parts, id: videoId }), VideoList, token);
  if (!answer.ok) return answer.gone ? { ok: true, video: null } : { ok: false, failure: answer.failure };
  return { ok: true, video: answer.value.items.find((v) => v.id === videoId) ?? null };
}

/** The parts `videos.update` writes, complete (what is left out would be cleared). */
export type VideoParts = { snippet: z.infer<typeof VideoSnippet>; status: { privacyStatus: "public" | "private" | "unlisted"; selfDeclaredMadeForKids?: boolean; embeddable?: boolean; license?: string; publicStatsViewable?: boolean; publishAt?: string } };

/** `videos.update` with `part=snippet,status`: the whole of both parts. */
export function sendVideoUpdate(ctx: AdapterContext, token: string, videoId: string, parts: VideoParts): Promise<YoutubeAnswer<Video>> {
  return youtubeSend(ctx, withQuery(VIDEOS_URL, { part: "snippet,status" }), Video, token, { method: "PUT", json: { id: videoId, ...parts } });
}

/** What a video's current parts are, as `videos.update` must re-send them (read-only fields dropped). */
export function writableParts(video: Video): VideoParts | null {
  if (!video.snippet || !video.status) return null;
  const s = video.status;
  const status: VideoParts["status"] = { privacyStatus: s.privacyStatus };
  if (s.selfDeclaredMadeForKids !== undefined) status.selfDeclaredMadeForKids = s.selfDeclaredMadeForKids;
  if (s.embeddable !== undefined) status.embeddable = s.embeddable;
  if (s.license !== undefined) status.license = s.license;
  if (s.publicStatsViewable !== undefined) status.publicStatsViewable = s.publicStatsViewable;
  if (s.publishAt !== undefined) status.publishAt = s.publishAt;
  const { title, description, tags, categoryId, defaultLanguage } = video.snippet;
  return { snippet: { title, description, tags, categoryId, ...(defaultLanguage ? { defaultLanguage } : {}) }, status };
}

export function detailsOf(video: Video): Omit<YoutubeVideoDetails, "thumbnailMediaId"> | null {
  if (!video.snippet || !video.status) return null;
  return {
    videoId: video.id,
    url: watchUrl(video.id),
    title: video.snippet.title,
    description: video.snippet.description,
    tags: video.snippet.tags,
    categoryId: video.snippet.categoryId,
    privacyStatus: video.status.privacyStatus,
    madeForKids: video.status.selfDeclaredMadeForKids ?? video.status.madeForKids ?? false,
  };
}

const gone = (videoId: string): PlatformFailure => ({ kind: "fatal", status: 404, platformCode: "videoNotFound", message: `YouTube no longer has this video (${videoId}); it was deleted on YouTube.` });

/** The video's live title, description, tags, category, privacy and audience (for the edit form). */
export async function readVideoDetails(ctx: AdapterContext, token: string, videoId: string): Promise<Outcome<Omit<YoutubeVideoDetails, "thumbnailMediaId">>> {
  const read = await fetchVideo(ctx, token, videoId);
  if (!read.ok) return read;
  const details = read.video && detailsOf(read.video);
  return details ? { ok: true, value: details } : { ok: false, failure: gone(videoId) };
}

/**
 * Changes only the fields in `edit`: reads the current snippet and status, merges, and sends both
 * parts whole, so nothing the person did not touch is cleared. Returns the video as YouTube now has it.
 */
export async function updateVideo(ctx: AdapterContext, token: string, videoId: string, edit: YoutubeVideoEdit): Promise<Outcome<Omit<YoutubeVideoDetails, "thumbnailMediaId">>> {
  const read = await fetchVideo(ctx, token, videoId);
  if (!read.ok) return read;
  const current = read.video && writableParts(read.video);
  if (!current) return { ok: false, failure: gone(videoId) };
  const snippet = { ...current.snippet };
  if (edit.title !== undefined) snippet.title = edit.title;
  if (edit.description !== undefined) snippet.description = edit.description;
  if (edit.tags !== undefined) snippet.tags = edit.tags;
  if (edit.categoryId !== undefined) snippet.categoryId = edit.categoryId;
  const status = { ...current.status };
  if (edit.privacyStatus !== undefined) status.privacyStatus = edit.privacyStatus;
  if (edit.madeForKids !== undefined) status.selfDeclaredMadeForKids = edit.madeForKids;
  const sent = await sendVideoUpdate(ctx, token, videoId, { snippet, status });
  if (!sent.ok) return { ok: false, failure: sent.gone ? gone(videoId) : sent.failure };
  const details = detailsOf(sent.value);
  return details ? { ok: true, value: details } : readVideoDetails(ctx, token, videoId);
}

/** `videos.delete`; a video already gone counts as deleted. */
export async function deleteVideo(ctx: AdapterContext, token: string, videoId: string): Promise<Outcome<null>> {
  const answer = await youtubeSend(ctx, withQuery(VIDEOS_URL, { id: videoId }), z.unknown(), token, { method: "DELETE" });
  if (answer.ok || answer.gone) return { ok: true, value: null };
  return { ok: false, failure: answer.failure };
}
