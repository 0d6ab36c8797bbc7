import type { Context } from "hono";
import type { SandboxEnv } from "../app";
import type { SandboxObject, SandboxStore } from "../store/store";
import { bearer, googleError } from "./google-youtube";
import { SECOND, publishingSettings, type MediaFormat } from "./meta-publish-common";

/**
 * The sandbox's YouTube videos (youtube.md §2–§3): the resource a finished upload creates, its
 * `uploadStatus` machine (`uploaded` → `processed` | `failed` at `readyAt`, computed lazily from
 * sandbox time), how it renders per `part`, and the sandbox post that mirrors it while it is visible.
 *
 * A video is "live" (a sandbox post, for tests counting duplicates) from the moment its privacy is
 * public or unlisted; the post keeps the current title, description and privacy, and is deleted with
 * the video. `status.publishAt` is honoured lazily: a private video whose publishAt has passed turns
 * public the next time anything reads it, recorded as received at publishAt.
 */
export type Privacy = "public" | "private" | "unlisted";
export const PRIVACY = new Set<Privacy>(["public", "private", "unlisted"]);

export type VideoSnippet = { title: string; description: string; tags: string[]; categoryId: string; defaultLanguage?: string };
export type VideoStatus = { privacyStatus: Privacy; selfDeclaredMadeForKids?: boolean; embeddable: boolean; license: string; publicStatsViewable: boolean; publishAt?: string };

export type YoutubeVideo = {
  channelId: string;
  snippet: VideoSnippet;
  status: VideoStatus;
  sizeBytes: number;
  mimeType: string;
  /** What the first bytes say the file is: anything but a video fails processing. */
  format: MediaFormat;
  uploadedAt: number;
  readyAt: number;
  /** Every `Content-Range` of the session that stored bytes, in order (tests assert the chunking). */
  uploadRanges: string[];
  thumbnail: { mimeType: string; sizeBytes: number; setAt: number } | null;
  deleted: boolean;
};

export type Ctx = Context<SandboxEnv>;

const SCOPE = "https://www.googleapis.com/auth/";
export const SCOPES = {
  read: [`${SCOPE}youtube.readonly`, `${SCOPE}youtube`, `${SCOPE}youtube.force-ssl`, `${SCOPE}youtubepartner`],
  manage: [`${SCOPE}youtube`, `${SCOPE}youtube.force-ssl`, `${SCOPE}youtubepartner`],
  upload: [`${SCOPE}youtube.upload`, `${SCOPE}youtube`, `${SCOPE}youtube.force-ssl`, `${SCOPE}youtubepartner`],
};

/** The channel the token acts as (the identity picked at consent), or Google's error answer. */
export function channelCaller(c: Ctx, scopes: string[]): { channelId: string } | Response {
  const check = bearer(c);
  if (check instanceof Response) return check;
  if (!check.grant.scopes.some((s) => scopes.includes(s))) return googleError(c, 403, "PERMISSION_DENIED", "insufficientPermissions", "Request had insufficient authentication scopes.");
  const channelId = check.grant.assets[0];
  if (!channelId) return googleError(c, 401, "UNAUTHENTICATED", "youtubeSignupRequired", "The user must create a YouTube channel before this request can be completed.", "youtube.header");
  return { channelId };
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** 11 characters of YouTube's id alphabet. */
export function newVideoId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(11)), (b) => ALPHABET[b % 64]).join("");
}

export const watchUrl = (id: string) => `https://www.youtube.com/watch?v=${id}`;

/** Processing: 5 s + 1 s per MB (capped at 120 s), scaled by `processingScale`. */
export function processingMs(store: SandboxStore, sizeBytes: number): number {
  return Math.round(Math.min(5 * SECOND + Math.ceil(sizeBytes / 1_000_000) * SECOND, 120 * SECOND) * publishingSettings(store).processingScale);
}

const isVideoObject = (o: SandboxObject | null): o is SandboxObject<YoutubeVideo> => o?.platform === "youtube" && o.kind === "video";

/** A video that exists (not deleted), after applying a due `publishAt`. */
export function loadVideo(store: SandboxStore, id: string): SandboxObject<YoutubeVideo> | null {
  const object = store.publishing.object<YoutubeVideo>(id);
  if (!isVideoObject(object) || object.data.deleted) return null;
  const video = object.data;
  const publishAt = video.status.publishAt ? Date.parse(video.status.publishAt) : NaN;
  if (video.status.privacyStatus === "private" && publishAt <= store.now()) {
    const next: YoutubeVideo = { ...video, status: { ...video.status, privacyStatus: "public", publishAt: undefined } };
    saveVideo(store, id, next, publishAt);
    return { ...object, data: next };
  }
  return object;
}

