import { z } from "zod";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import { classifyTikTokApiError } from "./tiktok";
import { parseJsonKeepingIds } from "./tiktok-json";
import type { AdapterContext, FailureKind, PlatformFailure } from "./types";

/**
 * Calls to TikTok's Content Posting API (shared/platforms/tiktok.md §2–§4): a JSON body, the bearer
 * token, the `{data, error}` envelope read from the raw text (ids stay exact strings), every answer
 * parsed with zod and every refusal turned into a sentence.
 */
export const TIKTOK_API = "https://open.tiktokapis.com";

const Envelope = z.object({
  data: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string().optional(), log_id: z.string().optional() }),
});

/** Per-token limits are per minute (§7) and no Retry-After is documented: wait out the minute. */
const RATE_LIMIT_WAIT_SECONDS = 60;

/** Publishing refusals (§2, §4.5 `fail_reason`), in words a person understands. */
const PUBLISH_ERRORS: Record<string, { kind: FailureKind; message: string; retryAfterSeconds?: number }> = {
  rate_limit_exceeded: { kind: "retry", retryAfterSeconds: RATE_LIMIT_WAIT_SECONDS, message: "TikTok is rate limiting this account's posting requests. Atelier will try again in a minute." },
  spam_risk_too_many_posts: { kind: "fatal", message: "TikTok says this account has reached its daily limit of posts made through apps. Post it later or from the TikTok app." },
  spam_risk_too_many_pending_share: { kind: "fatal", message: "TikTok says this account has too many drafts waiting in its inbox. Post or delete some of them in the TikTok app, then retry." },
  spam_risk_user_banned_from_posting: { kind: "fatal", message: "TikTok has blocked this account from posting. Check the account in the TikTok app." },
  spam_risk_text: { kind: "fatal", message: "TikTok flagged the caption as spam. Change the caption and try again." },
  spam_risk: { kind: "fatal", message: "TikTok flagged this post as spam risk and refused it." },
  privacy_level_option_mismatch: { kind: "fatal", message: "TikTok does not offer the chosen audience for this account. Pick one of the privacy levels the composer shows for it." },
  unaudited_client_can_only_post_to_private_accounts: { kind: "fatal", message: "This TikTok app is not audited yet, so TikTok only accepts posts visible to the creator alone. Choose “Only me” as the audience." },
  reached_active_user_cap: { kind: "retry", retryAfterSeconds: 3600, message: "TikTok's daily limit of accounts posting through this app has been reached. Atelier will try again in an hour." },
  url_ownership_unverified: { kind: "fatal", message: "TikTok refused to download the video because Atelier's media address is not verified for this app. Turn off pulling from URL for this channel." },
  app_version_check_failed: { kind: "fatal", message: "The creator's TikTok app is too old for this kind of post. Update the TikTok app and retry." },
  invalid_params: { kind: "fatal", message: "TikTok rejected the post's parameters." },
  // fail_reason values of a publish job (§4.5).
  video_pull_failed: { kind: "retry", message: "TikTok could not download the video from Atelier. Atelier will try again." },
  file_format_check_failed: { kind: "fatal", message: "TikTok could not read the video file; use an MP4, MOV or WebM with H.264, H.265, VP8 or VP9 video." },
  duration_check_failed: { kind: "fatal", message: "TikTok does not accept the length of this video for this account." },
  frame_rate_check_failed: { kind: "fatal", message: "TikTok does not accept the frame rate of this video; use 23 to 60 frames per second." },
  picture_size_check_failed: { kind: "fatal", message: "TikTok does not accept the picture size of this video; each side must be 360 to 4096 pixels." },
  auth_removed: { kind: "reauth", message: "The TikTok account removed Atelier's access while the video was being published." },
  publish_cancelled: { kind: "fatal", message: "The TikTok publish request was cancelled." },
  internal: { kind: "retry", message: "TikTok had an internal error while publishing. Atelier will try again." },
};

/** A refusal in TikTok's envelope (or no answer at all) → what to do. */
export function classifyPublishError(result: HttpResult | NetworkFailure): PlatformFailure {
  if (isNetworkFailure(result)) return classifyTikTokApiError(result);
  const envelope = Envelope.safeParse(parseJsonKeepingIds(result.text));
  const code = envelope.success ? envelope.data.error.code : undefined;
  const known = code ? PUBLISH_ERRORS[code] : undefined;
  if (!known || !code) return classifyTikTokApiError(result);
  const said = envelope.success && envelope.data.error.message ? ` TikTok said: “${envelope.data.error.message}”` : "";
  return { kind: known.kind, status: result.status, platformCode: code, message: `${known.message}${said}`, ...(known.retryAfterSeconds ? { retryAfterSeconds: known.retryAfterSeconds } : {}) };
}

