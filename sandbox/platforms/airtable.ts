import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import { appMatches } from "../apps";
import { authorize, pkceMatches, type Scope } from "../consent";
import type { GrantRow, SandboxStore } from "../store/store";
import { AIRTABLE_ASSETS, airtableApiRoutes } from "./airtable-api";
import type { PlatformModule } from "./index";
import { formBody, withParams } from "./oauth-params";

/**
 * Airtable OAuth: mandatory PKCE (S256) and `state`; HTTP Basic client authentication on the token
 * endpoint (the sandbox integration has a secret, so Basic is required); exact redirect URI;
 * single-use codes; ≈60-minute access tokens and ≈60-day refresh tokens (lifetimes unverified);
 * single-use ROTATING refresh tokens where presenting a used one again revokes the whole grant
 * ("double submission may revoke the token" in Airtable's official example).
 *
 * Airtable documents no token-revocation endpoint (unverified), so the sandbox has none either: a
 * person revokes access on Airtable's integrations page, which `POST /_sandbox/tokens/revoke` stands
 * in for. The sandbox knows no list of registered redirect URIs: any absolute http(s) URI is accepted
 * at authorize and must then match exactly at the token step.
 */
const ACCESS_TOKEN_SECONDS = 60 * 60;
const REFRESH_TOKEN_SECONDS = 60 * 24 * 60 * 60;
const AIRTABLE_SCOPES: Scope[] = [
  { scope: "data.records:read", label: "See the data in records" },
  { scope: "data.records:write", label: "Create, edit, and delete records" },
  { scope: "data.recordComments:read", label: "See comments in records" },
  { scope: "data.recordComments:write", label: "Create, edit, and delete record comments" },
  { scope: "schema.bases:read", label: "See the structure of a base, like table names or field types" },
  { scope: "schema.bases:write", label: "Edit the structure of a base, like adding new fields or tables" },
  { scope: "webhook:manage", label: "View, create, delete webhooks for a base, as well as fetch webhook payloads" },
  { scope: "block:manage", label: "Create new releases and submissions for custom extensions" },
  { scope: "user.email:read", label: "See the user's email address" },
];

