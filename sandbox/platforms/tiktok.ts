import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import { appMatches, SANDBOX_APPS } from "../apps";
import { authorize, pkceMatches, type Scope } from "../consent";
import type { SandboxStore } from "../store/store";
import { avatar, SANDBOX_USER, type Asset } from "../world";
import type { PlatformModule } from "./index";
import { tiktokPublishRoutes } from "./tiktok-publish";
import { tiktokUploadRoutes, UPLOAD_HOST } from "./tiktok-upload";

/**
 * Token lifetimes from TikTok's token-management page as updated Nov 2026: access 2 h, refresh 180 days
 * (older pages said 24 h / 365 days). Adapters must schedule from `expires_in`, never from these numbers.
 */
const ACCESS_TTL_S = 2 * 60 * 60;
const REFRESH_TTL_S = 180 * 24 * 60 * 60;

const SCOPES: Scope[] = [
  { scope: "user.info.basic", label: "Read your profile info (avatar, display name)" },
  { scope: "user.info.profile", label: "Read your profile details (username, bio)" },
  { scope: "user.info.stats", label: "Read your follower, like and video counts" },
  { scope: "video.list", label: "Read your public videos" },
  { scope: "video.upload", label: "Share drafts to your TikTok inbox" },
  { scope: "video.publish", label: "Post content directly to your TikTok profile" },
];

/** Sam's TikTok creator account: the account that logs in (TikTok's consent screen has no account picker). */
export const SAM_TIKTOK: Asset & { unionId: string; username: string; stats: Record<string, number> } = {
  id: "-000samsbx-7c1e-4b7a-9a3f-5d2e8c7b6a10",
  unionId: "-000samsbxu-2d4f-4e61-8b0a-91c3e5f7a2b4",
  kind: "tiktok_creator",
  name: SANDBOX_USER.name,
  handle: "samsandbox",
  username: "samsandbox",
  picture: avatar("SS", 340),
  stats: { follower_count: 1280, following_count: 96, likes_count: 20417, video_count: 42 },
};

/** user/info fields and the scope each needs. */
const FIELD_SCOPES: Record<string, string> = {
  open_id: "user.info.basic",
  union_id: "user.info.basic",
  avatar_url: "user.info.basic",
  avatar_url_100: "user.info.basic",
  avatar_large_url: "user.info.basic",
  display_name: "user.info.basic",
  username: "user.info.profile",
  bio_description: "user.info.profile",
  profile_deep_link: "user.info.profile",
  is_verified: "user.info.profile",
  follower_count: "user.info.stats",
  following_count: "user.info.stats",
  likes_count: "user.info.stats",
  video_count: "user.info.stats",
};

