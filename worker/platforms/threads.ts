import { z } from "zod";
import { isNetworkFailure, withQuery } from "./http";
import { classifyGraphError, graphCall, type GraphCaller } from "./meta-graph";
import { OAuthTokenResponse, fail, ok, parseBody, tokenSetFrom } from "./oauth";
import type { AdapterContext, ConnectionAdapter, ScopeInfo } from "./types";

const NAME = "Threads";
/** Token endpoints live at the host root; the API itself is versioned. */
const HOST = "https://graph.threads.net";
const API = `${HOST}/v1.0`;

const SCOPES: readonly ScopeInfo[] = [
  { scope: "threads_basic", purpose: "See your Threads profile (every Threads permission builds on this one).", required: true },
  { scope: "threads_content_publish", purpose: "Publish posts and carousels to your Threads profile.", required: true },
  { scope: "threads_read_replies", purpose: "Read replies to your posts for the inbox.", required: false },
  { scope: "threads_manage_replies", purpose: "Hide replies and choose who can reply to your posts.", required: false },
  { scope: "threads_manage_insights", purpose: "Read your profile's and posts' statistics for the analytics view.", required: false },
];

const ShortToken = z.object({ access_token: z.string().min(1), user_id: z.coerce.string().optional() });
const Profile = z.object({ id: z.string(), username: z.string(), name: z.string().optional(), threads_profile_picture_url: z.string().optional() });
const DebugToken = z.object({ data: z.object({ is_valid: z.boolean(), scopes: z.array(z.string()).default([]) }) });

const caller = (ctx: AdapterContext): GraphCaller => ({ http: ctx.http, name: NAME, credentialsKey: "threads" });

/**
 * Threads profiles: their own Meta app and OAuth (threads.net), a short-lived token exchanged for a
 * 60-day one that can be refreshed once it is a day old.
 */
export const threadsAdapter: ConnectionAdapter = {
  platform: "threads",
  displayName: NAME,
  credentialsKey: "threads",
  scopes: SCOPES,
  pkce: false,
  refreshable: true,

  authorizeUrl(ctx, { state }) {
    return ctx.http.browserUrl(
      withQuery("https://threads.net/oauth/authorize", {
        client_id: ctx.credentials.clientId,
        redirect_uri: ctx.redirectUri,
        scope: SCOPES.map((s) => s.scope).join(","),
        response_type: "code",
        state,
      }),
    );
  },

  async exchangeCode(ctx, { code }) {
    const { clientId, clientSecret } = ctx.credentials;
    const exchanged = await ctx.http.postForm(`${HOST}/oauth/access_token`, { client_id: clientId, client_secret: clientSecret, grant_type: "authorization_code", redirect_uri: ctx.redirectUri, code });
    if (isNetworkFailure(exchanged) || exchanged.status !== 200) return fail(classifyGraphError(caller(ctx), exchanged));
    const short = parseBody(NAME, ShortToken, exchanged);
    if (!short.ok) return short;

    const long = await graphCall(caller(ctx), withQuery(`${HOST}/access_token`, { grant_type: "th_exchange_token", client_secret: clientSecret, access_token: short.value.access_token }), OAuthTokenResponse);
    if (!long.ok) return long;
    const tokens = tokenSetFrom(long.value, ctx.now);

    // Threads returns no scope list with its tokens; debug_token reports what was granted. Letting the
    // token inspect itself (rather than an app token) follows Facebook's debug_token (unverified for Threads).
    const debug = await graphCall(caller(ctx), withQuery(`${HOST}/debug_token`, { input_token: tokens.accessToken }), DebugToken, { token: tokens.accessToken });
    if (!debug.ok) return debug;

    const profile = await graphCall(caller(ctx), withQuery(`${API}/me`, { fields: "id,username,name,threads_profile_picture_url" }), Profile, { token: tokens.accessToken });
    if (!profile.ok) return profile;
    const p = profile.value;
    return ok({
      account: { id: p.id, name: p.name ?? p.username },
      grantedScopes: debug.value.data.scopes,
      tokens,
      channels: [{ externalId: p.id, kind: "threads_profile", name: p.name ?? p.username, handle: p.username, avatarUrl: p.threads_profile_picture_url ?? null, tokens, metadata: { threadsUserId: p.id } }],
    });
  },

  /**
   * A new 60-day token for one that is at least 24 hours old and not yet expired. An expired token
   * answers code 190 and is classified `reauth`: only the consent screen can restore access.
   */
  async refresh(ctx, tokens) {
    const refreshed = await graphCall(caller(ctx), withQuery(`${HOST}/refresh_access_token`, { grant_type: "th_refresh_token", access_token: tokens.accessToken }), OAuthTokenResponse);
    return refreshed.ok ? ok(tokenSetFrom(refreshed.value, ctx.now)) : refreshed;
  },

  /**
   * Threads documents no revoke endpoint (unverified that none exists): access ends when the person
   * removes Atelier in Threads' settings or the token expires. Revoking therefore means Atelier deletes
   * its copy of the tokens, which the caller does; nothing is sent to Threads.
   */
  revoke: async () => ok(null),
};