/** A job's `fail_reason` as a failure (no HTTP status: the job failed after being accepted). */
export function failReasonFailure(reason: string): PlatformFailure {
  const known = PUBLISH_ERRORS[reason];
  if (known) return { kind: known.kind, platformCode: reason, message: known.message, ...(known.retryAfterSeconds ? { retryAfterSeconds: known.retryAfterSeconds } : {}) };
  return { kind: "fatal", platformCode: reason || undefined, message: `TikTok could not publish the video${reason ? ` (it reported “${reason}”)` : ""}.` };
}

export type TikTokAnswer<T> =
  | { ok: true; value: T }
  /** `uncertain`: no usable answer (network, 5xx, unreadable 2xx): the request may have been acted on. */
  | { ok: false; failure: PlatformFailure; uncertain: boolean; why: string };

/** `POST {path}` with a JSON body; success is HTTP 200 and `error.code == "ok"` (§2). */
export async function tiktokPost<T extends z.ZodType>(ctx: AdapterContext, path: string, token: string, body: unknown, data: T): Promise<TikTokAnswer<z.infer<T>>> {
  const raw = await ctx.http.request(`${TIKTOK_API}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json; charset=UTF-8" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (isNetworkFailure(raw)) return { ok: false, failure: classifyPublishError(raw), uncertain: true, why: raw.networkError };
  const envelope = Envelope.safeParse(parseJsonKeepingIds(raw.text));
  if (raw.status !== 200 || !envelope.success || envelope.data.error.code !== "ok") {
    const readable = envelope.success;
    return { ok: false, failure: classifyPublishError(raw), uncertain: raw.status >= 500 || (raw.status === 200 && !readable), why: `HTTP ${raw.status}${readable ? ` ${envelope.data.error.code}` : ""}` };
  }
  const parsed = data.safeParse(envelope.data.data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, uncertain: true, why: "an unreadable answer", failure: { kind: "retry", status: raw.status, message: `TikTok answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "unknown"}).` } };
}

// ── creator info (§3) ──────────────────────────────────────────────────────

export const CreatorInfo = z.object({
  creator_avatar_url: z.string().nullish(),
  creator_username: z.string().default(""),
  creator_nickname: z.string().default(""),
  privacy_level_options: z.array(z.string()),
  comment_disabled: z.boolean().default(false),
  duet_disabled: z.boolean().default(false),
  stitch_disabled: z.boolean().default(false),
  max_video_post_duration_sec: z.number().int().positive().default(600),
});
export type CreatorInfo = z.infer<typeof CreatorInfo>;

/** TikTok's codes that mean "this creator cannot post right now" rather than "the request was wrong". */
export const CANNOT_POST_CODES = new Set(["spam_risk_too_many_posts", "spam_risk_user_banned_from_posting", "reached_active_user_cap", "spam_risk", "spam_risk_too_many_pending_share"]);

/** Codes that mean the grant lacks a scope (here: `video.publish`, so Direct Post is not available). */
export const MISSING_SCOPE_CODES = new Set(["scope_not_authorized", "scope_permission_missed"]);

export function queryCreatorInfo(ctx: AdapterContext, token: string): Promise<TikTokAnswer<CreatorInfo>> {
  return tiktokPost(ctx, "/v2/post/publish/creator_info/query/", token, undefined, CreatorInfo);
}

// ── status (§4.5) ──────────────────────────────────────────────────────────

export const PublishStatus = z.object({
  status: z.string(),
  fail_reason: z.string().nullish(),
  /** Exact digit strings whether TikTok wrote them quoted or bare (see tiktok-json.ts). */
  publicaly_available_post_id: z.array(z.union([z.string(), z.number().int().transform(String)])).nullish(),
  uploaded_bytes: z.number().nullish(),
  downloaded_bytes: z.number().nullish(),
});
export type PublishStatus = z.infer<typeof PublishStatus>;

export function fetchStatus(ctx: AdapterContext, token: string, publishId: string): Promise<TikTokAnswer<PublishStatus>> {
  return tiktokPost(ctx, "/v2/post/publish/status/fetch/", token, { publish_id: publishId }, PublishStatus);
}
