import { z } from "zod";
import { describeRange } from "../domain/aspect-ratio";
import { facebook as facebookCapabilities } from "../domain/capabilities/facebook";
import { instagram as instagramCapabilities } from "../domain/capabilities/instagram";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import { classifyGraphError } from "./meta-graph";
import type { PlatformFailure } from "./types";

/**
 * Publishing errors of Facebook Pages and Instagram (shared/platforms/meta-auth-and-pages.md §1,
 * instagram.md §2.7, §2.8, §6) → `PlatformFailure` with a sentence a person understands. Token,
 * permission and app problems fall through to the connection layer's `classifyGraphError`, so a dead
 * token reads the same whether it is noticed while connecting or while publishing.
 */
export type MetaPublisherName = "Facebook" | "Instagram";

/** A classified publishing failure; `notReady` marks Instagram's "media not ready" (poll longer, then publish again). */
export type MetaPublishFailure = PlatformFailure & { notReady?: boolean };

const Envelope = z.object({
  error: z.object({
    message: z.string().default(""),
    code: z.coerce.number().int(),
    error_subcode: z.coerce.number().int().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
  }),
});

/** Graph's rate-limit codes (app 4, user 17, page 32, 613, and the Business-Use-Case family 80001…). */
export const META_RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009]);

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const igFeedAspect = describeRange(instagramCapabilities.formats.feed?.image?.aspect ?? { min: { w: 4, h: 5, label: "4:5" }, max: { w: 191, h: 100, label: "1.91:1" } });
const igImageMax = mb(instagramCapabilities.formats.feed?.image?.maxBytes ?? 8 * 1024 * 1024);
const fbImageMax = mb(facebookCapabilities.formats.photo?.image?.maxBytes ?? 4 * 1024 * 1024);

type SubcodeRule = { kind: PlatformFailure["kind"]; message: string; notReady?: boolean };

/**
 * Instagram's content subcodes (instagram.md §6). The aspect-ratio sentence is built the way
 * worker/domain/media-rules.ts words its own check ("Instagram needs an aspect ratio between 4:5 and
 * 1.91:1"), so the platform's refusal reads like Atelier's validation of the same rule.
 */
const INSTAGRAM_SUBCODES: Record<number, SubcodeRule> = {
  2207001: { kind: "fatal", message: "Instagram flagged this post as spam and did not publish it." },
  2207003: { kind: "retry", message: "Instagram timed out downloading the media. Atelier will try again." },
  2207004: { kind: "fatal", message: `Instagram says the image is too large; keep images under ${igImageMax}.` },
  2207005: { kind: "fatal", message: "Instagram does not support this image format; use a JPEG." },
  2207006: { kind: "retry", message: "Instagram no longer has the prepared media. Atelier will prepare it again." },
  2207008: { kind: "retry", message: "Instagram's prepared media expired before it was published. Atelier will prepare it again." },
  2207009: { kind: "fatal", message: `Instagram needs ${igFeedAspect} for feed images; crop the image and try again.` },
  36003: { kind: "fatal", message: `Instagram needs ${igFeedAspect} for feed images; crop the image and try again.` },
  2207010: { kind: "fatal", message: "Instagram says the caption is too long; captions can have at most 2,200 characters." },
  2207020: { kind: "retry", message: "Instagram's prepared media expired before it was published. Atelier will prepare it again." },
  2207023: { kind: "fatal", message: "Instagram does not recognise the type of this media." },
  2207026: { kind: "fatal", message: "Instagram does not support this video format; use an MP4 or MOV with H.264 or HEVC video and AAC audio." },
  2207027: { kind: "retry", notReady: true, message: "Instagram is still processing the media, so it cannot be published yet. Atelier will check again shortly." },
  2207028: { kind: "fatal", message: "Instagram refused the carousel; it needs 2 to 10 images or videos that each meet its rules." },
  2207032: { kind: "retry", message: "Instagram could not create the media. Atelier will try again." },
  2207042: { kind: "retry", message: "Instagram's limit on posts published through its API in 24 hours has been reached for this account." },
  2207050: { kind: "fatal", message: "Instagram has restricted this account, so it cannot publish right now. Check the account in the Instagram app." },
  2207051: { kind: "fatal", message: "Instagram blocked this action to protect its community. Check the account in the Instagram app." },
  2207052: { kind: "retry", message: "Instagram could not download the media from Atelier. Atelier will try again." },
  2207053: { kind: "retry", message: "Instagram had an unknown problem with the upload. Atelier will try again." },
  2207057: { kind: "fatal", message: "Instagram refused the cover frame position of the video." },
  2207077: { kind: "retry", message: "Instagram could not download the video from Atelier. Atelier will try again." },
  2207081: { kind: "fatal", message: "This Instagram account does not support trial reels." },
  2207082: { kind: "retry", message: "Instagram could not upload the media. Atelier will try again." },
  36001: { kind: "fatal", message: "Instagram does not support this image's resolution." },
};
for (let subcode = 2207035; subcode <= 2207040; subcode++) INSTAGRAM_SUBCODES[subcode] = { kind: "fatal", message: "Instagram refused the product tags on this post." };