/** Stores the video and brings its sandbox post in line: recorded when it turns visible, updated after, deleted with it. */
export function saveVideo(store: SandboxStore, id: string, video: YoutubeVideo, receivedAt: number): void {
  store.publishing.updateObject(id, video);
  const post = store.publishing.post(id);
  const data = { description: video.snippet.description, tags: video.snippet.tags, categoryId: video.snippet.categoryId, privacyStatus: video.status.privacyStatus, madeForKids: video.status.selfDeclaredMadeForKids ?? false, thumbnail: video.thumbnail !== null };
  if (video.deleted) {
    if (post) store.publishing.deletePost(id);
    return;
  }
  if (post) {
    store.publishing.updatePost(id, { text: video.snippet.title, data });
    return;
  }
  if (video.status.privacyStatus === "private") return;
  store.publishing.recordPost({ id, platform: "youtube", accountId: video.channelId, kind: "video", text: video.snippet.title, media: [id], permalink: watchUrl(id), data, receivedAt });
}

export function uploadStatus(store: SandboxStore, video: YoutubeVideo): { uploadStatus: "uploaded" | "processed" | "failed"; failureReason?: string } {
  if (store.now() < video.readyAt) return { uploadStatus: "uploaded" };
  if (video.format !== "mp4" && video.format !== "mov") return { uploadStatus: "failed", failureReason: "invalidFile" };
  return { uploadStatus: "processed" };
}

export const VIDEO_PARTS = ["id", "snippet", "status", "processingDetails", "contentDetails"];

/** The `youtube#video` resource with the parts asked for (processingDetails only for the owner). */
export function videoResource(store: SandboxStore, object: SandboxObject<YoutubeVideo>, parts: string[], owner: boolean): Record<string, unknown> {
  const video = object.data;
  const resource: Record<string, unknown> = { kind: "youtube#video", etag: `sbx-${object.id}-${object.updated_at}`, id: object.id };
  const upload = uploadStatus(store, video);
  if (parts.includes("snippet")) {
    const thumbnailBase = video.thumbnail ? `https://i.ytimg.com/vi/${object.id}/custom` : `https://i.ytimg.com/vi/${object.id}`;
    resource.snippet = {
      publishedAt: new Date(video.uploadedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      channelId: video.channelId,
      title: video.snippet.title,
      description: video.snippet.description,
      thumbnails: { default: { url: `${thumbnailBase}/default.jpg`, width: 120, height: 90 }, high: { url: `${thumbnailBase}/hqdefault.jpg`, width: 480, height: 360 } },
      ...(video.snippet.tags.length ? { tags: video.snippet.tags } : {}),
      categoryId: video.snippet.categoryId,
      liveBroadcastContent: "none",
      ...(video.snippet.defaultLanguage ? { defaultLanguage: video.snippet.defaultLanguage } : {}),
      localized: { title: video.snippet.title, description: video.snippet.description },
    };
  }
  if (parts.includes("status")) {
    const s = video.status;
    resource.status = {
      ...upload,
      privacyStatus: s.privacyStatus,
      ...(s.publishAt ? { publishAt: s.publishAt } : {}),
      license: s.license,
      embeddable: s.embeddable,
      publicStatsViewable: s.publicStatsViewable,
      madeForKids: s.selfDeclaredMadeForKids ?? false,
      ...(s.selfDeclaredMadeForKids === undefined ? {} : { selfDeclaredMadeForKids: s.selfDeclaredMadeForKids }),
    };
  }
  if (parts.includes("processingDetails") && owner) {
    resource.processingDetails = { processingStatus: upload.uploadStatus === "uploaded" ? "processing" : upload.uploadStatus === "processed" ? "succeeded" : "failed" };
  }
  if (parts.includes("contentDetails")) resource.contentDetails = { duration: "PT0M10S", dimension: "2d", definition: "hd", caption: "false", licensedContent: false, projection: "rectangular" };
  return resource;
}

export function parseParts(c: Ctx, allowed: string[]): string[] | Response {
  const parts = (c.req.query("part") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return googleError(c, 400, "INVALID_ARGUMENT", "required", "Required parameter: part", "youtube.parameter");
  const unknown = parts.find((p) => !allowed.includes(p));
  if (unknown) return googleError(c, 400, "INVALID_ARGUMENT", "unknownPart", `'${unknown}'`, "youtube.part");
  return parts;
}
