import type { Context } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxObject, SandboxStore } from "../store/store";
import { nextSeq, publishingSettings, SECOND } from "./meta-publish-common";

/**
 * TikTok Content Posting state in the sandbox (shared/platforms/tiktok.md §3–§4, §7, §9): publish jobs
 * as store objects, their status computed lazily from sandbox time (nothing runs in the background),
 * the creator's settings, per-token minute limits and TikTok's `{data, error}` envelope.
 */
export type Ctx = Context<SandboxEnv>;
export const MIB = 1024 * 1024;
export const DAY = 86_400_000;

export type JobMode = "direct" | "inbox";
export type JobSource = "FILE_UPLOAD" | "PULL_FROM_URL";

export type TikTokJob = {
  mode: JobMode;
  source: JobSource;
  title: string;
  privacyLevel: string | null;
  postInfo: Record<string, unknown>;
  videoSize: number;
  chunkSize: number;
  totalChunks: number;
  /** Indexes of the chunks received (re-sent chunks are idempotent). */
  received: number[];
  uploadId: string | null;
  uploadToken: string | null;
  uploadExpiresAt: number | null;
  videoUrl: string | null;
  downloadedBytes: number;
  /** When the last byte arrived (upload) or the download finished; processing runs from here. */
  bytesCompleteAt: number | null;
  readyAt: number | null;
  /** Set when processing will fail: the `fail_reason` status/fetch reports. */
  failReason: string | null;
  /** Set once the post (or inbox draft) was recorded, so it is recorded exactly once. */
  postId: string | null;
  recordedAt: number | null;
};

export type JobStatus = "PROCESSING_UPLOAD" | "PROCESSING_DOWNLOAD" | "SEND_TO_USER_INBOX" | "PUBLISH_COMPLETE" | "FAILED";

export const isJob = (o: SandboxObject | null): o is SandboxObject<TikTokJob> => o?.platform === "tiktok" && o.kind === "publish_job";

// ── ids ────────────────────────────────────────────────────────────────────

/**
 * 19-digit ids (`73…`) that do not fit a JS number: post ids, and the numeric tail of publish ids,
 * exactly as TikTok's are shaped (`v_pub_file~v2.7335000000000000000`).
 */
export const bigId = (store: SandboxStore) => `73${String(nextSeq(store)).padStart(17, "0")}`;

export function newPublishId(store: SandboxStore, mode: JobMode, source: JobSource): string {
  const kind = `${mode === "direct" ? "v_pub" : "v_inbox"}_${source === "FILE_UPLOAD" ? "file" : "url"}`;
  return `${kind}~v2.${bigId(store)}`;
}

// ── creator settings ───────────────────────────────────────────────────────

/**
 * What tests can change about the sandbox creator (`POST /_sandbox/tiktok/creator`). The daily API post
 * cap is commonly cited as ~15 (unverified); pending inbox drafts ≈ 5 per 24 h (per Postiz).
 */
export const CreatorSettings = z.object({
  dailyPostCap: z.number().int().min(0).max(1000),
  pendingDraftCap: z.number().int().min(0).max(1000),
  privateAccount: z.boolean(),
  maxVideoPostDurationSec: z.number().int().min(1).max(3600),
  commentDisabled: z.boolean(),
  duetDisabled: z.boolean(),
  stitchDisabled: z.boolean(),
  /** Hosts PULL_FROM_URL may fetch from (the developer portal's verified domains); null = every host. */
  verifiedHosts: z.array(z.string()).nullable(),
});
export type CreatorSettings = z.infer<typeof CreatorSettings>;

const DEFAULT_SETTINGS: CreatorSettings = {
  dailyPostCap: 15,
  pendingDraftCap: 5,
  privateAccount: false,
  maxVideoPostDurationSec: 600,
  commentDisabled: false,
  duetDisabled: false,
  stitchDisabled: true,
  verifiedHosts: null,
};

export function creatorSettings(store: SandboxStore): CreatorSettings {
  const stored = CreatorSettings.partial().safeParse(JSON.parse(store.meta("tiktok:creator") ?? "{}"));
  return { ...DEFAULT_SETTINGS, ...(stored.success ? stored.data : {}) };
}

/** Merges what is given (`{reset: true}` restores the defaults first). */
export function updateCreatorSettings(store: SandboxStore, body: unknown): { ok: true; settings: CreatorSettings } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = CreatorSettings.partial().extend({ reset: z.boolean().optional() }).strict().safeParse(body ?? {});
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const { reset, ...changes } = parsed.data;
  const settings = { ...(reset ? DEFAULT_SETTINGS : creatorSettings(store)), ...changes };
  store.setMeta("tiktok:creator", JSON.stringify(settings));
  return { ok: true, settings };
}

