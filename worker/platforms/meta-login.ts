import { z } from "zod";
import { withQuery } from "./http";
import { GRAPH, GRAPH_VERSION, GraphSuccess, graphCall, graphList, type GraphCaller } from "./meta-graph";
import { OAuthTokenResponse, fail, ok, tokenSetFrom } from "./oauth";
import type { AdapterContext, ConnectionAdapter, Outcome, ScopeInfo, TokenSet } from "./types";

/**
 * Facebook Login as Facebook Pages and Instagram (via Facebook Login) share it: one Meta app, the
 * classic `scope=` dialog, code → short-lived → long-lived user token, granted permissions, and every
 * Page the person shares (directly, and through their businesses) with its Page token.
 */
export type MetaPage = { id: string; name: string; username: string | null; pictureUrl: string | null; accessToken: string; instagramBusinessAccountId: string | null };
export type MetaLogin = { account: { id: string; name: string }; tokens: TokenSet; grantedScopes: string[]; pages: MetaPage[] };

const PAGE_FIELDS = "id,name,username,access_token,tasks,picture,instagram_business_account";
const PageNode = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string().optional(),
  access_token: z.string().optional(),
  tasks: z.array(z.string()).optional(),
  picture: z.object({ data: z.object({ url: z.string().nullable().optional() }) }).optional(),
  instagram_business_account: z.object({ id: z.string() }).optional(),
});
const Permission = z.object({ permission: z.string(), status: z.string() });
const Business = z.object({ id: z.string(), name: z.string().optional() });
const Me = z.object({ id: z.string(), name: z.string() });

export const metaCaller = (ctx: AdapterContext, name: string): GraphCaller => ({ http: ctx.http, name, credentialsKey: "meta" });

export function metaAuthorizeUrl(ctx: AdapterContext, scopes: readonly ScopeInfo[], state: string): string {
  return ctx.http.browserUrl(
    withQuery(`https://www.facebook.com/${GRAPH_VERSION}/dialog/oauth`, {
      client_id: ctx.credentials.clientId,
      redirect_uri: ctx.redirectUri,
      state,
      response_type: "code",
      scope: scopes.map((s) => s.scope).join(","),
    }),
  );
}

export async function metaLogin(ctx: AdapterContext, name: string, code: string): Promise<Outcome<MetaLogin>> {
  const graph = metaCaller(ctx, name);
  const { clientId, clientSecret } = ctx.credentials;
  const short = await graphCall(graph, withQuery(`${GRAPH}/oauth/access_token`, { client_id: clientId, client_secret: clientSecret, redirect_uri: ctx.redirectUri, code }), OAuthTokenResponse);
  if (!short.ok) return short;
  // The code exchange's `expires_in` is not reliable; a long-lived (~60 day) token is always requested.
  const long = await graphCall(
    graph,
    withQuery(`${GRAPH}/oauth/access_token`, { grant_type: "fb_exchange_token", client_id: clientId, client_secret: clientSecret, fb_exchange_token: short.value.access_token }),
    OAuthTokenResponse,
  );
  if (!long.ok) return long;
  const tokens = tokenSetFrom(long.value, ctx.now);
  const token = tokens.accessToken;

  const permissions = await graphList(graph, `${GRAPH}/me/permissions`, Permission, { token });
  if (!permissions.ok) return permissions;
  const grantedScopes = permissions.value.filter((p) => p.status === "granted").map((p) => p.permission);

  const me = await graphCall(graph, withQuery(`${GRAPH}/me`, { fields: "id,name" }), Me, { token });
  if (!me.ok) return me;

  const direct = await graphList(graph, withQuery(`${GRAPH}/me/accounts`, { fields: PAGE_FIELDS, limit: "100" }), PageNode, { token });
  if (!direct.ok) return direct;
  const nodes = [...direct.value];
  // Pages a business owns appear only through the business (needs business_management).
  if (grantedScopes.includes("business_management")) {
    const businesses = await graphList(graph, withQuery(`${GRAPH}/me/businesses`, { fields: "id,name", limit: "100" }), Business, { token });
    if (!businesses.ok) return businesses;
    for (const business of businesses.value) {
      const owned = await graphList(graph, withQuery(`${GRAPH}/${business.id}/owned_pages`, { fields: PAGE_FIELDS, limit: "100" }), PageNode, { token });
      if (!owned.ok) return owned;
      nodes.push(...owned.value);
    }
  }

  const pages = new Map<string, MetaPage>();
  for (const node of nodes) {
    // Without a Page token (no role on the Page) nothing can be done with it, so it is not offered.
    if (!node.access_token || pages.has(node.id)) continue;
    pages.set(node.id, {
      id: node.id,
      name: node.name,
      username: node.username ?? null,
      pictureUrl: node.picture?.data.url ?? null,
      accessToken: node.access_token,
      instagramBusinessAccountId: node.instagram_business_account?.id ?? null,
    });
  }
  return ok({ account: me.value, tokens, grantedScopes, pages: [...pages.values()] });
}

/** Meta has no refresh token: the login dialog must run again before the ~60-day user token expires. */
export function metaRefreshUnavailable(name: string): Outcome<TokenSet> {
  return fail({ kind: "reauth", message: `${name} does not let Atelier renew access on its own. Connect the account again to keep it working.` });
}

/** `DELETE /me/permissions` de-authorizes the app; a token Graph already rejects counts as revoked. */
export async function revokeMetaLogin(ctx: AdapterContext, name: string, tokens: TokenSet): Promise<Outcome<null>> {
  const revoked = await graphCall(metaCaller(ctx, name), `${GRAPH}/me/permissions`, GraphSuccess, { token: tokens.accessToken, method: "DELETE" });
  if (revoked.ok) return ok(null);
  return revoked.failure.platformCode?.startsWith("190") ? ok(null) : revoked;
}

/** A Page's tokens: a Page token from a long-lived user token does not expire. */
export const pageTokens = (page: MetaPage): TokenSet => ({ accessToken: page.accessToken, refreshToken: null, expiresAt: null, refreshExpiresAt: null });

export type MetaAdapterBase = Pick<ConnectionAdapter, "credentialsKey" | "pkce" | "refreshable">;
export const META_ADAPTER_BASE: MetaAdapterBase = { credentialsKey: "meta", pkce: false, refreshable: false };
