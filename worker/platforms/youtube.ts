import { z } from "zod";
import { isNetworkFailure, withQuery } from "./http";
import { fail, OAuthTokenResponse, ok, parseBody, tokenSetFrom } from "./oauth";
import type { AdapterContext, ChannelCandidate, ConnectionAdapter, Grant, Outcome, ScopeInfo, TokenSet } from "./types";
import { classifyGoogleTokenError, classifyYoutubeError, NO_CHANNEL_MESSAGE } from "./youtube-errors";

const AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
const TOKEN_URL = "https://oauth2.googleapis.com/token";
const REVOKE_URL = "https://oauth2.googleapis.com/revoke";
const CHANNELS_URL = "https://www.googleapis.com/youtube/v3/channels";

const scope = (name: string) => `https://www.googleapis.com/auth/${name}`;

/**
 * No `openid`/`email`/`profile`: Google's consent makes the person act as one channel identity, and
 * the channel (from `channels?mine=true`) is the account Atelier shows, so no Google profile is needed.
 */
export const YOUTUBE_SCOPES: readonly ScopeInfo[] = [
  { scope: scope("youtube.upload"), purpose: "upload the videos you schedule to your channel", required: true },
  { scope: scope("youtube"), purpose: "set a scheduled video's title, description and privacy, and delete it when you ask", required: true },
  { scope: scope("youtube.readonly"), purpose: "show your channel's name and picture and follow an upload's processing", required: true },
  { scope: scope("youtube.force-ssl"), purpose: "read and answer comments on your videos from the inbox", required: false },
];

const Thumbnail = z.object({ url: z.string().min(1) });
const Channel = z.object({
  id: z.string().min(1),
  snippet: z.object({
    title: z.string(),
    customUrl: z.string().optional(),
    thumbnails: z.object({ default: Thumbnail.optional(), medium: Thumbnail.optional(), high: Thumbnail.optional() }).optional(),
  }),
  contentDetails: z.object({ relatedPlaylists: z.object({ uploads: z.string().optional() }).optional() }).optional(),
});
/** Google leaves `items` out entirely for an account without a channel; `items: []` is accepted too. */
const ChannelList = z.object({ items: z.array(Channel).optional() });

function bearer(tokens: TokenSet): Record<string, string> {
  return { authorization: `Bearer ${tokens.accessToken}` };
}

/**
 * The channel(s) the grant acts as: `channels.list` with `mine=true` (1 quota unit). With Brand
 * Accounts the person picks the channel identity on Google's consent screen, so this is normally one.
 * `handle` is the `customUrl` without its leading `@`.
 */
export async function youtubeChannels(ctx: AdapterContext, tokens: TokenSet): Promise<Outcome<ChannelCandidate[]>> {
  const result = await ctx.http.request(withQuery(CHANNELS_URL, { part: "snippet,contentDetails,statistics", mine: "true" }), { headers: bearer(tokens) });
  if (isNetworkFailure(result) || result.status !== 200) return fail(classifyYoutubeError(result, ctx.now));
  const parsed = parseBody("YouTube", ChannelList, result);
  if (!parsed.ok) return parsed;
  return ok(
    (parsed.value.items ?? []).map((channel) => {
      const thumbnails = channel.snippet.thumbnails;
      const uploads = channel.contentDetails?.relatedPlaylists?.uploads;
      const metadata: Record<string, string> = { channelId: channel.id };
      if (uploads) metadata.uploadsPlaylistId = uploads;
      return {
        externalId: channel.id,
        kind: "youtube_channel",
        name: channel.snippet.title,
        handle: channel.snippet.customUrl ? channel.snippet.customUrl.replace(/^@/, "") : null,
        avatarUrl: (thumbnails?.high ?? thumbnails?.medium ?? thumbnails?.default)?.url ?? null,
        tokens,
        metadata,
      };
    }),
  );
}

function grantedScopes(scopeField: string | undefined): string[] {
  return (scopeField ?? "").split(" ").filter(Boolean);
}

