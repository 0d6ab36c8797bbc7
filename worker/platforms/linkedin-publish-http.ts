import type { z } from "zod";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import { classifyLinkedInError, linkedInRestHeaders } from "./linkedin";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * How the LinkedIn publisher calls the `/rest` API: the version and protocol headers on every call,
 * JSON bodies, every 2xx body parsed with zod, and refusals turned into failures a person understands.
 * The raw answer is kept: the post URN comes back only in the `x-restli-id` header.
 */
export type LinkedInFailure = PlatformFailure & { notReady?: boolean };

export type LinkedInAnswer<T> =
  | { ok: true; value: T; raw: HttpResult }
  | { ok: false; failure: LinkedInFailure; raw: HttpResult | NetworkFailure; uncertain: boolean; gone: boolean; why: string };

/** Who the call acts for, so a refusal can name the Page or profile. */
export type Author = { urn: string; name: string };

export type LinkedInRequest = { method?: "GET" | "POST" | "DELETE"; token: string; author: Author; json?: unknown };

export const isOrganization = (author: Author) => author.urn.startsWith("urn:li:organization:");

export async function linkedinSend<T extends z.ZodType>(ctx: AdapterContext, url: string, schema: T, request: LinkedInRequest): Promise<LinkedInAnswer<z.infer<T>>> {
  const headers = linkedInRestHeaders(request.token);
  const init: RequestInit = { method: request.method ?? (request.json === undefined ? "GET" : "POST"), headers };
  if (request.json !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(request.json);
  }
  const raw = await ctx.http.request(url, init);
  return answerOf(ctx, raw, schema, request.author);
}

/** Turns any answer (from `/rest` or an upload URL) into a typed one. */
export function answerOf<T extends z.ZodType>(ctx: AdapterContext, raw: HttpResult | NetworkFailure, schema: T, author: Author): LinkedInAnswer<z.infer<T>> {
  if (isNetworkFailure(raw) || raw.status < 200 || raw.status >= 300) {
    const why = isNetworkFailure(raw) ? raw.networkError : `HTTP ${raw.status}`;
    const gone = !isNetworkFailure(raw) && raw.status === 404;
    return { ok: false, failure: classifyLinkedInPublishError(raw, ctx.now, author), raw, uncertain: isNetworkFailure(raw) || raw.status >= 500, gone, why };
  }
  const parsed = schema.safeParse(raw.json);
  if (parsed.success) return { ok: true, value: parsed.data, raw };
  return { ok: false, raw, uncertain: true, gone: false, why: "an unreadable answer", failure: { kind: "retry", status: raw.status, message: `LinkedIn answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "unknown"}).` } };
}

const HOUR_S = 3600;

/** Seconds until the next 00:00 UTC (LinkedIn's daily limits reset then, linkedin.md §9), plus a minute of margin. */
export function secondsUntilUtcMidnight(now: number): number {
  const day = 86_400_000;
  return Math.ceil((Math.floor(now / day) * day + day - now) / 1000) + 60;
}

function restMessage(raw: HttpResult): { message: string | undefined; code: string | undefined } {
  const body = raw.json as { message?: unknown; code?: unknown } | undefined;
  return { message: typeof body?.message === "string" ? body.message : undefined, code: typeof body?.code === "string" ? body.code : undefined };
}

/**
 * LinkedIn's refusals of publishing calls. Token problems, retired versions and outages go through
 * the connection side's `classifyLinkedInError`; publishing adds the author's permission, daily
 * throttles and content validation.
 */
export function classifyLinkedInPublishError(raw: HttpResult | NetworkFailure, now: number, author: Author): LinkedInFailure {
  if (isNetworkFailure(raw)) return classifyLinkedInError(raw);
  const { message, code } = restMessage(raw);
  const said = message ? ` LinkedIn said: “${message}”` : "";
  const base = { status: raw.status, ...(code ? { platformCode: code } : {}) };
  if (raw.status === 403) {
    return isOrganization(author)
      ? { ...base, kind: "reauth", message: `LinkedIn did not let Atelier post as the Page ${author.name}: the connected member must be an administrator or content administrator of the Page and must grant Atelier permission to post for Pages. Connect the account again.${said}` }
      : { ...base, kind: "reauth", message: `LinkedIn did not let Atelier post as ${author.name}: the permission to post on the member's behalf was not granted or was withdrawn. Connect the account again.${said}` };
  }
  if (raw.status === 429) {
    const header = Number(raw.headers.get("retry-after"));
    const daily = /\bDAY\b/i.test(message ?? "");
    // No Retry-After is documented: a daily ceiling resets at 00:00 UTC, anything else is retried in a minute.
    const retryAfterSeconds = Number.isFinite(header) && header > 0 ? header : daily ? secondsUntilUtcMidnight(now) : 60;
    const when = retryAfterSeconds >= 2 * HOUR_S ? `in about ${Math.round(retryAfterSeconds / HOUR_S)} hours` : retryAfterSeconds >= 120 ? `in about ${Math.round(retryAfterSeconds / 60)} minutes` : "in a minute";
    const what = daily ? "LinkedIn's daily limit of API calls for this account has been reached; it resets at midnight UTC." : "LinkedIn is throttling Atelier's requests.";
    return { ...base, kind: "retry", retryAfterSeconds, message: `${what} Atelier will try again ${when}.${said}` };
  }
  if (raw.status === 422 && /not (yet )?(ready|available)|status: (PROCESSING|WAITING_UPLOAD)/i.test(message ?? "")) {
    return { ...base, kind: "retry", notReady: true, message: `LinkedIn is still processing the media of this post, so it cannot be published yet. Atelier will check again shortly.${said}` };
  }
  if (raw.status === 422 || (raw.status === 400 && code !== "VERSION_MISSING")) {
    return { ...base, kind: "fatal", message: `LinkedIn refused the post as invalid.${said}` };
  }
  return classifyLinkedInError(raw);
}
