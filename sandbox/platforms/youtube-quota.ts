import type { Context } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxStore } from "../store/store";
import { googleError } from "./google-youtube";

/**
 * The project's daily YouTube Data API quota (youtube.md §4): per-method unit costs in one pool
 * (10,000 units a day by default) and the separate bucket of 100 `videos.insert` calls a day the
 * current docs describe. Days are Pacific dates: quotas reset at midnight America/Los_Angeles.
 * Exhausted → 403 `quotaExceeded` in Google's envelope. Both limits are settable through
 * `POST /_sandbox/youtube/quota` (`{unitsPerDay, uploadsPerDay}`; null restores the default).
 *
 * Simplification (unverified): only the call that starts an upload session is charged for an upload;
 * the chunk PUTs of the session are free.
 */
export const YOUTUBE_QUOTA_DEFAULTS = { unitsPerDay: 10_000, uploadsPerDay: 100 };

export const YOUTUBE_COSTS = {
  "channels.list": 1,
  "videos.list": 1,
  "commentThreads.list": 1,
  "videos.update": 50,
  "videos.delete": 50,
  "thumbnails.set": 50,
  "videos.insert": 1,
} as const;
export type YoutubeMethod = keyof typeof YOUTUBE_COSTS;

/** "2026-11-29" in America/Los_Angeles: the quota day `now` belongs to. */
export function pacificDate(now: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(now));
}

const unitsKey = (day: string) => `youtube:quota:units:${day}`;
const uploadsKey = (day: string) => `youtube:quota:uploads:${day}`;

export function quotaUsage(store: SandboxStore): { day: string; units: number; uploads: number } {
  const day = pacificDate(store.now());
  return { day, units: Number(store.meta(unitsKey(day)) ?? "0"), uploads: Number(store.meta(uploadsKey(day)) ?? "0") };
}

export const QuotaLimits = z.object({ unitsPerDay: z.number().int().min(0).max(10_000_000).nullable(), uploadsPerDay: z.number().int().min(0).max(100_000).nullable() }).partial().strict();
type Limits = { unitsPerDay: number; uploadsPerDay: number };
const LIMITS_KEY = "youtube:quota:limits";

export function quotaLimits(store: SandboxStore): Limits {
  const stored = QuotaLimits.safeParse(JSON.parse(store.meta(LIMITS_KEY) ?? "{}"));
  const set = stored.success ? stored.data : {};
  return { unitsPerDay: set.unitsPerDay ?? YOUTUBE_QUOTA_DEFAULTS.unitsPerDay, uploadsPerDay: set.uploadsPerDay ?? YOUTUBE_QUOTA_DEFAULTS.uploadsPerDay };
}

/** Merges what is given (null = back to the default) and answers the limits now in force. */
export function setQuotaLimits(store: SandboxStore, body: unknown): { ok: true; limits: Limits } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = QuotaLimits.safeParse(body ?? {});
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const current = QuotaLimits.safeParse(JSON.parse(store.meta(LIMITS_KEY) ?? "{}"));
  store.setMeta(LIMITS_KEY, JSON.stringify({ ...(current.success ? current.data : {}), ...parsed.data }));
  return { ok: true, limits: quotaLimits(store) };
}

/**
 * Charges one call to today's quota, or answers `quotaExceeded` when it would go over. Every call
 * that reaches the API is charged, even one that then fails validation (§4: "even invalid").
 */
export function chargeQuota(c: Context<SandboxEnv>, method: YoutubeMethod): Response | null {
  const store = c.var.store;
  const { unitsPerDay, uploadsPerDay } = quotaLimits(store);
  const usage = quotaUsage(store);
  const cost = YOUTUBE_COSTS[method];
  const over = method === "videos.insert" ? usage.uploads + 1 > uploadsPerDay : usage.units + cost > unitsPerDay;
  if (over) return googleError(c, 403, "PERMISSION_DENIED", "quotaExceeded", "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.", "youtube.quota");
  if (method === "videos.insert") store.setMeta(uploadsKey(usage.day), String(usage.uploads + 1));
  else store.setMeta(unitsKey(usage.day), String(usage.units + cost));
  return null;
}