function logId(store: SandboxStore): string {
  const stamp = new Date(store.now()).toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}${crypto.getRandomValues(new Uint32Array(1))[0]?.toString(16).toUpperCase().padStart(8, "0")}`;
}

/** OAuth endpoints answer `{error, error_description, log_id}` (exact keys unverified; HTTP status chosen here). */
function oauthError(c: Context<SandboxEnv>, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description, log_id: logId(c.var.store) }, status);
}

/** API endpoints answer `{data, error:{code,message,log_id}}`. */
function apiError(c: Context<SandboxEnv>, status: 400 | 401 | 403, code: string, message: string): Response {
  return c.json({ data: {}, error: { code, message, log_id: logId(c.var.store) } }, status);
}

function withParams(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

function formField(form: Record<string, unknown>, name: string): string | null {
  const value = form[name];
  return typeof value === "string" && value !== "" ? value : null;
}

function tokenResponse(store: SandboxStore, grantId: string, scopes: string[]) {
  const access = store.issueToken("tiktok", "access", grantId, ACCESS_TTL_S * 1000, SAM_TIKTOK.id);
  const refresh = store.issueToken("tiktok", "refresh", grantId, REFRESH_TTL_S * 1000, SAM_TIKTOK.id);
  return { access_token: access.token, expires_in: ACCESS_TTL_S, open_id: SAM_TIKTOK.id, refresh_expires_in: REFRESH_TTL_S, refresh_token: refresh.token, scope: scopes.join(","), token_type: "Bearer" };
}

function authorizeRoutes(): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const handler = async (c: Context<SandboxEnv>): Promise<Response> => {
    const url = new URL(c.req.url);
    const q = url.searchParams;
    const redirectUri = q.get("redirect_uri");
    if (!appMatches("tiktok", q.get("client_key")) || !redirectUri || q.get("response_type") !== "code")
      return c.text("TikTok (sandbox): this authorization link is invalid (unknown client_key, missing redirect_uri or response_type other than code).", 400);
    const state = q.get("state");
    const requested = (q.get("scope") ?? "").split(",").filter(Boolean);
    // The callback's `scopes` echo is unverified and left out; the token response carries the granted scopes.
    return authorize(c, c.var.store, {
      platform: "tiktok",
      platformName: "TikTok",
      clientId: SANDBOX_APPS.tiktok.clientId,
      redirectUri,
      state,
      scopes: SCOPES.filter((s) => requested.includes(s.scope)),
      assets: [],
      approveRedirect: (code) => withParams(redirectUri, { code, state }),
      denyRedirect: () => withParams(redirectUri, { error: "access_denied", error_description: "The user denied the authorization request.", state }),
      codeChallenge: q.get("code_challenge"),
      codeChallengeMethod: q.get("code_challenge") ? (q.get("code_challenge_method") ?? "S256") : null,
      action: url.pathname + url.search,
    });
  };
  return app.get("/v2/auth/authorize/", handler).post("/v2/auth/authorize/", handler);
}

function apiRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post("/v2/oauth/token/", async (c) => {
      const store = c.var.store;
      const form = await c.req.parseBody();
      if (!appMatches("tiktok", formField(form, "client_key"), formField(form, "client_secret")))
        return oauthError(c, 401, "invalid_client", "Client key or client secret is invalid.");
      const grantType = formField(form, "grant_type");
      if (grantType === "authorization_code") {
        const code = store.consumeCode(formField(form, "code") ?? "");
        if (code === "invalid" || (typeof code === "object" && code.platform !== "tiktok")) return oauthError(c, 400, "invalid_grant", "Authorization code is invalid.");
        if (code === "used") return oauthError(c, 400, "invalid_grant", "Authorization code has already been used.");
        if (code === "expired") return oauthError(c, 400, "invalid_grant", "Authorization code is expired.");
        if (code.redirect_uri !== formField(form, "redirect_uri")) return oauthError(c, 400, "invalid_request", "redirect_uri does not match the one used in the authorization request.");
        if (!(await pkceMatches(formField(form, "code_verifier"), code.code_challenge, code.code_challenge_method))) return oauthError(c, 400, "invalid_grant", "code_verifier does not match the code_challenge.");
        const grant = store.grant(code.grant_id);
        if (!grant) return oauthError(c, 400, "invalid_grant", "Authorization code is invalid.");
        return c.json(tokenResponse(store, grant.id, grant.scopes));
      }
      if (grantType === "refresh_token") {
        const presented = formField(form, "refresh_token") ?? "";
        const check = store.check(presented, "refresh");
        if (!check.ok || check.grant.platform !== "tiktok") return oauthError(c, 400, "invalid_grant", "Refresh token is invalid or expired.");
        // Sandbox choice (README pattern 1, rule 2): presenting a rotated-out refresh token again is treated
        // as theft or a race and revokes the whole grant, so an unserialized double refresh locks the
        // account out for good. TikTok documents rotation; what it does on reuse is unverified.
        if (!store.markRefreshUsed(presented)) {
          store.revokeGrant(check.grant.id, "rotated refresh token presented again");
          return oauthError(c, 400, "invalid_grant", "Refresh token has already been used; the authorization was revoked.");
        }
        // Whether a rotated refresh token restarts the 180 days is unverified; here it does.
        return c.json(tokenResponse(store, check.grant.id, check.grant.scopes));
      }
      return oauthError(c, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
    })
    .post("/v2/oauth/revoke/", async (c) => {
      const store = c.var.store;
      const form = await c.req.parseBody();
      if (!appMatches("tiktok", formField(form, "client_key"), formField(form, "client_secret")))
        return oauthError(c, 401, "invalid_client", "Client key or client secret is invalid.");
      const grantId = store.grantOfToken(formField(form, "token") ?? "");
      const grant = grantId ? store.grant(grantId) : null;
      if (grant && grant.platform === "tiktok") store.revokeGrant(grant.id, "revoked by the app");
      // Unknown or already revoked tokens also answer 200 (RFC 7009 style; TikTok's body is unverified).
      return c.body(null, 200);
    })
    .get("/v2/user/info/", (c) => {
      const store = c.var.store;
      const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
      const check = store.check(token, "access");
      if (!check.ok || check.grant.platform !== "tiktok") return apiError(c, 401, "access_token_invalid", "The access token is invalid or not found in the request.");
      const fields = (c.req.query("fields") ?? "").split(",").filter(Boolean);
      const unknown = fields.find((f) => !FIELD_SCOPES[f]);
      if (fields.length === 0 || unknown) return apiError(c, 400, "invalid_params", unknown ? `Invalid field: ${unknown}.` : "fields is required.");
      if (fields.some((f) => !check.grant.scopes.includes(FIELD_SCOPES[f] ?? "")))
        return apiError(c, 401, "scope_not_authorized", "The user did not authorize the scope required for completing this request.");
      const all: Record<string, string | number | boolean> = {
        open_id: SAM_TIKTOK.id,
        union_id: SAM_TIKTOK.unionId,
        avatar_url: SAM_TIKTOK.picture ?? "",
        avatar_url_100: SAM_TIKTOK.picture ?? "",
        avatar_large_url: SAM_TIKTOK.picture ?? "",
        display_name: SAM_TIKTOK.name,
        username: SAM_TIKTOK.username,
        bio_description: "Testing Atelier in the sandbox.",
        profile_deep_link: `https://www.tiktok.com/@${SAM_TIKTOK.username}`,
        is_verified: false,
        ...SAM_TIKTOK.stats,
      };
      const user = Object.fromEntries(fields.map((f) => [f, all[f]]));
      return c.json({ data: { user }, error: { code: "ok", message: "", log_id: logId(store) } });
    });
}

export const tiktokSandbox: PlatformModule = {
  platform: "tiktok",
  hosts: ["www.tiktok.com", "open.tiktokapis.com", UPLOAD_HOST],
  routes: (host) => (host === "www.tiktok.com" ? authorizeRoutes() : host === UPLOAD_HOST ? tiktokUploadRoutes() : apiRoutes().route("/", tiktokPublishRoutes())),
};
