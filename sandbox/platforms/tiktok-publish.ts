import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxStore } from "../store/store";
import { fetchPlatformMedia, sniff } from "./meta-publish-common";
import {
  bigId,
  creatorSettings,
  DAY,
  isJob,
  jobStatus,
  LIMITS,
  logId,
  MIB,
  newPublishId,
  ok,
  privacyOptions,
  processingMs,
  publicPostId,
  tiktokError,
  USERNAME,
  withinLimit,
  type Ctx,
  type JobMode,
  type TikTokJob,
} from "./tiktok-jobs";
import { chunkPlanProblem, UPLOAD_HOST, UPLOAD_URL_TTL_MS } from "./tiktok-upload";

/**
 * TikTok Content Posting API on open.tiktokapis.com (shared/platforms/tiktok.md §3, §4.1, §4.3, §4.5):
 * creator_info, Direct Post and inbox video init (FILE_UPLOAD or PULL_FROM_URL) and status/fetch.
 * A Direct Post job publishes by itself once its bytes are in and processed (§8): there is no publish
 * call. The Content Posting API has no delete endpoint, so none is simulated.
 */
const TITLE_MAX = 2200;
const MAX_VIDEO_BYTES = 4 * 1024 * MIB;

type Caller = { token: string; openId: string; scopes: string[] };