/** A bad client id or redirect URI gets an error page: Airtable never redirects to an unverified URI. */
function errorPage(c: Context, detail: string): Response {
  return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Airtable – Authorization error</title></head><body><h1>Something went wrong</h1><p>${detail.replace(/[&<>"']/g, "")}</p></body></html>`, 400);
}

function oauthError(c: Context, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description }, status);
}

function authorizeStep(c: Context<SandboxEnv>): Promise<Response> | Response {
  const url = new URL(c.req.url);
  const query = url.searchParams;
  const clientId = query.get("client_id");
  if (!clientId || !appMatches("airtable", clientId)) return errorPage(c, "The client_id is invalid: no integration with this id exists.");
  const redirectUri = query.get("redirect_uri");
  if (!redirectUri || !/^https?:\/\/[^/]/.test(redirectUri)) return errorPage(c, "The redirect_uri is missing or does not match the integration's registered redirect URL.");
  const state = query.get("state");
  const refuse = (error: string, description: string) => c.redirect(withParams(redirectUri, { error, error_description: description, state }), 302);
  if (query.get("response_type") !== "code") return refuse("unsupported_response_type", "response_type must be code");
  if (!state) return refuse("invalid_request", "state is required");
  const challenge = query.get("code_challenge");
  if (!challenge) return refuse("invalid_request", "code_challenge is required: this integration must use PKCE");
  if (query.get("code_challenge_method") !== "S256") return refuse("invalid_request", "code_challenge_method must be S256");
  const requested = (query.get("scope") ?? "").split(" ").filter(Boolean);
  const unknown = requested.filter((s) => !AIRTABLE_SCOPES.some((x) => x.scope === s));
  if (requested.length === 0 || unknown.length > 0) return refuse("invalid_scope", `invalid scope: ${unknown.join(" ") || "(none requested)"}`);

  return authorize(c, c.var.store, {
    platform: "airtable",
    platformName: "Airtable",
    clientId,
    redirectUri,
    state,
    scopes: AIRTABLE_SCOPES.filter((s) => requested.includes(s.scope)),
    assets: AIRTABLE_ASSETS,
    approveRedirect: (code) => withParams(redirectUri, { code, state }),
    denyRedirect: () => withParams(redirectUri, { error: "access_denied", error_description: "The user denied the authorization request", state }),
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    action: `${url.pathname}${url.search}`,
  });
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  if (!header?.startsWith("Basic ")) return null;
  let decoded: string;
  try {
    decoded = atob(header.slice("Basic ".length).trim());
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function tokenPair(store: SandboxStore, grant: GrantRow): Record<string, unknown> {
  const access = store.issueToken("airtable", "access", grant.id, ACCESS_TOKEN_SECONDS * 1000, grant.user_id);
  const refresh = store.issueToken("airtable", "refresh", grant.id, REFRESH_TOKEN_SECONDS * 1000, grant.user_id);
  return { access_token: access.token, refresh_token: refresh.token, token_type: "Bearer", scope: grant.scopes.join(" "), expires_in: ACCESS_TOKEN_SECONDS, refresh_expires_in: REFRESH_TOKEN_SECONDS };
}

async function exchangeCode(c: Context<SandboxEnv>, form: URLSearchParams, clientId: string): Promise<Response> {
  const store = c.var.store;
  const row = store.consumeCode(form.get("code") ?? "");
  if (row === "invalid" || (typeof row === "object" && row.platform !== "airtable")) return oauthError(c, 400, "invalid_grant", "The authorization code is invalid.");
  if (row === "used") return oauthError(c, 400, "invalid_grant", "The authorization code has already been used.");
  if (row === "expired") return oauthError(c, 400, "invalid_grant", "The authorization code has expired.");
  if (row.client_id !== clientId) return oauthError(c, 400, "invalid_grant", "The authorization code was issued to another client.");
  // RFC 6749 §5.2 names this `invalid_grant`; Airtable's exact wording here is unverified.
  if (row.redirect_uri !== form.get("redirect_uri")) return oauthError(c, 400, "invalid_grant", "The redirect_uri does not match the one used in the authorization request.");
  const verifier = form.get("code_verifier");
  if (!verifier) return oauthError(c, 400, "invalid_request", "code_verifier is required.");
  if (!(await pkceMatches(verifier, row.code_challenge, row.code_challenge_method))) return oauthError(c, 400, "invalid_grant", "The code_verifier does not match the code_challenge.");
  const grant = store.grant(row.grant_id);
  if (!grant || grant.revoked_at !== null) return oauthError(c, 400, "invalid_grant", "The authorization has been revoked.");
  return c.json(tokenPair(store, grant));
}

function refresh(c: Context<SandboxEnv>, form: URLSearchParams, clientId: string): Response {
  const store = c.var.store;
  const token = form.get("refresh_token") ?? "";
  const check = store.check(token, "refresh");
  if (!check.ok) return oauthError(c, 400, "invalid_grant", check.reason === "expired" ? "The refresh token has expired." : "The refresh token is invalid or has been revoked.");
  if (check.grant.client_id !== clientId) return oauthError(c, 400, "invalid_grant", "The refresh token was issued to another client.");
  if (!store.markRefreshUsed(token)) {
    // A second use of a spent refresh token looks like a leaked token: the whole grant is revoked.
    store.revokeGrant(check.grant.id, "a single-use refresh token was presented twice");
    return oauthError(c, 400, "invalid_grant", "The refresh token has already been used. The authorization has been revoked.");
  }
  return c.json(tokenPair(store, check.grant));
}

async function token(c: Context<SandboxEnv>): Promise<Response> {
  const form = await formBody(c);
  const basic = basicCredentials(c.req.header("authorization"));
  if (!basic) return oauthError(c, 401, "invalid_client", "This integration has a client secret: authenticate with HTTP Basic (client_id:client_secret).");
  if (!appMatches("airtable", basic.id, basic.secret)) return oauthError(c, 401, "invalid_client", "The client credentials are invalid.");
  const bodyClientId = form.get("client_id");
  if (bodyClientId !== null && bodyClientId !== basic.id) return oauthError(c, 401, "invalid_client", "The client_id in the body does not match the Basic credentials.");
  const grantType = form.get("grant_type");
  if (grantType === "authorization_code") return exchangeCode(c, form, basic.id);
  if (grantType === "refresh_token") return refresh(c, form, basic.id);
  return oauthError(c, 400, "unsupported_grant_type", `grant_type ${grantType ?? "(none)"} is not supported.`);
}

export const airtableModule: PlatformModule = {
  platform: "airtable",
  hosts: ["airtable.com", "api.airtable.com"],
  routes: (host) =>
    host === "airtable.com"
      ? new Hono<SandboxEnv>().on(["GET", "POST"], "/oauth2/v1/authorize", authorizeStep).post("/oauth2/v1/token", token)
      : airtableApiRoutes(),
};
