import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import { appMatches } from "../apps";
import { authorize, pkceMatches, type Scope } from "../consent";
import type { GrantRow, SandboxStore } from "../store/store";
import { YOUTUBE_ASSETS, youtubeDataRoutes } from "./google-youtube";
import type { PlatformModule } from "./index";
import { youtubeCommentRoutes } from "./youtube-comments";
import { youtubeUploadRoutes } from "./youtube-upload";
import { youtubeVideoRoutes } from "./youtube-videos";
import { formBody, withParams } from "./oauth-params";

/**
 * Google OAuth 2.0 (web-server flow) as YouTube uses it. Validations: client id on the authorize
 * step, client id + secret in the token request's form body, the exact redirect URI, single-use
 * 10-minute codes, PKCE, refresh tokens only for `access_type=offline` (on first consent or with
 * `prompt=consent`), 3599-second access tokens, `invalid_grant` once revoked, and `/revoke`.
 *
 * Simplifications: the sandbox knows no list of registered redirect URIs (any absolute http(s) URI is
 * accepted at authorize and must then match exactly at the token step); every consent stands alone
 * (`include_granted_scopes=true` does not merge scopes from earlier grants, so a test's unticked scope
 * stays missing); the callback carries `code` and `state` but not Google's `scope` echo (the token
 * response's `scope` is authoritative); only YouTube scopes are simulated (no `openid`/`id_token`).
 */
const ACCESS_TOKEN_SECONDS = 3599;
const SCOPE = "https://www.googleapis.com/auth/";
const GOOGLE_SCOPES: Scope[] = [
  { scope: `${SCOPE}youtube.upload`, label: "Manage your YouTube videos" },
  { scope: `${SCOPE}youtube`, label: "Manage your YouTube account" },
  { scope: `${SCOPE}youtube.readonly`, label: "View your YouTube account" },
  { scope: `${SCOPE}youtube.force-ssl`, label: "See, edit, and permanently delete your YouTube videos, ratings, comments and captions" },
  { scope: `${SCOPE}youtubepartner`, label: "View and manage your assets and associated content on YouTube" },
];

type CodeFlags = { offline: boolean; promptConsent: boolean };
const codeFlagsKey = (code: string) => `google.code.${code}`;

