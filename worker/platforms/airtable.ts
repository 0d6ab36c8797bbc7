import { z } from "zod";
import { classifyAirtableError, classifyAirtableTokenError } from "./airtable-errors";
import { isNetworkFailure, withQuery } from "./http";
import { fail, OAuthTokenResponse, ok, parseBody, tokenSetFrom } from "./oauth";
import type { AdapterContext, ConnectionAdapter, Grant, Outcome, ScopeInfo, TokenSet } from "./types";

const AUTHORIZE_URL = "https://airtable.com/oauth2/v1/authorize";
const TOKEN_URL = "https://airtable.com/oauth2/v1/token";
const WHOAMI_URL = "https://api.airtable.com/v0/meta/whoami";
const BASES_URL = "https://api.airtable.com/v0/meta/bases";
/** A bound on `offset` paging, so a platform that keeps answering with an offset cannot loop forever. */
const MAX_BASE_PAGES = 100;

export const AIRTABLE_SCOPES: readonly ScopeInfo[] = [
  { scope: "data.records:read", purpose: "read the posts you plan in the bases you share", required: true },
  { scope: "schema.bases:read", purpose: "list the bases you share and their tables, so you can choose where posts come from", required: true },
  { scope: "user.email:read", purpose: "show which Airtable account is connected", required: false },
];

/** Airtable names the refresh lifetime `refresh_expires_in` (not the RFC's `refresh_token_expires_in`). */
const AirtableTokenResponse = OAuthTokenResponse.extend({ refresh_expires_in: z.coerce.number().int().positive().optional() });
const WhoAmI = z.object({ id: z.string().min(1), email: z.string().optional() });
const Base = z.object({ id: z.string().min(1), name: z.string(), permissionLevel: z.string() });
const BasesPage = z.object({ bases: z.array(Base), offset: z.string().optional() });
export type AirtableBase = z.infer<typeof Base>;

function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}

/** Token requests authenticate with HTTP Basic when the integration has a secret (Airtable's rule). */
function tokenRequest(ctx: AdapterContext, fields: Record<string, string | undefined>) {
  const { clientId, clientSecret } = ctx.credentials;
  const headers: Record<string, string> = clientSecret ? { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` } : {};
  return ctx.http.postForm(TOKEN_URL, { ...fields, client_id: clientId }, headers);
}

/**
 * Refresh tokens are single use: each response carries the next one. A response without one leaves
 * the set with no refresh token (reconnect) rather than keeping a spent token whose reuse would revoke
 * the grant.
 */
function airtableTokenSet(body: z.infer<typeof AirtableTokenResponse>, now: number): TokenSet {
  const tokens = tokenSetFrom(body, now, null);
  return { ...tokens, refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in * 1000 : tokens.refreshExpiresAt };
}

/** Every base the grant shares, following `offset` until a page comes without one. */
export async function listAirtableBases(ctx: AdapterContext, accessToken: string): Promise<Outcome<AirtableBase[]>> {
  const bases: AirtableBase[] = [];
  let offset: string | undefined;
  for (let page = 0; page < MAX_BASE_PAGES; page += 1) {
    const result = await ctx.http.request(withQuery(BASES_URL, { offset }), { headers: bearer(accessToken) });
    if (isNetworkFailure(result) || result.status !== 200) return fail(classifyAirtableError(result));
    const parsed = parseBody("Airtable", BasesPage, result);
    if (!parsed.ok) return parsed;
    bases.push(...parsed.value.bases);
    offset = parsed.value.offset;
    if (!offset) return ok(bases);
  }
  return fail({ kind: "fatal", message: `Airtable kept returning more pages of bases after ${MAX_BASE_PAGES} pages, so Atelier stopped listing them.` });
}

export const airtableAdapter: ConnectionAdapter = {
  platform: "airtable",
  displayName: "Airtable",
  credentialsKey: "airtable",
  scopes: AIRTABLE_SCOPES,
  // Airtable refuses an authorization request without a PKCE S256 challenge.
  pkce: true,
  refreshable: true,

  authorizeUrl(ctx, { state, codeChallenge }) {
    return ctx.http.browserUrl(
      withQuery(AUTHORIZE_URL, {
        client_id: ctx.credentials.clientId,
        redirect_uri: ctx.redirectUri,
        response_type: "code",
        scope: AIRTABLE_SCOPES.map((s) => s.scope).join(" "),
        state,
        code_challenge: codeChallenge ?? undefined,
        code_challenge_method: codeChallenge ? "S256" : undefined,
      }),
    );
  },

  /**
   * One `airtable_account` channel per grant. Its metadata: `userId`, `email` (when `user.email:read`
   * was granted) and `bases`, a JSON array of `{id, name, permissionLevel}` for the bases the person
   * shared (left out when `schema.bases:read` was not granted, since they could not be listed).
   */
  async exchangeCode(ctx, { code, codeVerifier }): Promise<Outcome<Grant>> {
    const result = await tokenRequest(ctx, { grant_type: "authorization_code", code, code_verifier: codeVerifier ?? undefined, redirect_uri: ctx.redirectUri });
    if (isNetworkFailure(result) || result.status !== 200) return fail(classifyAirtableTokenError(result));
    const body = parseBody("Airtable", AirtableTokenResponse, result);
    if (!body.ok) return body;
    const tokens = airtableTokenSet(body.value, ctx.now);
    const grantedScopes = (body.value.scope ?? "").split(" ").filter(Boolean);

    const whoami = await ctx.http.request(WHOAMI_URL, { headers: bearer(tokens.accessToken) });
    if (isNetworkFailure(whoami) || whoami.status !== 200) return fail(classifyAirtableError(whoami));
    const user = parseBody("Airtable", WhoAmI, whoami);
    if (!user.ok) return user;

    const metadata: Record<string, string> = { userId: user.value.id };
    if (user.value.email) metadata.email = user.value.email;
    if (grantedScopes.includes("schema.bases:read")) {
      const bases = await listAirtableBases(ctx, tokens.accessToken);
      if (!bases.ok) return bases;
      metadata.bases = JSON.stringify(bases.value.map((b) => ({ id: b.id, name: b.name, permissionLevel: b.permissionLevel })));
    }
    const name = user.value.email ?? `Airtable user ${user.value.id}`;
    return ok({
      account: { id: user.value.id, name },
      grantedScopes,
      tokens,
      channels: [{ externalId: user.value.id, kind: "airtable_account", name, handle: null, avatarUrl: null, tokens, metadata }],
    });
  },

  /**
   * Spends the refresh token: callers must serialize refreshes per connection and store the returned
   * pair before using it, because presenting a used refresh token again can revoke the whole grant.
   */
  async refresh(ctx, tokens) {
    if (!tokens.refreshToken) return fail({ kind: "reauth", message: "This Airtable connection has no usable refresh token, so it cannot be renewed. Connect Airtable again." });
    const result = await tokenRequest(ctx, { grant_type: "refresh_token", refresh_token: tokens.refreshToken });
    if (isNetworkFailure(result) || result.status !== 200) return fail(classifyAirtableTokenError(result));
    const body = parseBody("Airtable", AirtableTokenResponse, result);
    if (!body.ok) return body;
    return ok(airtableTokenSet(body.value, ctx.now));
  },

  /**
   * Airtable documents no token-revocation endpoint (unverified): access can only be removed by the
   * person on Airtable's integrations page. Disconnecting therefore makes no call; Atelier forgets the
   * tokens, and the remaining refresh token dies unused after about 60 days.
   */
  async revoke() {
    return ok(null);
  },
};
