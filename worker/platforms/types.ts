import type { PlatformHttp } from "./http";

import type { CHANNEL_KINDS, PLATFORMS } from "../contracts/connections";

export type PlatformId = (typeof PLATFORMS)[number];

/** What kind of account a connected channel is; decides which API calls and formats apply. */
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** The app's credentials for one platform (from secrets). */
export type AppCredentials = { clientId: string; clientSecret: string };

/** Everything an adapter may use: it never reads env, touches D1/DOs, sleeps or retries. */
export type AdapterContext = {
  http: PlatformHttp;
  credentials: AppCredentials;
  /** The exact redirect URI registered with the platform (`<origin>/oauth/<platform>/callback`). */
  redirectUri: string;
  now: number;
};

export type TokenSet = {
  accessToken: string;
  /** Null where the platform has none (Meta: re-run the login dialog instead). */
  refreshToken: string | null;
  /** Epoch ms; null when the token does not expire (Facebook Page tokens from a long-lived user token). */
  expiresAt: number | null;
  refreshExpiresAt: number | null;
};

/** One channel a grant gives access to, as offered to the user for selection. */
export type ChannelCandidate = {
  externalId: string;
  kind: ChannelKind;
  name: string;
  handle: string | null;
  avatarUrl: string | null;
  /** The channel's own tokens (a Page token, say), or the grant's user tokens. */
  tokens: TokenSet;
  /** Platform ids the publishing adapters need later (e.g. the Instagram account's Page id, an author URN). */
  metadata: Record<string, string>;
};

export type Grant = {
  /** The person who consented, as the platform names them. */
  account: { id: string; name: string };
  grantedScopes: string[];
  /** User-level tokens of the grant (used to revoke it). */
  tokens: TokenSet;
  channels: ChannelCandidate[];
};

/**
 * How a failed platform call should be handled:
 * `refresh` the access token and try again; `reauth` the user must reconnect; `retry` later
 * (5xx, 429, network); `fatal` the request itself is wrong and will not succeed.
 */
export type FailureKind = "refresh" | "reauth" | "retry" | "fatal";

export type PlatformFailure = {
  kind: FailureKind;
  /** A sentence a person understands, e.g. "TikTok says the authorization code has expired." */
  message: string;
  status?: number;
  platformCode?: string;
  retryAfterSeconds?: number;
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: PlatformFailure };

/** A permission the app asks for, with its purpose in the words the privacy page uses. */
export type ScopeInfo = { scope: string; purpose: string; required: boolean };

/**
 * The connection side of a platform adapter (publishing and engagement are added by later issues).
 * Capabilities are data; every call returns a typed outcome, never throws for platform errors.
 */
export interface ConnectionAdapter {
  readonly platform: PlatformId;
  readonly displayName: string;
  /** The credentials secret pair this platform uses (Facebook and Instagram share Meta's app). */
  readonly credentialsKey: "meta" | "threads" | "tiktok" | "linkedin" | "google" | "airtable";
  readonly scopes: readonly ScopeInfo[];
  /** Whether the authorize step carries a PKCE S256 challenge. */
  readonly pkce: boolean;
  /** Whether tokens can be refreshed without the user (false for Meta: reconnect before expiry). */
  readonly refreshable: boolean;

  authorizeUrl(ctx: AdapterContext, request: { state: string; codeChallenge: string | null }): string;
  /** Code → tokens (→ long-lived tokens) → granted scopes → the channels the grant gives. */
  exchangeCode(ctx: AdapterContext, request: { code: string; codeVerifier: string | null }): Promise<Outcome<Grant>>;
  refresh(ctx: AdapterContext, tokens: TokenSet): Promise<Outcome<TokenSet>>;
  /** Revokes the grant at the platform; an already-invalid token counts as revoked. */
  revoke(ctx: AdapterContext, tokens: TokenSet): Promise<Outcome<null>>;
  /** Side effects on connect/disconnect (e.g. subscribing a Facebook Page to webhooks). */
  onConnected?(ctx: AdapterContext, channel: ChannelCandidate): Promise<Outcome<null>>;
  onDisconnected?(ctx: AdapterContext, channel: { externalId: string; tokens: TokenSet; metadata: Record<string, string> }): Promise<Outcome<null>>;
}
