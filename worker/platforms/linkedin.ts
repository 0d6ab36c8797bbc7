import { z } from "zod";
import { isNetworkFailure, withQuery, type HttpResult, type NetworkFailure } from "./http";
import { classifyOAuthError, fail, OAuthTokenResponse, ok, parseBody, retryAfter, tokenSetFrom } from "./oauth";
import type { AdapterContext, ChannelCandidate, ConnectionAdapter, Grant, Outcome, PlatformFailure, TokenSet } from "./types";

const NAME = "LinkedIn";
const OAUTH = "https://www.linkedin.com/oauth/v2";
const API = "https://api.linkedin.com";

/**
 * The `/rest` API version Atelier speaks. LinkedIn serves each monthly version for about a year and then
 * answers 426 NONEXISTENT_VERSION, so this must be bumped (and the adapters re-tested) yearly.
 */
export const LINKEDIN_VERSION = "202610";

/** Headers every versioned `/rest` call needs. */
export function linkedInRestHeaders(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}`, "linkedin-version": LINKEDIN_VERSION, "x-restli-protocol-version": "2.0.0" };
}

/** Rest.li errors: `{status, serviceErrorCode, code, message}` (`code` only on newer versions). */
const RestliError = z.object({ status: z.number().optional(), serviceErrorCode: z.number().optional(), code: z.string().optional(), message: z.string().optional() });

/** LinkedIn's API errors → what to do, in plain words. Error codes beyond the HTTP status are partly unverified. */
export function classifyLinkedInError(result: HttpResult | NetworkFailure): PlatformFailure {
  if (isNetworkFailure(result)) return { kind: "retry", message: `LinkedIn could not be reached (${result.networkError}). Try again in a moment.` };
  const parsed = RestliError.safeParse(result.json);
  const body = parsed.success ? parsed.data : {};
  const platformCode = body.code ?? (body.serviceErrorCode !== undefined ? String(body.serviceErrorCode) : undefined);
  const said = body.message ? ` LinkedIn said: “${body.message}”` : "";
  const base = { status: result.status, platformCode };
  if (body.code === "REVOKED_ACCESS_TOKEN" || body.serviceErrorCode === 65601)
    return { ...base, kind: "reauth", message: `The member revoked Atelier's access on LinkedIn. Connect the account again.${said}` };
  if (result.status === 401) return { ...base, kind: "refresh", message: `LinkedIn no longer accepts the access token (it expired or is invalid).${said}` };
  if (result.status === 426 || body.code === "NONEXISTENT_VERSION")
    return { ...base, kind: "fatal", message: `LinkedIn no longer serves API version ${LINKEDIN_VERSION}, which Atelier asks for. A developer must update Atelier's LinkedIn version.${said}` };
  if (body.code === "VERSION_MISSING") return { ...base, kind: "fatal", message: `Atelier called LinkedIn without the LinkedIn-Version header.${said}` };
  if (result.status === 429) return { ...base, kind: "retry", retryAfterSeconds: retryAfter(result), message: `LinkedIn is throttling requests. Try again later.${said}` };
  if (result.status >= 500) return { ...base, kind: "retry", message: `LinkedIn had a temporary problem (HTTP ${result.status}). Try again in a moment.${said}` };
  if (result.status === 403)
    return { ...base, kind: "reauth", message: `LinkedIn refused access: a permission Atelier needs was not granted, or the member no longer administers the organization. Connect the account again.${said}` };
  return { ...base, kind: "fatal", message: `LinkedIn refused the request (HTTP ${result.status}${platformCode ? `, ${platformCode}` : ""}).${said}` };
}

/**
 * LinkedIn answers `invalid_request` (not `invalid_grant`) when a code expired, was used, or was issued for
 * another redirect URI: "Unable to retrieve access token: appid/redirect uri/code verifier does not match
 * authorization code. Or authorization code expired. …" (as quoted by many clients; not official text).
 */