/** Google answers a broken authorize request with its own error page, never a redirect. */
function errorPage(c: Context, status: 400 | 401, error: string, detail: string): Response {
  return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error ${status}: ${error}</title></head><body><h1>Access blocked: authorization error</h1><p>Error ${status}: ${error}</p><p>${detail.replace(/[&<>"']/g, "")}</p></body></html>`, status);
}

function oauthError(c: Context, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description }, status);
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function authorizeStep(c: Context<SandboxEnv>): Promise<Response> | Response {
  const url = new URL(c.req.url);
  const query = url.searchParams;
  const store = c.var.store;
  const clientId = query.get("client_id");
  if (!clientId || !appMatches("google", clientId)) return errorPage(c, 401, "invalid_client", "The OAuth client was not found.");
  const redirectUri = query.get("redirect_uri");
  if (!redirectUri || !isAbsoluteHttpUrl(redirectUri)) return errorPage(c, 400, "redirect_uri_mismatch", "The redirect URI in the request does not match the ones authorized for the OAuth client.");
  if (query.get("response_type") !== "code") return errorPage(c, 400, "unsupported_response_type", `Unsupported response type: ${query.get("response_type") ?? "(none)"}.`);
  const requested = (query.get("scope") ?? "").split(" ").filter(Boolean);
  if (requested.length === 0) return errorPage(c, 400, "invalid_request", "Missing required parameter: scope");
  const unknown = requested.filter((s) => !GOOGLE_SCOPES.some((x) => x.scope === s));
  if (unknown.length > 0) return errorPage(c, 400, "invalid_scope", `Some requested scopes are not simulated by the sandbox: ${unknown.join(", ")}.`);
  const challenge = query.get("code_challenge");
  // Google defaults the method to `plain` when a challenge comes without one.
  const method = challenge ? (query.get("code_challenge_method") ?? "plain") : null;
  if (method && method !== "S256" && method !== "plain") return errorPage(c, 400, "invalid_request", `Invalid code_challenge_method: ${method}.`);
  const state = query.get("state");
  const flags: CodeFlags = { offline: query.get("access_type") === "offline", promptConsent: (query.get("prompt") ?? "").split(" ").includes("consent") };

  return authorize(c, store, {
    platform: "google",
    platformName: "Google",
    clientId,
    redirectUri,
    state,
    scopes: GOOGLE_SCOPES.filter((s) => requested.includes(s.scope)),
    assets: YOUTUBE_ASSETS,
    approveRedirect: (code) => {
      store.setMeta(codeFlagsKey(code), JSON.stringify(flags));
      return withParams(redirectUri, { state, code });
    },
    denyRedirect: () => withParams(redirectUri, { error: "access_denied", state }),
    codeChallenge: challenge,
    codeChallengeMethod: method,
    action: `${url.pathname}${url.search}`,
  });
}

/** Google issues a refresh token for offline access on a client's first consent, or again with `prompt=consent`. */
function issuesRefreshToken(store: SandboxStore, grant: GrantRow, flags: CodeFlags): boolean {
  if (!flags.offline) return false;
  if (flags.promptConsent) return true;
  return !store.grantsOf("google").some((g) => g.id !== grant.id && g.client_id === grant.client_id && g.user_id === grant.user_id && g.revoked_at === null && g.created_at <= grant.created_at);
}

function accessTokenBody(store: SandboxStore, grant: GrantRow): Record<string, unknown> {
  const access = store.issueToken("google", "access", grant.id, ACCESS_TOKEN_SECONDS * 1000, grant.assets[0] ?? null);
  return { access_token: access.token, expires_in: ACCESS_TOKEN_SECONDS, scope: grant.scopes.join(" "), token_type: "Bearer" };
}

async function exchangeCode(c: Context<SandboxEnv>, form: URLSearchParams, clientId: string): Promise<Response> {
  const store = c.var.store;
  const row = store.consumeCode(form.get("code") ?? "");
  if (row === "invalid" || (typeof row === "object" && row.platform !== "google")) return oauthError(c, 400, "invalid_grant", "Malformed auth code.");
  if (row === "used") return oauthError(c, 400, "invalid_grant", "The authorization code was already redeemed.");
  if (row === "expired") return oauthError(c, 400, "invalid_grant", "The authorization code has expired.");
  if (row.client_id !== clientId) return oauthError(c, 400, "invalid_grant", "The authorization code was issued to another client.");
  if (row.redirect_uri !== form.get("redirect_uri")) return oauthError(c, 400, "redirect_uri_mismatch", "Bad Request");
  const verifier = form.get("code_verifier");
  if (row.code_challenge && !verifier) return oauthError(c, 400, "invalid_grant", "Missing code verifier.");
  if (!(await pkceMatches(verifier, row.code_challenge, row.code_challenge_method))) return oauthError(c, 400, "invalid_grant", "Invalid code verifier.");
  const grant = store.grant(row.grant_id);
  if (!grant || grant.revoked_at !== null) return oauthError(c, 400, "invalid_grant", "Token has been expired or revoked.");

  const flagsText = store.meta(codeFlagsKey(form.get("code") ?? ""));
  const flags = flagsText ? (JSON.parse(flagsText) as CodeFlags) : { offline: false, promptConsent: false };
  const body = accessTokenBody(store, grant);
  if (issuesRefreshToken(store, grant, flags)) body.refresh_token = store.issueToken("google", "refresh", grant.id, null).token;
  return c.json(body);
}

function refresh(c: Context<SandboxEnv>, form: URLSearchParams, clientId: string): Response {
  const store = c.var.store;
  const check = store.check(form.get("refresh_token") ?? "", "refresh");
  if (!check.ok) return oauthError(c, 400, "invalid_grant", "Token has been expired or revoked.");
  if (check.grant.client_id !== clientId) return oauthError(c, 400, "unauthorized_client", "Unauthorized");
  // Google normally returns no new refresh token here: the old one stays valid.
  return c.json(accessTokenBody(store, check.grant));
}

async function token(c: Context<SandboxEnv>): Promise<Response> {
  const form = await formBody(c);
  const clientId = form.get("client_id");
  if (!clientId || !appMatches("google", clientId)) return oauthError(c, 401, "invalid_client", "The OAuth client was not found.");
  if (!appMatches("google", clientId, form.get("client_secret"))) return oauthError(c, 401, "invalid_client", "Unauthorized");
  const grantType = form.get("grant_type");
  if (grantType === "authorization_code") return exchangeCode(c, form, clientId);
  if (grantType === "refresh_token") return refresh(c, form, clientId);
  return oauthError(c, 400, "unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
}

/** Revoking either token of a grant revokes the whole grant; an unknown or dead token is `invalid_token`. */
async function revoke(c: Context<SandboxEnv>): Promise<Response> {
  const store = c.var.store;
  const token = c.req.query("token") ?? (await formBody(c)).get("token") ?? "";
  const refreshCheck = store.check(token, "refresh");
  const check = refreshCheck.ok ? refreshCheck : store.check(token, "access");
  if (!check.ok) return oauthError(c, 400, "invalid_token", "Token expired or revoked");
  store.revokeGrant(check.grant.id, "revoked by the app (oauth2.googleapis.com/revoke)");
  return c.json({});
}

export const googleModule: PlatformModule = {
  platform: "google",
  hosts: ["accounts.google.com", "oauth2.googleapis.com", "www.googleapis.com"],
  routes: (host) => {
    if (host === "accounts.google.com") return new Hono<SandboxEnv>().on(["GET", "POST"], "/o/oauth2/v2/auth", authorizeStep);
    if (host === "oauth2.googleapis.com") return new Hono<SandboxEnv>().post("/token", token).post("/revoke", revoke);
    return youtubeDataRoutes().route("/", youtubeUploadRoutes()).route("/", youtubeVideoRoutes()).route("/", youtubeCommentRoutes());
  },
};
