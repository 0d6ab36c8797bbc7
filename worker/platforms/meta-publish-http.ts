import type { z } from "zod";
import type { Checkpoint, PublishMedia } from "../publishing/types";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import { classifyMetaPublishError, isUncertainAnswer, type MetaPublisherName, type MetaPublishFailure } from "./meta-publish-errors";
import type { AdapterContext } from "./types";

/**
 * The one way the Meta publishers call Graph: parameters as a form body (Graph accepts query, form or
 * JSON; the form body keeps captions out of URLs and logs), the token in the Authorization header,
 * every 2xx body parsed with zod. The raw answer is kept, so the go-live call can tell "refused" from
 * "may have gone live".
 */
export type MetaAnswer<T> =
  | { ok: true; value: T; raw: HttpResult }
  | { ok: false; failure: MetaPublishFailure; raw: HttpResult | NetworkFailure; uncertain: boolean };

export type MetaRequest = {
  method?: "GET" | "POST" | "DELETE";
  token: string;
  /** Sent as `application/x-www-form-urlencoded` (undefined values are left out). */
  form?: Record<string, string | undefined>;
  /** Extra headers (the rupload hosts take their parameters as headers). */
  headers?: Record<string, string>;
  /** A raw body (resumable upload chunks); `headers` must describe it. */
  body?: BodyInit;
  /** `OAuth <token>` instead of `Bearer <token>` (upload hosts). */
  oauthHeader?: boolean;
};

export async function metaSend<T extends z.ZodType>(ctx: AdapterContext, name: MetaPublisherName, url: string, schema: T, request: MetaRequest): Promise<MetaAnswer<z.infer<T>>> {
  const headers: Record<string, string> = { authorization: `${request.oauthHeader ? "OAuth" : "Bearer"} ${request.token}`, ...request.headers };
  let body: BodyInit | undefined = request.body;
  if (request.form) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(request.form)) if (value !== undefined) form.set(key, value);
    body = form;
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const raw = await ctx.http.request(url, { method: request.method ?? (body === undefined ? "GET" : "POST"), headers, ...(body === undefined ? {} : { body }) });
  if (isNetworkFailure(raw) || raw.status < 200 || raw.status >= 300) {
    return { ok: false, failure: classifyMetaPublishError(name, raw), raw, uncertain: isUncertainAnswer(raw) };
  }
  const parsed = schema.safeParse(raw.json);
  if (parsed.success) return { ok: true, value: parsed.data, raw };
  // A 2xx we cannot read: the call was accepted, so for a go-live call the outcome is open.
  return {
    ok: false,
    raw,
    uncertain: true,
    failure: { kind: "fatal", status: raw.status, message: `${name} answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "unknown"}).` },
  };
}

/** Graph's node-not-found answer (code 100 / subcode 33, or 803/404): the object is gone. */
export function isGone(raw: HttpResult | NetworkFailure): boolean {
  if (isNetworkFailure(raw)) return false;
  if (raw.status === 404) return true;
  const error = (raw.json as { error?: { code?: unknown; error_subcode?: unknown } } | undefined)?.error;
  const code = Number(error?.code);
  const subcode = Number(error?.error_subcode);
  return (code === 100 && subcode === 33) || code === 803;
}

/** Graph's `created_time`/`timestamp` ("2026-03-01T10:15:30+0000") as epoch ms. */
export function graphTime(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isFinite(ms) ? ms : null;
}

/** "14:00:03 UTC" (with the date when it is not today's, relative to `now`). */
export function clockTime(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${iso.slice(0, 10)} `}${iso.slice(11, 19)} UTC`;
}

/**
 * Lead times as data (ARCHITECTURE.md §2): seconds before the due time `prepare` starts, per format,
 * scaled by what the platform must fetch and process. `lead = base + perImage × images +
 * perVideoMegabyte × MB + perVideoMinute × minutes`, capped at `max`.
 */
export type LeadRule = { base: number; perImage?: number; perVideoMegabyte?: number; perVideoMinute?: number; max?: number };

export function leadFrom(rule: LeadRule | undefined, media: readonly Pick<PublishMedia, "kind" | "sizeBytes" | "durationMs">[]): number {
  if (!rule) return 60;
  let seconds = rule.base;
  for (const item of media) {
    if (item.kind === "image") seconds += rule.perImage ?? 0;
    else seconds += (rule.perVideoMegabyte ?? 0) * (item.sizeBytes / (1024 * 1024)) + (rule.perVideoMinute ?? 0) * ((item.durationMs ?? 0) / 60_000);
  }
  return Math.ceil(Math.min(seconds, rule.max ?? 3600));
}

/** Parses a stored checkpoint; a shape written by an older version restarts from scratch rather than crash. */
export function readCheckpoint<T extends z.ZodType>(schema: T, checkpoint: Checkpoint): z.infer<T> {
  const parsed = schema.safeParse(checkpoint ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}