export const youtubeAdapter: ConnectionAdapter = {
  platform: "youtube",
  displayName: "YouTube",
  credentialsKey: "google",
  scopes: YOUTUBE_SCOPES,
  pkce: true,
  refreshable: true,

  /** `access_type=offline` + `prompt=consent` so Google issues a refresh token on every (re)connect. */
  authorizeUrl(ctx, { state, codeChallenge }) {
    return ctx.http.browserUrl(
      withQuery(AUTHORIZE_URL, {
        client_id: ctx.credentials.clientId,
        redirect_uri: ctx.redirectUri,
        response_type: "code",
        scope: YOUTUBE_SCOPES.map((s) => s.scope).join(" "),
        access_type: "offline",
        prompt: "consent",
        include_granted_scopes: "true",
        state,
        code_challenge: codeChallenge ?? undefined,
        code_challenge_method: codeChallenge ? "S256" : undefined,
      }),
    );
  },

  async exchangeCode(ctx, { code, codeVerifier }): Promise<Outcome<Grant>> {
    const result = await ctx.http.postForm(TOKEN_URL, {
      code,
      client_id: ctx.credentials.clientId,
      client_secret: ctx.credentials.clientSecret,
      redirect_uri: ctx.redirectUri,
      grant_type: "authorization_code",
      code_verifier: codeVerifier ?? undefined,
    });
    if (isNetworkFailure(result) || result.status !== 200) return fail(classifyGoogleTokenError(result, ctx.redirectUri));
    const body = parseBody("Google", OAuthTokenResponse, result);
    if (!body.ok) return body;
    // Without a refresh token the connection would die within the hour; with prompt=consent Google always sends one.
    if (!body.value.refresh_token) {
      return fail({ kind: "reauth", status: result.status, message: "Google did not return a refresh token, so Atelier could not stay connected to YouTube. Connect YouTube again." });
    }
    const tokens = tokenSetFrom(body.value, ctx.now);
    const channels = await youtubeChannels(ctx, tokens);
    if (!channels.ok) return channels;
    const identity = channels.value[0];
    if (!identity) return fail({ kind: "reauth", platformCode: "youtubeSignupRequired", message: NO_CHANNEL_MESSAGE });
    return ok({ account: { id: identity.externalId, name: identity.name }, grantedScopes: grantedScopes(body.value.scope), tokens, channels: channels.value });
  },

  /** Google normally returns no new refresh token: the old one is kept (a new one, if sent, replaces it). */
  async refresh(ctx, tokens) {
    if (!tokens.refreshToken) return fail({ kind: "reauth", message: "This YouTube connection has no refresh token, so it cannot be renewed. Connect YouTube again." });
    const result = await ctx.http.postForm(TOKEN_URL, {
      client_id: ctx.credentials.clientId,
      client_secret: ctx.credentials.clientSecret,
      refresh_token: tokens.refreshToken,
      grant_type: "refresh_token",
    });
    if (isNetworkFailure(result) || result.status !== 200) return fail(classifyGoogleTokenError(result, ctx.redirectUri));
    const body = parseBody("Google", OAuthTokenResponse, result);
    if (!body.ok) return body;
    const next = tokenSetFrom(body.value, ctx.now, tokens.refreshToken);
    return ok({ ...next, refreshExpiresAt: body.value.refresh_token ? next.refreshExpiresAt : (next.refreshExpiresAt ?? tokens.refreshExpiresAt) });
  },

  /** Revoking the refresh token ends the whole grant; Google's 400 `invalid_token` means it already ended. */
  async revoke(ctx, tokens) {
    const token = tokens.refreshToken ?? tokens.accessToken;
    const result = await ctx.http.request(withQuery(REVOKE_URL, { token }), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } });
    if (!isNetworkFailure(result)) {
      if (result.status === 200) return ok(null);
      if (result.status === 400 && z.object({ error: z.literal("invalid_token") }).safeParse(result.json).success) return ok(null);
    }
    return fail(classifyGoogleTokenError(result, ctx.redirectUri));
  },
};
