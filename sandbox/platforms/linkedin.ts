import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import { appMatches, SANDBOX_APPS } from "../apps";
import { authorize, type Scope } from "../consent";
import type { SandboxStore } from "../store/store";
import { avatar, SANDBOX_USER, type Asset } from "../world";
import type { PlatformModule } from "./index";
import { assetRoutes, uploadRoutes } from "./linkedin-assets";
import { linkedinCommentRoutes } from "./linkedin-comments";
import { postRoutes } from "./linkedin-posts";
import { bearer, drain, restError } from "./linkedin-rest";

const DAY_S = 24 * 60 * 60;
/** Access tokens live 60 days; refresh tokens 365 days from the original consent (never reset). */
const ACCESS_TTL_S = 60 * DAY_S;
const REFRESH_TTL_S = 365 * DAY_S;

const SCOPES: Scope[] = [
  { scope: "openid", label: "Use your name and photo to sign in" },
  { scope: "profile", label: "Use your name and photo" },
  { scope: "email", label: "Use the primary email address on your LinkedIn account" },
  { scope: "w_member_social", label: "Create, modify and delete posts, comments and reactions on your behalf" },
  { scope: "r_organization_admin", label: "Retrieve your organizations' pages and their reporting data" },
  { scope: "w_organization_social", label: "Create, modify and delete posts, comments and reactions on your organizations' behalf" },
  { scope: "r_organization_social", label: "Retrieve your organizations' posts, comments, reactions and other engagement data" },
  { scope: "rw_organization_admin", label: "Manage your organizations' pages" },
  { scope: "r_basicprofile", label: "Use your basic profile (name, photo, headline, vanity name)" },
];

/** Sam as a LinkedIn member (`sub` has the real opaque shape). */
export const SAM_LINKEDIN = { sub: "x7Qm2bTa9K", givenName: "Sam", familyName: "Sandbox", picture: avatar("SS", 205) } as const;

/** The organizations Sam administers (selectable on the sandbox consent screen; asset id = numeric org id). */
export const SAM_ORGANIZATIONS: (Asset & { vanityName: string; logoUrn: string })[] = [
  { id: "2414183", kind: "organization", name: "Sandbox Bakery Co.", handle: "sandbox-bakery", vanityName: "sandbox-bakery", picture: avatar("SB", 30), logoUrn: "urn:li:digitalmediaAsset:C4D0BAQHsbxBakery01", detail: "LinkedIn Page · Administrator" },
  { id: "107654321", kind: "organization", name: "Atelier Sandbox Studio", handle: "atelier-sandbox-studio", vanityName: "atelier-sandbox-studio", picture: avatar("AS", 260), logoUrn: "urn:li:digitalmediaAsset:C4E0BAQHsbxStudio01", detail: "LinkedIn Page · Administrator" },
];

/** The only error documented for an unknown/used/expired code or a redirect mismatch (as quoted by clients). */
const CODE_ERROR = "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists";

function oauthError(c: Context<SandboxEnv>, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description }, status);
}

function formField(form: Record<string, unknown>, name: string): string | null {
  const value = form[name];
  return typeof value === "string" && value !== "" ? value : null;
}

