import { Hono, type Context } from "hono";
import type { PlatformModule } from ".";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS } from "../apps";
import { authorize } from "../consent";
import { SANDBOX_USER, avatar } from "../world";
import { threadsPublishRoutes } from "./threads-publish";
import { checkToken, fieldsOf, graphError, graphParams, pick, tokenOf } from "./graph-common";

type Ctx = Context<SandboxEnv>;
const APP = SANDBOX_APPS.threads;
const HOUR = 3_600_000;
const SHORT_LIVED_MS = HOUR;
const LONG_LIVED_S = 5_183_944;

/** Sam Sandbox's Threads profile. */
export const THREADS_PROFILE = { id: "25123456789012345", username: "sam.sandbox", name: SANDBOX_USER.name, picture: avatar("SS", 200), biography: "Testing everything twice." } as const;

const THREADS_SCOPES: Record<string, string> = {
  threads_basic: "Access your Threads profile",
  threads_content_publish: "Create posts on Threads",
  threads_manage_replies: "Manage replies to your posts",
  threads_read_replies: "Read replies to your posts",
  threads_manage_insights: "Read insights for your posts and profile",
  threads_manage_mentions: "Read posts that mention you",
  threads_delete: "Delete your posts",
};

/**
 * `threads.net/oauth/authorize`. The denial redirect mirrors Facebook Login's parameters; Threads does
 * not document its exact shape (unverified).
 */