export function privacyOptions(settings: CreatorSettings): string[] {
  const all = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"];
  // §3: private accounts get a subset without PUBLIC_TO_EVERYONE.
  return settings.privateAccount ? all.slice(1) : all;
}

// ── envelope ───────────────────────────────────────────────────────────────

export function logId(store: SandboxStore): string {
  const stamp = new Date(store.now()).toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}${crypto.getRandomValues(new Uint32Array(1))[0]?.toString(16).toUpperCase().padStart(8, "0")}`;
}

export function ok(c: Ctx, data: Record<string, unknown>): Response {
  return c.json({ data, error: { code: "ok", message: "", log_id: logId(c.var.store) } });
}

export function tiktokError(c: Ctx, status: 400 | 401 | 403 | 404 | 416 | 429 | 500, code: string, message: string): Response {
  return c.json({ data: {}, error: { code, message, log_id: logId(c.var.store) } }, status);
}

// ── rate limits (§7, per access token per sandbox minute) ──────────────────

export const LIMITS = { creator_info: 20, init: 6, status: 30 } as const;

/** Counts this call; false when the token already used its budget for the current minute. */
export function withinLimit(store: SandboxStore, bucket: keyof typeof LIMITS, token: string): boolean {
  const minute = Math.floor(store.now() / 60_000);
  const key = `tiktok:rl:${bucket}:${minute}:${token}`;
  const used = Number(store.meta(key) ?? "0");
  if (used >= LIMITS[bucket]) return false;
  store.setMeta(key, String(used + 1));
  return true;
}

// ── processing ─────────────────────────────────────────────────────────────

/** Processing after the last byte: 5 s + 1 s per 10 MB (≈ 30 s for 512 MB per §4.5, roughly), scaled by `processingScale`. */
export function processingMs(store: SandboxStore, sizeBytes: number): number {
  return Math.round((5 * SECOND + Math.ceil(sizeBytes / (10 * MIB)) * SECOND) * publishingSettings(store).processingScale);
}

/** Public posts get their id after moderation (usually < 1 min per §4.5): 3 s after processing here, scaled. */
export function moderationMs(store: SandboxStore): number {
  return Math.round(3 * SECOND * publishingSettings(store).processingScale);
}

export const USERNAME = "samsandbox";
export const postUrl = (postId: string) => `https://www.tiktok.com/@${USERNAME}/video/${postId}`;

/**
 * The job's status now. Reaching PUBLISH_COMPLETE or SEND_TO_USER_INBOX records the post (or the inbox
 * draft) once: that is the moment TikTok makes it public / delivers it.
 */
export function jobStatus(store: SandboxStore, object: SandboxObject<TikTokJob>, receivedAt: number): { status: JobStatus; job: TikTokJob } {
  const job = object.data;
  if (job.bytesCompleteAt === null || job.readyAt === null || store.now() < job.readyAt) {
    return { status: job.source === "FILE_UPLOAD" ? "PROCESSING_UPLOAD" : "PROCESSING_DOWNLOAD", job };
  }
  if (job.failReason) return { status: "FAILED", job };
  if (job.postId === null) {
    const postId = bigId(store);
    const recorded = { ...job, postId, recordedAt: store.now() };
    store.publishing.updateObject(object.id, recorded);
    store.publishing.recordPost({
      id: postId,
      platform: "tiktok",
      accountId: object.account_id,
      kind: job.mode === "direct" ? "video" : "inbox_draft",
      text: job.title,
      media: job.videoUrl ? [job.videoUrl] : [],
      permalink: job.mode === "direct" ? postUrl(postId) : "",
      data: { publishId: object.id, source: job.source, postInfo: job.postInfo, videoSize: job.videoSize },
      receivedAt,
    });
    return { status: job.mode === "direct" ? "PUBLISH_COMPLETE" : "SEND_TO_USER_INBOX", job: recorded };
  }
  return { status: job.mode === "direct" ? "PUBLISH_COMPLETE" : "SEND_TO_USER_INBOX", job };
}

/** The public post id, once moderation is over; `SELF_ONLY` posts never get one (§4.5). */
export function publicPostId(store: SandboxStore, job: TikTokJob): string | null {
  if (job.mode !== "direct" || !job.postId || job.readyAt === null) return null;
  if (job.privacyLevel === "SELF_ONLY") return null;
  return store.now() >= job.readyAt + moderationMs(store) ? job.postId : null;
}