/** Facebook Page publishing subcodes (meta-auth-and-pages.md §1, as seen by production clients). */
const FACEBOOK_SUBCODES: Record<number, SubcodeRule> = {
  1366046: { kind: "fatal", message: `Facebook could not use this photo; keep photos under ${fbImageMax} as JPEG or PNG.` },
  1390008: { kind: "retry", message: "Facebook says this Page is posting too fast. Atelier will try again in a few minutes." },
  1346003: { kind: "fatal", message: "Facebook flagged this post as abusive and did not publish it." },
  1404102: { kind: "fatal", message: "Facebook says this post goes against its Community Standards and did not publish it." },
  1404078: { kind: "reauth", message: "Facebook requires Page publishing authorization for this Page. A Page admin must complete it in Facebook, then connect the Page again." },
  1366051: { kind: "fatal", message: "Facebook says these photos were already posted." },
  1609008: { kind: "fatal", message: "Facebook does not allow posting links to facebook.com through its API; remove the link." },
  2061006: { kind: "fatal", message: "Facebook says a link in the post is not a valid URL." },
  1363047: { kind: "retry", message: "Facebook's service is temporarily unavailable. Atelier will try again." },
  1609010: { kind: "retry", message: "Facebook's service is temporarily unavailable. Atelier will try again." },
  4854002: { kind: "fatal", message: "Facebook requires a Page admin to confirm their identity in the Facebook app before the Page can publish." },
  1404112: { kind: "fatal", message: "Facebook has temporarily limited this account, so it cannot publish right now." },
};

/** Instagram's "not ready" pair: code 9007 / subcode 2207027. */
export function isNotReady(code: number, subcode: number | undefined): boolean {
  return code === 9007 || subcode === 2207027;
}

/**
 * Seconds until the caller may call again, from the usage headers (meta-auth-and-pages.md §1):
 * `Retry-After`, the longest `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`,
 * or, when `X-App-Usage` shows a quota at 100 %, Graph's rolling hour (a conservative 10 minutes).
 */
