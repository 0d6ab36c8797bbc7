import { z } from "zod";
import { isNetworkFailure, withQuery, type HttpResult, type NetworkFailure } from "./http";
import { classifyOAuthError, fail, OAuthTokenResponse, ok, parseBody, retryAfter, tokenSetFrom } from "./oauth";
import type { AdapterContext, ConnectionAdapter, FailureKind, Grant, Outcome, PlatformFailure, TokenSet } from "./types";

const NAME = "TikTok";
const AUTHORIZE_URL = "https://www.tiktok.com/v2/auth/authorize/";
const API = "https://open.tiktokapis.com";

/** Token responses add `open_id` and name the refresh lifetime `refresh_expires_in` (not RFC 6749's field). */
const TikTokTokenResponse = OAuthTokenResponse.extend({
  open_id: z.string().min(1),
  refresh_expires_in: z.coerce.number().int().positive().optional(),
});

/** Every Login Kit / Content Posting API answer: success is HTTP 200 and `error.code == "ok"`. */
const ApiEnvelope = z.object({
  data: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string().optional(), log_id: z.string().optional() }),
});

const UserInfo = z.object({
  data: z.object({
    user: z.object({
      open_id: z.string().min(1),
      union_id: z.string().optional(),
      display_name: z.string(),
      username: z.string().optional(),
      avatar_url: z.string().optional(),
    }),
  }),
});

const API_ERRORS: Record<string, { kind: FailureKind; message: string }> = {
  // TikTok uses this one code for expired and for invalid access tokens.
  access_token_invalid: { kind: "refresh", message: "TikTok no longer accepts the access token (it expired or is invalid)." },
  scope_not_authorized: { kind: "reauth", message: "The TikTok account did not grant a permission Atelier needs. Connect it again and leave every permission ticked." },
  scope_permission_missed: { kind: "reauth", message: "The TikTok account did not grant a permission Atelier needs. Connect it again and leave every permission ticked." },
  rate_limit_exceeded: { kind: "retry", message: "TikTok is rate limiting this account. Try again in a minute." },
  invalid_params: { kind: "fatal", message: "TikTok rejected the request's parameters." },
  internal: { kind: "retry", message: "TikTok had an internal error. Try again in a moment." },
};