async function authorizeThreads(c: Ctx): Promise<Response> {
  const url = new URL(c.req.url);
  const q = url.searchParams;
  const redirectUri = q.get("redirect_uri");
  // Threads reports authorize-URL problems on the page itself as a bare error code 1.
  if (q.get("client_id") !== APP.clientId || !redirectUri || !/^https?:\/\//.test(redirectUri)) return c.html(`<!doctype html><title>Threads (sandbox)</title><p>Something went wrong. error_code: 1</p>`, 400);
  const requested = (q.get("scope") ?? "").split(/[,\s]+/).filter(Boolean);
  if (requested.some((s) => !(s in THREADS_SCOPES)) || q.get("response_type") !== "code") return c.html(`<!doctype html><title>Threads (sandbox)</title><p>Something went wrong. error_code: 1</p>`, 400);
  const state = q.get("state");
  const back = (params: Record<string, string>, fragment: string) => {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    if (state !== null) target.searchParams.set("state", state);
    return `${target.toString()}${fragment}`;
  };
  return authorize(c, c.var.store, {
    platform: "threads",
    platformName: "Threads",
    clientId: APP.clientId,
    redirectUri,
    state,
    scopes: requested.map((scope) => ({ scope, label: THREADS_SCOPES[scope] ?? scope })),
    assets: [],
    // Threads appends `#_` to the redirect; browsers keep it out of the query.
    approveRedirect: (code) => back({ code }, "#_"),
    denyRedirect: () => back({ error: "access_denied", error_code: "200", error_description: "Permissions error", error_reason: "user_denied" }, "#_"),
    codeChallenge: null,
    codeChallengeMethod: null,
    action: `${url.pathname}${url.search}`,
  });
}

/** `POST graph.threads.net/oauth/access_token` (form or query): code → short-lived token (1 h) and user id. */
async function exchangeCode(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const p = await graphParams(c);
  if (p.get("client_id") !== APP.clientId) return graphError(c, { code: 101, message: "Error validating application. Invalid application ID." });
  if (p.get("client_secret") !== APP.clientSecret) return graphError(c, { code: 1, message: "Error validating client secret." });
  if (p.get("grant_type") !== "authorization_code") return graphError(c, { code: 100, message: "Unsupported grant_type" });
  const row = store.consumeCode(p.get("code") ?? "");
  if (row === "invalid" || (typeof row === "object" && row.platform !== "threads")) return graphError(c, { code: 100, message: "Invalid verification code format." });
  if (row === "used") return graphError(c, { code: 100, subcode: 36009, message: "This authorization code has been used." });
  if (row === "expired") return graphError(c, { code: 100, subcode: 36007, message: "This authorization code has expired." });
  if (row.redirect_uri !== p.get("redirect_uri")) {
    return graphError(c, { code: 100, subcode: 36008, message: "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request" });
  }
  const short = store.issueToken("threads", "access", row.grant_id, SHORT_LIVED_MS, "short");
  return c.json({ access_token: short.token, user_id: THREADS_PROFILE.id });
}

/** `GET graph.threads.net/access_token?grant_type=th_exchange_token`: short → long-lived (60 days); needs the app secret. */
async function exchangeLongLived(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const p = await graphParams(c);
  if (p.get("grant_type") !== "th_exchange_token") return graphError(c, { code: 100, message: "Unsupported grant_type" });
  if (p.get("client_secret") !== APP.clientSecret) return graphError(c, { code: 1, message: "Error validating client secret." });
  const checked = checkToken(c, store, "threads", APP.clientId, p.get("access_token"));
  if (!checked.ok) return checked.response;
  const long = store.issueToken("threads", "access", checked.grant.id, LONG_LIVED_S * 1000, "long");
  return c.json({ access_token: long.token, token_type: "bearer", expires_in: LONG_LIVED_S });
}

/**
 * `GET graph.threads.net/refresh_access_token?grant_type=th_refresh_token`: a long-lived token at least
 * 24 h old and unexpired becomes a new 60-day token (the old one stays valid until its own expiry).
 * The wording of the "too young" and "short-lived" errors is the sandbox's own (unverified).
 */
async function refresh(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const p = await graphParams(c);
  if (p.get("grant_type") !== "th_refresh_token") return graphError(c, { code: 100, message: "Unsupported grant_type" });
  const checked = checkToken(c, store, "threads", APP.clientId, p.get("access_token"));
  if (!checked.ok) return checked.response;
  if (checked.token.subject !== "long") return graphError(c, { code: 100, message: "(#100) Only long-lived access tokens can be refreshed." });
  if (store.now() - checked.token.created_at < 24 * HOUR) return graphError(c, { code: 100, message: "(#100) The access token must be at least 24 hours old to be refreshed." });
  const next = store.issueToken("threads", "access", checked.grant.id, LONG_LIVED_S * 1000, "long");
  return c.json({ access_token: next.token, token_type: "bearer", expires_in: LONG_LIVED_S });
}

/** `GET graph.threads.net/v1.0/me`: the profile; every endpoint needs `threads_basic`. */
async function me(c: Ctx): Promise<Response> {
  const p = await graphParams(c);
  const checked = checkToken(c, c.var.store, "threads", APP.clientId, tokenOf(c, p));
  if (!checked.ok) return checked.response;
  if (!checked.grant.scopes.includes("threads_basic")) return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
  const profile = { id: THREADS_PROFILE.id, username: THREADS_PROFILE.username, name: THREADS_PROFILE.name, threads_profile_picture_url: THREADS_PROFILE.picture, threads_biography: THREADS_PROFILE.biography, is_verified: false };
  return c.json(pick(profile, fieldsOf(p, ["id"])));
}

/**
 * `GET graph.threads.net/debug_token?input_token=…&access_token=…`: the token's scopes and expiry.
 * Accepts the token itself or an app token `TH|{app id}|{app secret}` as the caller (unverified).
 */
async function debugToken(c: Ctx): Promise<Response> {
  const store = c.var.store;
  const p = await graphParams(c);
  const callerToken = tokenOf(c, p);
  if (callerToken !== `TH|${APP.clientId}|${APP.clientSecret}`) {
    const caller = checkToken(c, store, "threads", APP.clientId, callerToken);
    if (!caller.ok) return caller.response;
  }
  const input = store.check(p.get("input_token") ?? "", "access");
  if (!input.ok || input.token.platform !== "threads") {
    return c.json({ data: { app_id: APP.clientId, type: "USER", is_valid: false, error: { code: 190, message: input.ok ? "Invalid OAuth access token." : `The access token is ${input.reason}.` }, scopes: [] } });
  }
  const seconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));
  return c.json({
    data: { app_id: APP.clientId, type: "USER", application: "Atelier (sandbox)", is_valid: true, issued_at: seconds(input.token.created_at), expires_at: seconds(input.token.expires_at), scopes: input.grant.scopes, user_id: THREADS_PROFILE.id },
  });
}

export const threadsModule: PlatformModule = {
  platform: "threads",
  hosts: ["threads.net", "graph.threads.net"],
  routes: (host) =>
    host === "threads.net"
      ? new Hono<SandboxEnv>().get("/oauth/authorize", authorizeThreads).post("/oauth/authorize", authorizeThreads)
      : new Hono<SandboxEnv>()
          .post("/oauth/access_token", exchangeCode)
          .get("/oauth/access_token", exchangeCode)
          .get("/access_token", exchangeLongLived)
          .get("/refresh_access_token", refresh)
          .get("/debug_token", debugToken)
          .get("/v1.0/me", me)
          .route("/", threadsPublishRoutes()),
};