/** The bearer token, its scopes and rate budget; TikTok's envelope for every refusal. */
function caller(c: Ctx, bucket: keyof typeof LIMITS, needs: (scopes: string[]) => boolean): Caller | Response {
  const store = c.var.store;
  const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  const check = store.check(token, "access");
  if (!check.ok || check.grant.platform !== "tiktok") return tiktokError(c, 401, "access_token_invalid", "The access token is invalid or not found in the request.");
  if (!needs(check.grant.scopes)) return tiktokError(c, 401, "scope_not_authorized", "The user did not authorize the scope required for completing this request.");
  if (!withinLimit(store, bucket, token)) return tiktokError(c, 429, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.");
  return { token, openId: check.token.subject ?? check.grant.user_id, scopes: check.grant.scopes };
}

const has = (scope: string) => (scopes: string[]) => scopes.includes(scope);

function postsToday(store: SandboxStore, openId: string, kind: string): number {
  const since = store.now() - DAY;
  return store.publishing.posts({ platform: "tiktok", accountId: openId }).filter((p) => p.kind === kind && p.published_at >= since).length;
}

/** Direct-post jobs not yet live count against the cap too, as TikTok counts posts made through the API. */
function directPostsToday(store: SandboxStore, openId: string): number {
  const since = store.now() - DAY;
  const pending = store.publishing.objectsOf("tiktok", openId, "publish_job").filter((o) => isJob(o) && o.data.mode === "direct" && o.data.postId === null && o.data.bytesCompleteAt !== null && o.created_at >= since).length;
  return postsToday(store, openId, "video") + pending;
}

function pendingDrafts(store: SandboxStore, openId: string): number {
  return postsToday(store, openId, "inbox_draft");
}

/** The creator's refusal of any new post, if any (creator_info and video/init answer it alike). */
function cannotPost(c: Ctx, openId: string): Response | null {
  const store = c.var.store;
  if (directPostsToday(store, openId) >= creatorSettings(store).dailyPostCap) {
    return tiktokError(c, 403, "spam_risk_too_many_posts", "The user has reached the daily post limit for posting via the API.");
  }
  return null;
}

async function creatorInfo(c: Ctx): Promise<Response> {
  const who = caller(c, "creator_info", has("video.publish"));
  if (who instanceof Response) return who;
  const refused = cannotPost(c, who.openId);
  if (refused) return refused;
  const settings = creatorSettings(c.var.store);
  return ok(c, {
    creator_avatar_url: `https://p16-sign.tiktokcdn.com/sandbox/${USERNAME}.jpeg`,
    creator_username: USERNAME,
    creator_nickname: "Sam Sandbox",
    privacy_level_options: privacyOptions(settings),
    comment_disabled: settings.commentDisabled,
    duet_disabled: settings.duetDisabled,
    stitch_disabled: settings.stitchDisabled,
    max_video_post_duration_sec: settings.maxVideoPostDurationSec,
  });
}

const PostInfo = z
  .object({
    title: z.string().max(TITLE_MAX).default(""),
    privacy_level: z.string().optional(),
    disable_duet: z.boolean().optional(),
    disable_comment: z.boolean().optional(),
    disable_stitch: z.boolean().optional(),
    video_cover_timestamp_ms: z.number().int().min(0).optional(),
    brand_content_toggle: z.boolean().optional(),
    brand_organic_toggle: z.boolean().optional(),
    is_aigc: z.boolean().optional(),
  })
  .passthrough();

const SourceInfo = z.discriminatedUnion("source", [
  z.object({ source: z.literal("FILE_UPLOAD"), video_size: z.number().int().positive(), chunk_size: z.number().int().positive(), total_chunk_count: z.number().int().positive() }),
  z.object({ source: z.literal("PULL_FROM_URL"), video_url: z.string().url() }),
]);

const InitBody = z.object({ post_info: PostInfo.optional(), source_info: SourceInfo });

function invalid(c: Ctx, message: string): Response {
  return tiktokError(c, 400, "invalid_params", message);
}

/** `POST /v2/post/publish/video/init/` (Direct Post) and `/v2/post/publish/inbox/video/init/` (draft). */
async function init(c: Ctx, mode: JobMode): Promise<Response> {
  // The body is read before any refusal, so workerd never sees an unread request stream.
  const raw: unknown = await c.req.json().catch(() => null);
  const who = caller(c, "init", has(mode === "direct" ? "video.publish" : "video.upload"));
  if (who instanceof Response) return who;
  const store = c.var.store;
  const settings = creatorSettings(store);
  const parsed = InitBody.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(c, `Invalid request body: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "unreadable JSON"}.`);
  }
  const { source_info: source } = parsed.data;
  const postInfo = parsed.data.post_info ?? PostInfo.parse({});
  // §4.3: only the caption survives an inbox upload; privacy and interaction settings are ignored.
  const privacyLevel = mode === "direct" ? (postInfo.privacy_level ?? null) : null;
  if (mode === "direct") {
    if (!privacyLevel) return invalid(c, "post_info.privacy_level is required for direct posts.");
    if (!privacyOptions(settings).includes(privacyLevel)) return tiktokError(c, 400, "privacy_level_option_mismatch", "The privacy level is not one of the creator's privacy_level_options.");
    const refused = cannotPost(c, who.openId);
    if (refused) return refused;
  } else if (pendingDrafts(store, who.openId) >= settings.pendingDraftCap) {
    return tiktokError(c, 403, "spam_risk_too_many_pending_share", "The user has too many pending shares in the inbox.");
  }

  const now = store.now();
  const job: TikTokJob = {
    mode,
    source: source.source,
    title: postInfo.title,
    privacyLevel,
    postInfo: mode === "direct" ? postInfo : { title: postInfo.title },
    videoSize: 0,
    chunkSize: 0,
    totalChunks: 0,
    received: [],
    uploadId: null,
    uploadToken: null,
    uploadExpiresAt: null,
    videoUrl: null,
    downloadedBytes: 0,
    bytesCompleteAt: null,
    readyAt: null,
    failReason: null,
    postId: null,
    recordedAt: null,
  };

  if (source.source === "FILE_UPLOAD") {
    if (source.video_size > MAX_VIDEO_BYTES) return invalid(c, "video_size exceeds the 4 GB limit.");
    const problem = chunkPlanProblem(source.video_size, source.chunk_size, source.total_chunk_count);
    if (problem) return invalid(c, problem);
    Object.assign(job, { videoSize: source.video_size, chunkSize: source.chunk_size, totalChunks: source.total_chunk_count, uploadId: bigId(store), uploadToken: crypto.randomUUID().replaceAll("-", ""), uploadExpiresAt: now + UPLOAD_URL_TTL_MS });
  } else {
    const host = new URL(source.video_url).hostname;
    if (settings.verifiedHosts && !settings.verifiedHosts.includes(host)) return tiktokError(c, 403, "url_ownership_unverified", "The domain or URL prefix of video_url has not been verified for this app.");
    const fetched = await fetchPlatformMedia(c, source.video_url);
    job.videoUrl = source.video_url;
    // Download problems surface on status/fetch (fail_reason), not at init.
    if (!fetched.ok) job.failReason = "video_pull_failed";
    else {
      job.videoSize = fetched.sizeBytes;
      job.downloadedBytes = fetched.sizeBytes;
      if (!["mp4", "mov"].includes(sniff(fetched.head))) job.failReason = "file_format_check_failed";
    }
    job.bytesCompleteAt = now;
    job.readyAt = now + processingMs(store, job.videoSize);
  }

  const publishId = newPublishId(store, mode, source.source);
  store.publishing.createObject({ id: publishId, platform: "tiktok", accountId: who.openId, kind: "publish_job", data: job });
  if (job.uploadId) store.setMeta(`tiktok:upload:${job.uploadId}`, publishId);
  const data: Record<string, unknown> = { publish_id: publishId };
  if (job.uploadId) data.upload_url = `https://${UPLOAD_HOST}/video/?upload_id=${job.uploadId}&upload_token=${job.uploadToken}`;
  return ok(c, data);
}