function classifyTokenError(result: HttpResult | NetworkFailure): PlatformFailure {
  const failure = classifyOAuthError(NAME, result);
  const description = isNetworkFailure(result) ? "" : String((result.json as { error_description?: unknown } | undefined)?.error_description ?? "");
  if (failure.platformCode === "invalid_request" && /authorization code|refresh token/i.test(description))
    return { ...failure, kind: "reauth", message: `LinkedIn did not accept the authorization: the code expired or was already used, or the redirect address differs from the registered one. Connect the account again. LinkedIn said: “${description}”` };
  return failure;
}

async function tokenCall(ctx: AdapterContext, fields: Record<string, string>): Promise<Outcome<z.infer<typeof OAuthTokenResponse>>> {
  const result = await ctx.http.postForm(`${OAUTH}/accessToken`, { ...fields, client_id: ctx.credentials.clientId, client_secret: ctx.credentials.clientSecret });
  if (isNetworkFailure(result) || result.status !== 200) return fail(classifyTokenError(result));
  return parseBody(NAME, OAuthTokenResponse, result);
}

const UserInfo = z.object({ sub: z.string().min(1), name: z.string(), picture: z.string().optional() });
const Acls = z.object({
  elements: z.array(z.object({ organization: z.string(), role: z.string(), state: z.string() })),
  paging: z.object({ start: z.number(), count: z.number() }).optional(),
});
/** `id` is a JSON number; Atelier keeps the id from the URN string instead. */
const Organization = z.object({
  localizedName: z.string(),
  vanityName: z.string().optional(),
  logoV2: z.object({ "original~": z.object({ elements: z.array(z.object({ identifiers: z.array(z.object({ identifier: z.string() })) })) }).optional() }).optional(),
});

async function getJson<T extends z.ZodType>(ctx: AdapterContext, url: string, headers: Record<string, string>, schema: T): Promise<Outcome<z.infer<T>>> {
  const result = await ctx.http.request(url, { headers });
  if (isNetworkFailure(result) || result.status !== 200) return fail(classifyLinkedInError(result));
  return parseBody(NAME, schema, result);
}

const ACL_PAGE = 50;
const ACL_MAX_PAGES = 20;

/** Organization ids (from `urn:li:organization:<id>`) the member is an approved ADMINISTRATOR of. */
async function administeredOrganizations(ctx: AdapterContext, accessToken: string): Promise<Outcome<string[]>> {
  const ids: string[] = [];
  for (let page = 0; page < ACL_MAX_PAGES; page++) {
    const url = `${API}/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&start=${page * ACL_PAGE}&count=${ACL_PAGE}`;
    const acls = await getJson(ctx, url, linkedInRestHeaders(accessToken), Acls);
    if (!acls.ok) return acls;
    for (const element of acls.value.elements) {
      const id = /^urn:li:organization:(\d+)$/.exec(element.organization)?.[1];
      if (id && !ids.includes(id)) ids.push(id);
    }
    if (acls.value.elements.length < ACL_PAGE) break;
  }
  return ok(ids);
}

async function organizationChannel(ctx: AdapterContext, id: string, tokens: TokenSet): Promise<Outcome<ChannelCandidate>> {
  // The decoration resolving the logo's digital-media URN to URLs is the documented v2 projection;
  // that /rest accepts it too is unverified (without it the logo stays null).
  const url = `${API}/rest/organizations/${id}?projection=(id,localizedName,vanityName,logoV2(original~:playableStreams))`;
  const org = await getJson(ctx, url, linkedInRestHeaders(tokens.accessToken), Organization);
  if (!org.ok) return org;
  const logo = org.value.logoV2?.["original~"]?.elements.at(-1)?.identifiers[0]?.identifier ?? null;
  return ok({
    externalId: id,
    kind: "linkedin_organization",
    name: org.value.localizedName,
    handle: org.value.vanityName ?? null,
    avatarUrl: logo,
    tokens,
    metadata: { authorUrn: `urn:li:organization:${id}` },
  });
}

const ORGANIZATION_SCOPES = ["r_organization_admin", "rw_organization_admin"];