export function metaRetryAfterSeconds(headers: Headers): number | undefined {
  const retryAfter = Number(headers.get("retry-after"));
  let seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0;
  const buc = parseJson(headers.get("x-business-use-case-usage"));
  const Usage = z.record(z.string(), z.array(z.object({ estimated_time_to_regain_access: z.coerce.number().optional() }).loose()));
  const usage = Usage.safeParse(buc);
  if (usage.success) {
    const minutes = Math.max(0, ...Object.values(usage.data).flat().map((u) => u.estimated_time_to_regain_access ?? 0));
    seconds = Math.max(seconds, minutes * 60);
  }
  for (const name of ["x-app-usage", "x-page-usage"]) {
    const app = z.record(z.string(), z.coerce.number()).safeParse(parseJson(headers.get(name)));
    if (app.success && Object.values(app.data).some((pct) => pct >= 100)) seconds = Math.max(seconds, 600);
  }
  return seconds > 0 ? seconds : undefined;
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const inMinutes = (seconds: number | undefined) => (seconds ? `in about ${Math.max(1, Math.ceil(seconds / 60))} minute${seconds > 60 ? "s" : ""}` : "in a few minutes");

/** A Graph publishing error (or transport failure) → what to do, in plain words. */
export function classifyMetaPublishError(name: MetaPublisherName, result: HttpResult | NetworkFailure): MetaPublishFailure {
  if (isNetworkFailure(result)) return classifyGraphError({ name, credentialsKey: "meta" }, result);
  const parsed = Envelope.safeParse(result.json);
  const status = result.status;
  if (!parsed.success) {
    if (status === 429) {
      const retryAfterSeconds = metaRetryAfterSeconds(result.headers);
      return { kind: "retry", status, retryAfterSeconds, message: `${name} is limiting how often Atelier may call it. Atelier will try again ${inMinutes(retryAfterSeconds)}.` };
    }
    return classifyGraphError({ name, credentialsKey: "meta" }, result);
  }
  const e = parsed.data.error;
  const platformCode = e.error_subcode === undefined ? String(e.code) : `${e.code}/${e.error_subcode}`;
  const base = { status, platformCode };

  if (isNotReady(e.code, e.error_subcode)) return { ...base, ...INSTAGRAM_SUBCODES[2207027]!, notReady: true };
  if (e.code === 9 || e.error_subcode === 2207042) {
    return { ...base, kind: "retry", retryAfterSeconds: 3600, message: `${INSTAGRAM_SUBCODES[2207042]!.message} Atelier will try again in an hour.` };
  }
  if (META_RATE_LIMIT_CODES.has(e.code) || status === 429) {
    const retryAfterSeconds = metaRetryAfterSeconds(result.headers);
    return { ...base, kind: "retry", retryAfterSeconds, message: `${name} is limiting how often Atelier may call it. Atelier will try again ${inMinutes(retryAfterSeconds)}.` };
  }
  const table = name === "Instagram" ? INSTAGRAM_SUBCODES : FACEBOOK_SUBCODES;
  const rule = e.error_subcode !== undefined ? table[e.error_subcode] : undefined;
  if (rule) return { ...base, kind: rule.kind, message: rule.message, ...(rule.notReady ? { notReady: true } : {}) };
  if (e.code === 506) return { ...base, kind: "fatal", message: `${name} refused this post as a duplicate of one the Page already published.` };
  if (e.code === 368) return { ...base, kind: "fatal", message: `${name} has temporarily blocked this account from publishing for a policy reason.${quoted(name, e)}` };
  if (e.code === 9004) return { ...base, kind: "retry", message: `${name} could not download the media from Atelier. Atelier will try again.` };
  return classifyGraphError({ name, credentialsKey: "meta" }, result);
}

function quoted(name: string, e: { message: string; error_user_msg?: string }): string {
  const said = (e.error_user_msg ?? e.message).trim().replace(/[.!?]+$/, "");
  return said ? ` ${name} said: “${said}”.` : "";
}

/**
 * An Instagram container in `ERROR`: its `status` text carries the subcode ("Error: Media upload has
 * failed with error code 2207026"). Unknown or missing subcodes become a plain, final refusal.
 */
export function containerErrorFailure(statusText: string | undefined): MetaPublishFailure {
  const subcode = Number(/\b(2207\d{3}|36\d{3})\b/.exec(statusText ?? "")?.[1]);
  const rule = Number.isFinite(subcode) ? INSTAGRAM_SUBCODES[subcode] : undefined;
  if (rule) return { kind: rule.kind, platformCode: String(subcode), message: rule.message };
  const said = (statusText ?? "").trim().replace(/[.!?]+$/, "");
  return { kind: "fatal", ...(Number.isFinite(subcode) ? { platformCode: String(subcode) } : {}), message: `Instagram could not process the media.${said ? ` Instagram said: “${said}”.` : ""}` };
}

/**
 * Whether a go-live call's answer leaves the outcome open: no answer at all, a 5xx (Graph's code 1/2
 * "unknown error" included), or a 2xx whose body could not be read. Any 4xx means the platform
 * answered and did not publish, except 506 "duplicate" which may mean an earlier attempt went live.
 */
export function isUncertainAnswer(result: HttpResult | NetworkFailure): boolean {
  if (isNetworkFailure(result)) return true;
  if (result.status >= 500) return true;
  const parsed = Envelope.safeParse(result.json);
  return parsed.success && parsed.data.error.code === 506;
}
