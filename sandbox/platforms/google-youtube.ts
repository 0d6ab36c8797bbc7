import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import type { TokenCheck } from "../store/store";
import { avatar, type Asset } from "../world";
import { chargeQuota } from "./youtube-quota";

/**
 * Sam's two YouTube channels: a personal channel and one of a Brand Account. On Google's consent
 * screen a person picks ONE channel identity for the grant. The shared consent page lists both with
 * checkboxes, so the sandbox treats the first ticked channel as the identity chosen
 * (`sandbox_assets=<channel id>` picks one in tests; ticking none gives an account without a channel).
 */
export const YOUTUBE_CHANNELS = [
  {
    id: "UCsbxSamSandboxPersonal1",
    title: "Sam Sandbox",
    customUrl: "@samsandbox",
    description: "Sam's personal channel (sandbox).",
    publishedAt: "2019-04-02T09:30:00Z",
    thumbnail: avatar("SS", 4),
    statistics: { viewCount: "10234", subscriberCount: "312", hiddenSubscriberCount: false, videoCount: "27" },
    detail: "Personal channel",
  },
  {
    id: "UCsbxSamsKitchenBrand001",
    title: "Sam's Kitchen",
    customUrl: "@samskitchen",
    description: "Recipes from Sam's Kitchen (sandbox Brand Account).",
    publishedAt: "2021-11-15T17:00:00Z",
    thumbnail: avatar("SK", 28),
    statistics: { viewCount: "482113", subscriberCount: "15840", hiddenSubscriberCount: false, videoCount: "164" },
    detail: "Brand Account",
  },
] as const;

type SandboxChannel = (typeof YOUTUBE_CHANNELS)[number];

export const YOUTUBE_ASSETS: Asset[] = YOUTUBE_CHANNELS.map((ch) => ({ id: ch.id, kind: "youtube_channel", name: ch.title, handle: ch.customUrl.slice(1), picture: ch.thumbnail, detail: ch.detail }));

const SCOPE = "https://www.googleapis.com/auth/";
/** Any of these lets a token read the channel (`youtube.upload` alone does not). */
const READ_SCOPES = [`${SCOPE}youtube.readonly`, `${SCOPE}youtube`, `${SCOPE}youtube.force-ssl`, `${SCOPE}youtubepartner`];

/** Google's JSON error envelope, exactly as the Data API sends it. */
export function googleError(c: Context, code: 400 | 401 | 403 | 404, status: string, reason: string, message: string, domain = "global"): Response {
  return c.json({ error: { code, message, errors: [{ message, domain, reason }], status } }, code);
}

/** The Bearer token's check, or an error response in Google's envelope. */
export function bearer(c: Context<SandboxEnv>): Extract<TokenCheck, { ok: true }> | Response {
  const header = c.req.header("authorization") ?? "";
  if (!header.startsWith("Bearer ")) {
    return googleError(c, 401, "UNAUTHENTICATED", "required", "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
  }
  const check = c.var.store.check(header.slice("Bearer ".length), "access");
  if (!check.ok) {
    return googleError(c, 401, "UNAUTHENTICATED", "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
  }
  return check;
}

function channelResource(channel: SandboxChannel, parts: string[]): Record<string, unknown> {
  const resource: Record<string, unknown> = { kind: "youtube#channel", etag: `sbx-etag-${channel.id}`, id: channel.id };
  if (parts.includes("snippet")) {
    resource.snippet = {
      title: channel.title,
      description: channel.description,
      customUrl: channel.customUrl,
      publishedAt: channel.publishedAt,
      thumbnails: {
        default: { url: channel.thumbnail, width: 88, height: 88 },
        medium: { url: channel.thumbnail, width: 240, height: 240 },
        high: { url: channel.thumbnail, width: 800, height: 800 },
      },
      localized: { title: channel.title, description: channel.description },
    };
  }
  // The uploads playlist id is the channel id with `UU` in place of `UC`.
  if (parts.includes("contentDetails")) resource.contentDetails = { relatedPlaylists: { likes: "", uploads: `UU${channel.id.slice(2)}` } };
  if (parts.includes("statistics")) resource.statistics = channel.statistics;
  return resource;
}

/** `www.googleapis.com`: the YouTube Data API paths the connection flow uses. */
export function youtubeDataRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().get("/youtube/v3/channels", (c) => {
    const check = bearer(c);
    if (check instanceof Response) return check;
    if (!check.grant.scopes.some((s) => READ_SCOPES.includes(s))) {
      return googleError(c, 403, "PERMISSION_DENIED", "insufficientPermissions", "Request had insufficient authentication scopes.");
    }
    const charged = chargeQuota(c, "channels.list");
    if (charged) return charged;
    const parts = (c.req.query("part") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) return googleError(c, 400, "INVALID_ARGUMENT", "required", "Required parameter: part", "youtube.parameter");
    const unknownPart = parts.find((p) => !["id", "snippet", "contentDetails", "statistics"].includes(p));
    if (unknownPart) return googleError(c, 400, "INVALID_ARGUMENT", "unknownPart", `'${unknownPart}'`, "youtube.part");

    // The grant acts as one channel identity: the first channel ticked on the consent page.
    const identity = YOUTUBE_CHANNELS.find((ch) => ch.id === check.grant.assets[0]);
    let matched: SandboxChannel[];
    if (c.req.query("mine") === "true") matched = identity ? [identity] : [];
    else if (c.req.query("id")) {
      const ids = (c.req.query("id") ?? "").split(",");
      matched = YOUTUBE_CHANNELS.filter((ch) => ids.includes(ch.id));
    } else {
      return googleError(c, 400, "INVALID_ARGUMENT", "missingRequiredParameter", "No filter selected. Expected one of: forUsername, managedByMe, categoryId, mine, mySubscribers, id, idParam, forHandle", "youtube.parameter");
    }
    // An account without a channel gets a list without `items` (the adapter also accepts `items: []`).
    const body: Record<string, unknown> = { kind: "youtube#channelListResponse", etag: "sbx-etag-channel-list", pageInfo: { totalResults: matched.length, resultsPerPage: 5 } };
    if (matched.length > 0) body.items = matched.map((ch) => channelResource(ch, parts));
    return c.json(body);
  });
}