function withParams(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

/** Versions are served for a year: active = the last 12 months up to the sandbox clock's month. */
function versionActive(store: SandboxStore, version: string): boolean {
  const match = /^(\d{4})(\d{2})$/.exec(version);
  if (!match) return false;
  const now = new Date(store.now());
  const months = (now.getUTCFullYear() - Number(match[1])) * 12 + (now.getUTCMonth() + 1 - Number(match[2]));
  return Number(match[2]) >= 1 && Number(match[2]) <= 12 && months >= 0 && months < 12;
}

function oauthRoutes(): Hono<SandboxEnv> {
  const authorizeHandler = async (c: Context<SandboxEnv>): Promise<Response> => {
    const url = new URL(c.req.url);
    const q = url.searchParams;
    const redirectUri = q.get("redirect_uri");
    if (!appMatches("linkedin", q.get("client_id")) || !redirectUri || q.get("response_type") !== "code")
      return c.text("LinkedIn (sandbox): this authorization link is invalid (unknown client_id, missing redirect_uri or response_type other than code).", 400);
    const state = q.get("state");
    const requested = (q.get("scope") ?? "").split(" ").filter(Boolean);
    const unknown = requested.find((s) => !SCOPES.some((x) => x.scope === s));
    if (unknown) return c.redirect(withParams(redirectUri, { error: "unauthorized_scope_error", error_description: `Scope "${unknown}" is not authorized for your application`, state }), 302);
    return authorize(c, c.var.store, {
      platform: "linkedin",
      platformName: "LinkedIn",
      clientId: SANDBOX_APPS.linkedin.clientId,
      redirectUri,
      state,
      scopes: SCOPES.filter((s) => requested.includes(s.scope)),
      // Real LinkedIn grants every page the member administers; the sandbox lets tests pick a subset.
      assets: SAM_ORGANIZATIONS,
      approveRedirect: (code) => withParams(redirectUri, { code, state }),
      denyRedirect: () => withParams(redirectUri, { error: "user_cancelled_authorize", error_description: "The user cancelled the authorization", state }),
      codeChallenge: null,
      codeChallengeMethod: null,
      action: url.pathname + url.search,
    });
  };

  return new Hono<SandboxEnv>()
    .get("/oauth/v2/authorization", authorizeHandler)
    .post("/oauth/v2/authorization", authorizeHandler)
    .post("/oauth/v2/accessToken", async (c) => {
      const store = c.var.store;
      const form = await c.req.parseBody();
      if (!appMatches("linkedin", formField(form, "client_id"), formField(form, "client_secret"))) return oauthError(c, 401, "invalid_client", "Client authentication failed");
      const grantType = formField(form, "grant_type");
      if (grantType === "authorization_code") {
        const code = store.consumeCode(formField(form, "code") ?? "");
        if (typeof code !== "object" || code.platform !== "linkedin" || code.redirect_uri !== formField(form, "redirect_uri")) return oauthError(c, 400, "invalid_request", CODE_ERROR);
        const grant = store.grant(code.grant_id);
        if (!grant) return oauthError(c, 400, "invalid_request", CODE_ERROR);
        const access = store.issueToken("linkedin", "access", grant.id, ACCESS_TTL_S * 1000, SAM_LINKEDIN.sub);
        const refresh = store.issueToken("linkedin", "refresh", grant.id, REFRESH_TTL_S * 1000, SAM_LINKEDIN.sub);
        // No id_token: Atelier reads identity from /v2/userinfo, and a fake unsigned JWT would mislead.
        return c.json({ access_token: access.token, expires_in: ACCESS_TTL_S, refresh_token: refresh.token, refresh_token_expires_in: REFRESH_TTL_S, scope: grant.scopes.join(","), token_type: "Bearer" });
      }
      if (grantType === "refresh_token") {
        const presented = formField(form, "refresh_token") ?? "";
        const check = store.check(presented, "refresh");
        // LinkedIn's exact error for a dead refresh token is unverified.
        if (!check.ok || check.grant.platform !== "linkedin") return oauthError(c, 400, "invalid_grant", "The provided refresh token is invalid, expired or revoked");
        const access = store.issueToken("linkedin", "access", check.grant.id, ACCESS_TTL_S * 1000, SAM_LINKEDIN.sub);
        // LinkedIn answers with a refresh token whose lifetime keeps counting down from the original consent;
        // the sandbox returns the same token (whether LinkedIn issues a new string is unverified).
        const remaining = Math.max(1, Math.floor(((check.token.expires_at ?? store.now()) - store.now()) / 1000));
        return c.json({ access_token: access.token, expires_in: ACCESS_TTL_S, refresh_token: presented, refresh_token_expires_in: remaining, scope: check.grant.scopes.join(","), token_type: "Bearer" });
      }
      return oauthError(c, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
    })
    // RFC 7009-style revoke: widely used by clients, not confirmed in official text (unverified).
    .post("/oauth/v2/revoke", async (c) => {
      const store = c.var.store;
      const form = await c.req.parseBody();
      if (!appMatches("linkedin", formField(form, "client_id"), formField(form, "client_secret"))) return oauthError(c, 401, "invalid_client", "Client authentication failed");
      const grantId = store.grantOfToken(formField(form, "token") ?? "");
      const grant = grantId ? store.grant(grantId) : null;
      if (grant && grant.platform === "linkedin") store.revokeGrant(grant.id, "revoked by the app");
      return c.body(null, 200);
    })
    // Upload URLs handed out by the Images/Videos APIs live on this host (linkedin.md §5–§6).
    .route("/", uploadRoutes());
}

function apiRoutes(): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get("/v2/userinfo", (c) => {
    const check = bearer(c);
    if (check instanceof Response) return check;
    if (!check.grant.scopes.includes("openid") || !check.grant.scopes.includes("profile"))
      return restError(c, 403, "ACCESS_DENIED", "Not enough permissions to access: userinfo.GET.NO_VERSION", 100);
    const email = check.grant.scopes.includes("email") ? { email: SANDBOX_USER.email, email_verified: true } : {};
    return c.json({ sub: SAM_LINKEDIN.sub, name: SANDBOX_USER.name, given_name: SAM_LINKEDIN.givenName, family_name: SAM_LINKEDIN.familyName, picture: SAM_LINKEDIN.picture, locale: { country: "US", language: "en" }, ...email });
  });

  // Every versioned call needs LinkedIn-Version: missing → 400 VERSION_MISSING; retired or unknown → 426.
  app.use("/rest/*", async (c, next) => {
    const version = c.req.header("linkedin-version");
    if (!version || !versionActive(c.var.store, version)) await drain(c);
    if (!version) return restError(c, 400, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.");
    if (!versionActive(c.var.store, version)) return restError(c, 426, "NONEXISTENT_VERSION", `Requested version ${version} is not active`);
    await next();
  });

  app.get("/rest/organizationAcls", (c) => {
    const check = bearer(c);
    if (check instanceof Response) return check;
    if (c.req.query("q") !== "roleAssignee") return restError(c, 400, "BAD_REQUEST", "Unsupported finder: use q=roleAssignee");
    if (!check.grant.scopes.some((s) => s === "r_organization_admin" || s === "rw_organization_admin"))
      return restError(c, 403, "ACCESS_DENIED", "Not enough permissions to access: organizationAcls.FINDER-roleAssignee", 100);
    const role = c.req.query("role");
    const state = c.req.query("state");
    const start = Math.max(0, Number(c.req.query("start") ?? "0") || 0);
    const count = Math.min(100, Math.max(1, Number(c.req.query("count") ?? "10") || 10));
    const all = SAM_ORGANIZATIONS.filter((o) => check.grant.assets.includes(o.id))
      .map((o) => ({ roleAssignee: `urn:li:person:${SAM_LINKEDIN.sub}`, role: "ADMINISTRATOR", state: "APPROVED", organization: `urn:li:organization:${o.id}` }))
      .filter((e) => (!role || e.role === role) && (!state || e.state === state));
    return c.json({ elements: all.slice(start, start + count), paging: { count, start, total: all.length, links: [] } });
  });

  app.get("/rest/organizations/:id", (c) => {
    const check = bearer(c);
    if (check instanceof Response) return check;
    const org = SAM_ORGANIZATIONS.find((o) => o.id === c.req.param("id"));
    if (!org) return restError(c, 404, "NOT_FOUND", `Organization ${c.req.param("id")} not found`, 100);
    // The `original~:playableStreams` decoration resolving the logo URN is honoured only when projected
    // (documented for the v2 API; on /rest unverified).
    const decorated = (c.req.query("projection") ?? "").includes("original~:playableStreams");
    const logoV2 = { original: org.logoUrn, cropped: org.logoUrn, ...(decorated ? { "original~": { elements: [{ identifiers: [{ identifier: org.picture, identifierType: "EXTERNAL_URL" }] }] } } : {}) };
    return c.json({ id: Number(org.id), localizedName: org.name, vanityName: org.vanityName, logoV2 });
  });
  app.route("/", assetRoutes());
  app.route("/", postRoutes());
  app.route("/", linkedinCommentRoutes());
  return app;
}

export const linkedinSandbox: PlatformModule = {
  platform: "linkedin",
  hosts: ["www.linkedin.com", "api.linkedin.com"],
  routes: (host) => (host === "www.linkedin.com" ? oauthRoutes() : apiRoutes()),
};