export const linkedinAdapter: ConnectionAdapter = {
  platform: "linkedin",
  displayName: NAME,
  credentialsKey: "linkedin",
  scopes: [
    { scope: "openid", purpose: "identify the LinkedIn member who connects", required: true },
    { scope: "profile", purpose: "show the member's name and photo", required: true },
    { scope: "email", purpose: "show which LinkedIn login is connected", required: false },
    { scope: "w_member_social", purpose: "publish posts you schedule on your own profile", required: true },
    { scope: "r_organization_admin", purpose: "list the LinkedIn Pages you administer", required: false },
    { scope: "w_organization_social", purpose: "publish posts you schedule on your LinkedIn Pages", required: false },
    { scope: "r_organization_social", purpose: "read comments and reactions on your LinkedIn Pages' posts", required: false },
  ],
  // LinkedIn's PKCE support is for native apps; the web flow authenticates with the client secret.
  pkce: false,
  // Programmatic refresh tokens exist only for apps LinkedIn approved for them (Community Management
  // partners, as Atelier's app must be for organization posting); without one, refresh() asks to reconnect.
  refreshable: true,

  authorizeUrl(ctx, { state }) {
    return ctx.http.browserUrl(
      withQuery(`${OAUTH}/authorization`, {
        response_type: "code",
        client_id: ctx.credentials.clientId,
        redirect_uri: ctx.redirectUri,
        state,
        scope: this.scopes.map((s) => s.scope).join(" "),
      }),
    );
  },

  async exchangeCode(ctx, { code }) {
    const token = await tokenCall(ctx, { grant_type: "authorization_code", code, redirect_uri: ctx.redirectUri });
    if (!token.ok) return token;
    const tokens = tokenSetFrom(token.value, ctx.now);
    // LinkedIn returns the granted scopes comma-separated.
    const grantedScopes = (token.value.scope ?? "").split(/[,\s]+/).filter(Boolean);
    const member = await getJson(ctx, `${API}/v2/userinfo`, { authorization: `Bearer ${tokens.accessToken}` }, UserInfo);
    if (!member.ok) return member;
    const channels: ChannelCandidate[] = [
      {
        externalId: member.value.sub,
        kind: "linkedin_member",
        name: member.value.name,
        handle: null, // the vanity name needs r_basicprofile, which Atelier does not ask for
        avatarUrl: member.value.picture ?? null,
        tokens,
        metadata: { authorUrn: `urn:li:person:${member.value.sub}` },
      },
    ];
    // Without an organization-admin scope the ACL lookup can only fail, so it is skipped.
    if (grantedScopes.some((s) => ORGANIZATION_SCOPES.includes(s))) {
      const ids = await administeredOrganizations(ctx, tokens.accessToken);
      if (!ids.ok) return ids;
      for (const id of ids.value) {
        const channel = await organizationChannel(ctx, id, tokens);
        if (!channel.ok) return channel;
        channels.push(channel.value);
      }
    }
    const grant: Grant = { account: { id: member.value.sub, name: member.value.name }, grantedScopes, tokens, channels };
    return ok(grant);
  },

  /** The refresh token's 365 days count from the original consent and do not reset on refresh. */
  async refresh(ctx, tokens) {
    if (!tokens.refreshToken)
      return fail({ kind: "reauth", message: "LinkedIn gave this connection no refresh token (programmatic refresh needs LinkedIn's approval), so it must be connected again before the access token expires." });
    const token = await tokenCall(ctx, { grant_type: "refresh_token", refresh_token: tokens.refreshToken });
    if (!token.ok) return token;
    const fresh = tokenSetFrom(token.value, ctx.now, tokens.refreshToken);
    return ok({ ...fresh, refreshExpiresAt: tokens.refreshExpiresAt ?? fresh.refreshExpiresAt });
  },

  /** RFC 7009-style revoke; widely used by clients but not re-confirmed in LinkedIn's official text (unverified). */
  async revoke(ctx, tokens) {
    const result = await ctx.http.postForm(`${OAUTH}/revoke`, { client_id: ctx.credentials.clientId, client_secret: ctx.credentials.clientSecret, token: tokens.accessToken });
    if (!isNetworkFailure(result) && result.status === 200) return ok(null);
    const failure = classifyOAuthError(NAME, result);
    // A token LinkedIn no longer knows is as good as revoked.
    if (failure.platformCode === "invalid_token" || failure.platformCode === "invalid_grant") return ok(null);
    return fail(failure);
  },
};