/** TikTok's API envelope `{data, error:{code,message,log_id}}` → what to do, in plain words. */
export function classifyTikTokApiError(result: HttpResult | NetworkFailure): PlatformFailure {
  if (isNetworkFailure(result)) return { kind: "retry", message: `TikTok could not be reached (${result.networkError}). Try again in a moment.` };
  const envelope = ApiEnvelope.safeParse(result.json);
  const code = envelope.success ? envelope.data.error.code : undefined;
  const said = envelope.success && envelope.data.error.message ? ` TikTok said: “${envelope.data.error.message}”` : "";
  const known = code ? API_ERRORS[code] : undefined;
  const retryAfterSeconds = result.status === 429 ? retryAfter(result) : undefined;
  if (known) return { kind: known.kind, status: result.status, platformCode: code, message: `${known.message}${said}`, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
  // Unknown codes: decide by HTTP status, so a new TikTok code still gets a sensible treatment.
  if (result.status === 429) return { kind: "retry", status: 429, platformCode: code, retryAfterSeconds, message: `TikTok is rate limiting requests. Try again in a minute.${said}` };
  if (result.status >= 500) return { kind: "retry", status: result.status, platformCode: code, message: `TikTok had a temporary problem (HTTP ${result.status}). Try again in a moment.${said}` };
  if (result.status === 401) return { kind: "refresh", status: 401, platformCode: code, message: `TikTok no longer accepts the access token.${said}` };
  return { kind: "fatal", status: result.status, platformCode: code, message: `TikTok refused the request (HTTP ${result.status}${code ? `, ${code}` : ""}).${said}` };
}

/**
 * The token endpoint's errors are `{error, error_description, log_id}` (exact keys unverified). A body
 * carrying `error` is treated as a failure whatever the HTTP status, in case TikTok answers 200 with it.
 */
async function tokenCall(ctx: AdapterContext, fields: Record<string, string | undefined>): Promise<Outcome<z.infer<typeof TikTokTokenResponse>>> {
  const result = await ctx.http.postForm(`${API}/v2/oauth/token/`, { client_key: ctx.credentials.clientId, client_secret: ctx.credentials.clientSecret, ...fields });
  if (isNetworkFailure(result) || result.status !== 200 || hasOAuthError(result.json)) return fail(classifyOAuthError(NAME, result));
  return parseBody(NAME, TikTokTokenResponse, result);
}

function hasOAuthError(json: unknown): boolean {
  return typeof json === "object" && json !== null && typeof (json as { error?: unknown }).error === "string";
}

function tokenSet(body: z.infer<typeof TikTokTokenResponse>, now: number): TokenSet {
  return { ...tokenSetFrom(body, now), refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in * 1000 : null };
}

/** TikTok echoes granted scopes comma-separated (the granted subset: people can untick scopes). */
function scopeList(scope: string | undefined): string[] {
  return (scope ?? "").split(/[,\s]+/).filter(Boolean);
}

export const tiktokAdapter: ConnectionAdapter = {
  platform: "tiktok",
  displayName: NAME,
  credentialsKey: "tiktok",
  scopes: [
    { scope: "user.info.basic", purpose: "show the account's name and picture", required: true },
    { scope: "user.info.profile", purpose: "show the account's @username", required: false },
    { scope: "user.info.stats", purpose: "show follower and like counts in analytics", required: false },
    { scope: "video.list", purpose: "read your published videos for analytics", required: false },
    { scope: "video.upload", purpose: "send drafts to your TikTok inbox", required: false },
    { scope: "video.publish", purpose: "publish videos and photos you schedule", required: true },
  ],
  // No PKCE: Atelier is a web app with a server-held client secret, and TikTok requires PKCE only for
  // mobile/desktop apps. Its desktop flow is also reported to expect a hex-encoded challenge instead of
  // base64url (unverified), so sending one could break the web flow for no gain; `state` guards CSRF.
  pkce: false,
  refreshable: true,

  authorizeUrl(ctx, { state }) {
    return ctx.http.browserUrl(
      withQuery(AUTHORIZE_URL, {
        client_key: ctx.credentials.clientId,
        response_type: "code",
        scope: this.scopes.map((s) => s.scope).join(","),
        redirect_uri: ctx.redirectUri,
        state,
      }),
    );
  },

  async exchangeCode(ctx, { code, codeVerifier }) {
    // code_verifier is optional at the token endpoint: sent only if a caller used PKCE after all.
    const token = await tokenCall(ctx, { code, grant_type: "authorization_code", redirect_uri: ctx.redirectUri, code_verifier: codeVerifier ?? undefined });
    if (!token.ok) return token;
    const grantedScopes = scopeList(token.value.scope);
    const tokens = tokenSet(token.value, ctx.now);
    // Without user.info.basic TikTok refuses every user field: the grant names no channel, and the caller's
    // required-scope check tells the person which permission to leave ticked.
    if (!grantedScopes.includes("user.info.basic")) return ok({ account: { id: token.value.open_id, name: token.value.open_id }, grantedScopes, tokens, channels: [] });
    // `username` needs user.info.profile; asking for a field without its scope fails the whole call.
    const fields = ["open_id", "union_id", "avatar_url", "display_name", ...(grantedScopes.includes("user.info.profile") ? ["username"] : [])];
    const result = await ctx.http.request(withQuery(`${API}/v2/user/info/`, { fields: fields.join(",") }), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    if (isNetworkFailure(result) || result.status !== 200 || ApiEnvelope.safeParse(result.json).data?.error.code !== "ok") return fail(classifyTikTokApiError(result));
    const info = parseBody(NAME, UserInfo, result);
    if (!info.ok) return info;
    const user = info.value.data.user;
    const grant: Grant = {
      account: { id: user.open_id, name: user.display_name },
      grantedScopes,
      tokens,
      channels: [
        {
          externalId: user.open_id,
          kind: "tiktok_account",
          name: user.display_name,
          handle: user.username ?? null,
          avatarUrl: user.avatar_url ?? null,
          tokens,
          metadata: { openId: user.open_id },
        },
      ],
    };
    return ok(grant);
  },

  /** Refresh tokens rotate: the answer's refresh token replaces the old one, which stops working. */
  async refresh(ctx, tokens) {
    if (!tokens.refreshToken) return fail({ kind: "reauth", message: "This TikTok connection has no refresh token. Connect the account again." });
    const token = await tokenCall(ctx, { grant_type: "refresh_token", refresh_token: tokens.refreshToken });
    return token.ok ? ok(tokenSet(token.value, ctx.now)) : token;
  },

  async revoke(ctx, tokens) {
    const result = await ctx.http.postForm(`${API}/v2/oauth/revoke/`, { client_key: ctx.credentials.clientId, client_secret: ctx.credentials.clientSecret, token: tokens.accessToken });
    // The success body is unverified ("empty or trivial"), so any 200 without an error counts.
    if (!isNetworkFailure(result) && result.status === 200 && !hasOAuthError(result.json)) return ok(null);
    const failure = classifyOAuthError(NAME, result);
    // An access token TikTok no longer knows is as good as revoked.
    if (failure.platformCode === "invalid_grant" || failure.platformCode === "invalid_token") return ok(null);
    return fail(failure);
  },
};