/**
 * `POST /v2/post/publish/status/fetch/`. `publicaly_available_post_id` is written as bare JSON numbers
 * (one of the two shapes clients see, §4.5): 19 digits, so a naive `JSON.parse` corrupts them.
 */
async function statusFetch(c: Ctx): Promise<Response> {
  const raw: unknown = await c.req.json().catch(() => null);
  const who = caller(c, "status", (scopes) => scopes.includes("video.upload") || scopes.includes("video.publish"));
  if (who instanceof Response) return who;
  const store = c.var.store;
  const body = z.object({ publish_id: z.string().min(1) }).safeParse(raw);
  if (!body.success) return invalid(c, "publish_id is required.");
  const object = store.publishing.object<TikTokJob>(body.data.publish_id);
  if (!isJob(object) || object.account_id !== who.openId) return invalid(c, "The publish_id does not exist or does not belong to this user.");
  const { status, job } = jobStatus(store, object, c.var.receivedAt);
  const postId = status === "PUBLISH_COMPLETE" ? publicPostId(store, job) : null;
  const uploadedBytes = job.source === "FILE_UPLOAD" ? job.received.reduce((sum, index) => sum + chunkLength(job, index), 0) : 0;
  const data = {
    status,
    fail_reason: status === "FAILED" ? (job.failReason ?? "internal") : "",
    publicaly_available_post_id: "@POST_IDS@",
    uploaded_bytes: uploadedBytes,
    downloaded_bytes: job.downloadedBytes,
  };
  const text = JSON.stringify({ data, error: { code: "ok", message: "", log_id: "@LOG@" } }).replace('"@POST_IDS@"', `[${postId ?? ""}]`).replace('"@LOG@"', JSON.stringify(logId(store)));
  return c.body(text, 200, { "content-type": "application/json; charset=UTF-8" });
}

export function chunkLength(job: Pick<TikTokJob, "videoSize" | "chunkSize" | "totalChunks">, index: number): number {
  return index < job.totalChunks - 1 ? job.chunkSize : job.videoSize - job.chunkSize * (job.totalChunks - 1);
}

/** Publishing routes on open.tiktokapis.com, mounted by tiktok.ts. */
export function tiktokPublishRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post("/v2/post/publish/creator_info/query/", creatorInfo)
    .post("/v2/post/publish/video/init/", (c) => init(c, "direct"))
    .post("/v2/post/publish/inbox/video/init/", (c) => init(c, "inbox"))
    .post("/v2/post/publish/status/fetch/", statusFetch);
}
