import type { Context } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS } from "../apps";
import { fetchMedia, type FetchedMedia } from "../media-fetch";
import type { GrantRow, SandboxStore, TokenRow } from "../store/store";
import { checkToken, graphError, graphParams, tokenOf } from "./graph-common";
import { mediaHostModule } from "./media-host";
import { META_IG_ACCOUNTS, META_PAGES, type MetaIgAccount, type MetaPage } from "./meta-world";

/**
 * What Facebook Page and Instagram publishing share in the sandbox: the caller's token, Page / IG
 * account authorization, id minting, publishing settings, media fetching and sniffing, processing
 * delays (computed lazily from sandbox time: nothing runs in the background) and Graph time formats.
 */
export type Ctx = Context<SandboxEnv>;
export type Caller = { token: TokenRow; grant: GrantRow; params: URLSearchParams; raw: string };

const APP_ID = SANDBOX_APPS.meta.clientId;
export const SECOND = 1000;
export const DAY = 86_400_000;

// ── request parameters and the caller ──────────────────────────────────────

/**
 * Graph accepts parameters as query, form body or JSON body. A JSON body's non-string values are kept
 * JSON-encoded (e.g. `attached_media` as an array), as a form body would carry them.
 */
export async function publishParams(c: Ctx): Promise<URLSearchParams> {
  const params = await graphParams(c);
  if (c.req.method !== "GET" && (c.req.header("content-type") ?? "").includes("application/json")) {
    const body = (await c.req.json().catch(() => null)) as unknown;
    if (body && typeof body === "object" && !Array.isArray(body)) {
      for (const [key, value] of Object.entries(body)) if (!params.has(key) && value !== undefined && value !== null) params.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return params;
}

/** The checked access token behind a publishing call (190/2500 answers come from checkToken). */
export async function publishCaller(c: Ctx): Promise<Caller | Response> {
  const params = await publishParams(c);
  const raw = tokenOf(c, params);
  const checked = checkToken(c, c.var.store, "meta", APP_ID, raw);
  if (!checked.ok) return checked.response;
  return { token: checked.token, grant: checked.grant, params, raw: raw ?? "" };
}

export const hasScope = (who: Caller, scope: string) => who.grant.scopes.includes(scope);
export const pageOfToken = (who: Caller) => (who.token.subject?.startsWith("page:") ? who.token.subject.slice(5) : null);

/** Graph's answer for an id that does not exist or that this token may not see. */
export function unsupported(c: Ctx, id: string): Response {
  const verb = c.req.method === "GET" ? "get" : c.req.method === "DELETE" ? "delete" : "post";
  return graphError(c, {
    code: 100,
    subcode: 33,
    type: "GraphMethodException",
    message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

export const missingParam = (c: Ctx, name: string) => graphError(c, { code: 100, message: `(#100) The parameter ${name} is required` });
export const invalidParam = (c: Ctx, message: string, subcode?: number) => graphError(c, { code: 100, message: `(#100) ${message}`, ...(subcode !== undefined ? { subcode } : {}) });

/**
 * A Page the token may publish to: a Page token of that very Page, issued under a grant that shares the
 * Page and holds `permission`. A user token gets 210 (Page endpoints want the Page's token).
 */
export function authorizePage(c: Ctx, who: Caller, pageId: string, permission: "pages_manage_posts" | "pages_read_engagement" | "pages_manage_engagement"): MetaPage | Response {
  const page = META_PAGES.find((p) => p.id === pageId);
  if (!page || !who.grant.assets.includes(pageId)) return unsupported(c, pageId);
  const tokenPage = pageOfToken(who);
  if (tokenPage === null) return graphError(c, { code: 210, message: "(#210) A page access token is required to request this resource." });
  if (tokenPage !== pageId) return unsupported(c, pageId);
  if (!hasScope(who, permission)) return permissionError(c, permission);
  return page;
}

export function permissionError(c: Ctx, permission: string): Response {
  if (permission === "pages_manage_posts") return graphError(c, { code: 200, message: "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission" });
  if (permission === "pages_read_engagement") return graphError(c, { code: 10, message: "(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature." });
  if (permission === "pages_manage_engagement") return graphError(c, { code: 200, message: "(#200) Requires pages_manage_engagement permission to manage the object" });
  return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
}

/**
 * An Instagram account the token may act for: the grant shares the IG account, and the token is the
 * linked Page's token (what the Instagram channel stores) or a user token of the same grant (the doc
 * says both work in practice). Missing `permission` is Graph's `(#10)`.
 */
export function authorizeIg(c: Ctx, who: Caller, igId: string, permission: "instagram_content_publish" | "instagram_basic" | "instagram_manage_comments"): MetaIgAccount | Response {
  const account = META_IG_ACCOUNTS.find((a) => a.id === igId);
  if (!account || !who.grant.assets.includes(igId)) return unsupported(c, igId);
  const tokenPage = pageOfToken(who);
  if (tokenPage !== null && tokenPage !== account.pageId) return unsupported(c, igId);
  if (!hasScope(who, permission)) return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
  return account;
}

// ── ids ────────────────────────────────────────────────────────────────────

/**
 * A sandbox-wide counter (in `store.meta`), so ids never repeat across tests that share the sandbox.
 * Ids are numeric strings of the real lengths: FB objects 18 digits (`1221…`), FB videos 16 digits,
 * Page posts `{pageId}_{18 digits}`, IG containers and media 17 digits (`1789…` / `1791…`).
 */
export function nextSeq(store: SandboxStore): number {
  const next = Number(store.meta("publish:seq") ?? "0") + 1;
  store.setMeta("publish:seq", String(next));
  return next;
}

export const newIds = {
  fbObject: (store: SandboxStore) => `1221${String(nextSeq(store)).padStart(14, "0")}`,
  fbVideo: (store: SandboxStore) => `10${String(nextSeq(store)).padStart(14, "0")}`,
  fbPost: (store: SandboxStore, pageId: string) => `${pageId}_1221${String(nextSeq(store)).padStart(14, "0")}`,
  fbComment: (store: SandboxStore, parentId: string) => `${parentId.split("_").at(-1)}_${String(nextSeq(store)).padStart(10, "0")}`,
  igContainer: (store: SandboxStore) => `1789${String(nextSeq(store)).padStart(13, "0")}`,
  igMedia: (store: SandboxStore) => `1791${String(nextSeq(store)).padStart(13, "0")}`,
  igComment: (store: SandboxStore) => `1799${String(nextSeq(store)).padStart(13, "0")}`,
};

// ── settings ───────────────────────────────────────────────────────────────

/**
 * Instagram's rolling-24 h publishing limit. The content-publishing guide says 100, the endpoint
 * reference and carousel section say 50 (instagram.md §2.8). The sandbox defaults to 100, the newer
 * guide text, and reports it through `content_publishing_limit` as the real API does, so adapters that
 * read `quota_total` behave right either way; benchmarks can set 50 through the settings endpoint.
 */
export const DEFAULT_IG_LIMIT = 100;

export const PublishingSettings = z.object({
  /** Multiplies every processing delay: 0 = instant, 1 = realistic default. */
  processingScale: z.number().min(0).max(100),
  igPublishLimitPerDay: z.number().int().min(0).max(100_000),
});
export type PublishingSettings = z.infer<typeof PublishingSettings>;

export function publishingSettings(store: SandboxStore): PublishingSettings {
  const stored = PublishingSettings.partial().safeParse(JSON.parse(store.meta("publish:settings") ?? "{}"));
  return { processingScale: 1, igPublishLimitPerDay: DEFAULT_IG_LIMIT, ...(stored.success ? stored.data : {}) };
}

/** `POST /_sandbox/publishing/settings`: merges what is given, answers the resulting settings. */
export function updatePublishingSettings(store: SandboxStore, body: unknown): { ok: true; settings: PublishingSettings } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = PublishingSettings.partial().strict().safeParse(body ?? {});
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const settings = { ...publishingSettings(store), ...parsed.data };
  store.setMeta("publish:settings", JSON.stringify(settings));
  return { ok: true, settings };
}

// ── processing time ────────────────────────────────────────────────────────

/**
 * How long a platform "processes" media before it is ready, in sandbox milliseconds: images ~2 s;
 * videos 10 s + 1 s per MB, capped at 120 s; all scaled by `processingScale`.
 */
export function processingMs(store: SandboxStore, kind: "image" | "video", sizeBytes: number): number {
  const base = kind === "image" ? 2 * SECOND : Math.min(10 * SECOND + Math.ceil(sizeBytes / 1_000_000) * SECOND, 120 * SECOND);
  return Math.round(base * publishingSettings(store).processingScale);
}

/** Graph's `created_time` / IG's `timestamp`: `2026-03-01T10:15:30+0000`. */
export const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");

// ── media ──────────────────────────────────────────────────────────────────

export type MediaFormat = "jpeg" | "png" | "gif" | "bmp" | "tiff" | "webp" | "mp4" | "mov" | "unknown";

/** What the first bytes say the file is (what platforms check, rather than the declared type). */
export function sniff(head: Uint8Array): MediaFormat {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  const ascii = (i: number, s: string) => at(i, ...[...s].map((ch) => ch.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return "png";
  if (ascii(0, "GIF8")) return "gif";
  if (ascii(0, "BM")) return "bmp";
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return "tiff";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "webp";
  if (ascii(4, "ftyp")) return ascii(8, "qt  ") ? "mov" : "mp4";
  if (ascii(4, "moov") || ascii(4, "mdat") || ascii(4, "wide") || ascii(4, "free")) return "mov";
  return "unknown";
}

/** Width × height from a JPEG's SOFn segment when it lies within the bytes we have; null otherwise. */
export function jpegSize(head: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < head.length) {
    if (head[i] !== 0xff) return null;
    const marker = head[i + 1] as number;
    const length = ((head[i + 2] as number) << 8) | (head[i + 3] as number);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: ((head[i + 5] as number) << 8) | (head[i + 6] as number), width: ((head[i + 7] as number) << 8) | (head[i + 8] as number) };
    }
    i += 2 + length;
  }
  return null;
}

/**
 * The platform fetching a URL it was given. URLs on `media.example` (also reached as
 * `<sandbox origin>/media.example/...`) are answered in-process by the sandbox's own media host: in
 * tests the sandbox's outbound requests go to the app, and locally nothing serves that name. Every
 * other URL is fetched over the network (`fetchMedia`).
 */
export async function fetchPlatformMedia(c: Ctx, url: string): Promise<FetchedMedia> {
  let current = url;
  for (let hop = 0; hop < 5; hop += 1) {
    const local = localMediaPath(c, current);
    if (local === null) return fetchMedia(current);
    const response = await mediaHostModule.routes("media.example").request(local);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, new URL(c.req.url).origin).toString();
      continue;
    }
    return readMedia(response);
  }
  return { ok: false, status: null, reason: "too many redirects" };
}

function localMediaPath(c: Ctx, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === "media.example") return `${parsed.pathname}${parsed.search}`;
  if (parsed.origin === new URL(c.req.url).origin && parsed.pathname.startsWith("/media.example/")) return `${parsed.pathname.slice("/media.example".length)}${parsed.search}`;
  return null;
}

async function readMedia(response: Response): Promise<FetchedMedia> {
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { ok: false, status: response.status, reason: `HTTP ${response.status}` };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { ok: true, contentType: response.headers.get("content-type") ?? "application/octet-stream", sizeBytes: bytes.byteLength, head: bytes.slice(0, 64) };
}

export const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
export const unhex = (text: string) => Uint8Array.from((text.match(/../g) ?? []).map((h) => parseInt(h, 16)));

/** A form/JSON boolean (`true`, `1`, `false`, `0`), or the default when absent. */
export function boolParam(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  if (value === null || value === "") return fallback;
  return !["false", "0", "no"].includes(value.toLowerCase());
}
