import { SANDBOX_APPS } from "../../sandbox/apps";

/**
 * Shared by the sandbox inbox tests: Graph calls with real Page tokens from the sandbox's own Login
 * dialog, control calls, and a Page + Instagram post to comment on. The sandbox is shared by every
 * test file, so these helpers never reset it.
 */
export const SANDBOX = "http://sandbox.test";
export const GRAPH = `${SANDBOX}/graph.facebook.com/v23.0`;
export const COFFEE = "104938271234567";
export const COFFEE_IG = "17841400000000001";
export const APP_WEBHOOK = "http://atelier.test/webhooks/meta";
export const SINK = `${SANDBOX}/_sandbox/webhooks/sink`;
export const INBOX_SCOPES = ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "pages_manage_engagement", "pages_manage_metadata", "pages_messaging", "instagram_basic", "instagram_content_publish", "instagram_manage_comments", "instagram_manage_messages"];

export type Json = Record<string, unknown>;
export type GraphErrorBody = { error: { message: string; type: string; code: number; error_subcode?: number } };

/** Consent (unattended) → code → long-lived user token → the Page's token. */
export async function pageToken(pageId: string, scopes = INBOX_SCOPES): Promise<string> {
  const app = SANDBOX_APPS.meta;
  const redirectUri = "http://atelier.test/oauth/facebook/callback";
  const dialog = new URL(`${SANDBOX}/www.facebook.com/v23.0/dialog/oauth`);
  for (const [k, v] of Object.entries({ client_id: app.clientId, redirect_uri: redirectUri, state: "st", response_type: "code", scope: INBOX_SCOPES.join(","), sandbox_auto: "approve", sandbox_scopes: scopes.join(",") })) dialog.searchParams.set(k, v);
  const consent = await fetch(dialog, { redirect: "manual" });
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const exchange = (query: Record<string, string>) => fetch(`${GRAPH}/oauth/access_token?${new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...query })}`).then((r) => r.json() as Promise<{ access_token: string }>);
  const short = await exchange({ redirect_uri: redirectUri, code });
  const long = await exchange({ grant_type: "fb_exchange_token", fb_exchange_token: short.access_token });
  const accounts = (await (await fetch(`${GRAPH}/me/accounts?fields=id,access_token`, { headers: { authorization: `Bearer ${long.access_token}` } })).json()) as { data: { id: string; access_token: string }[] };
  const page = accounts.data.find((p) => p.id === pageId)?.access_token;
  if (!page) throw new Error(`no token for Page ${pageId}`);
  return page;
}

export async function graph<T = Json>(method: string, path: string, options: { token?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers();
  if (options.token) headers.set("authorization", `OAuth ${options.token}`);
  let body: BodyInit | undefined;
  if (options.form) body = new URLSearchParams(options.form);
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("content-type", "application/json");
  }
  const response = await fetch(`${GRAPH}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, body: (await response.json()) as T };
}

export async function control<T = Json>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${SANDBOX}/_sandbox${path}`, { method, ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json()) as T };
}

export type Receipt = { seq: number; body: string; headers: Record<string, string> };
export type InboxAction = { seq: number; action: string; platform: string; account: string; targetId: string; text: string | null; resultId: string | null };
export type Outcome = { delivered: boolean; ok?: boolean; status?: number | null; attempts?: number; duplicates?: number; deliveryId?: string; reason?: string };

/** What the sink received after `since` (a sequence number from an earlier receipt or 0). */
export async function received(since: number): Promise<Receipt[]> {
  return (await control<{ received: Receipt[] }>("GET", `/webhooks/sink/received?since=${since}`)).body.received;
}

export async function lastReceipt(): Promise<number> {
  return (await received(0)).at(-1)?.seq ?? 0;
}

export async function inboxActions(platform: string, account: string): Promise<InboxAction[]> {
  return (await control<{ actions: InboxAction[] }>("GET", `/inbox?platform=${platform}&account=${account}`)).body.actions;
}

/** Subscribes the app (page + instagram objects) to `callbackUrl` with the sandbox's verify token. */
export async function subscribeApp(callbackUrl: string): Promise<{ status: number; body: Json }> {
  return control("POST", "/webhooks/subscribe", { callbackUrl });
}

/** The Page's own subscription of the app (webhooks flow only for subscribed Pages). */
export async function subscribePage(token: string, pageId = COFFEE): Promise<void> {
  const result = await graph("POST", `/${pageId}/subscribed_apps`, { token, form: { subscribed_fields: "feed,messages,message_echoes" } });
  if (result.status !== 200) throw new Error(`subscribed_apps failed: ${JSON.stringify(result.body)}`);
}

/** A live Page post and a live Instagram image to comment on (processing made instant, then restored). */
export async function publishTargets(token: string): Promise<{ fbPost: string; igMedia: string }> {
  const fbPost = (await graph<{ id: string }>("POST", `/${COFFEE}/feed`, { token, form: { message: `Inbox target ${crypto.randomUUID()}` } })).body.id;
  const before = (await control<{ settings: Json }>("POST", "/publishing/settings", {})).body.settings;
  await control("POST", "/publishing/settings", { processingScale: 0 });
  const container = (await graph<{ id: string }>("POST", `/${COFFEE_IG}/media`, { token, form: { image_url: "http://media.example/photo.jpg", caption: "Inbox target" } })).body.id;
  const igMedia = (await graph<{ id: string }>("POST", `/${COFFEE_IG}/media_publish`, { token, form: { creation_id: container } })).body.id;
  await control("POST", "/publishing/settings", before);
  if (!fbPost || !igMedia) throw new Error("could not publish the inbox targets");
  return { fbPost, igMedia };
}

export async function hmacHex(algorithm: "SHA-256" | "SHA-1", bytes: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SANDBOX_APPS.meta.clientSecret), { name: "HMAC", hash: algorithm }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
