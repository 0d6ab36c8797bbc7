import { z } from "zod";
import { Id, IsoDateTime, UserSummary } from "./common";

/** The seven platforms Atelier connects to. Airtable is a content source, not a publishing channel. */
export const PLATFORMS = ["facebook", "instagram", "threads", "tiktok", "linkedin", "youtube", "airtable"] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export const CHANNEL_KINDS = [
  "facebook_page",
  "instagram_account",
  "threads_profile",
  "tiktok_account",
  "linkedin_member",
  "linkedin_organization",
  "youtube_channel",
  "airtable_account",
] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);

/**
 * `active`: usable. `needs_reconnect`: the platform no longer accepts the tokens (expired, revoked,
 * a refresh failed); the user must reconnect. `disconnected`: removed by a person; tokens are gone and
 * the rest is purged after 30 days.
 */
export const ConnectionStatus = z.enum(["active", "needs_reconnect", "disconnected"]);

/** A connected channel. Tokens are never part of any API response. */
export const Connection = z.object({
  id: Id,
  platform: Platform,
  kind: ChannelKind,
  externalId: z.string(),
  name: z.string(),
  handle: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  status: ConnectionStatus,
  statusReason: z.string().nullable(),
  tokenExpiresAt: IsoDateTime.nullable(),
  scopes: z.array(z.string()),
  connectedBy: UserSummary.nullable(),
  connectedAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Connection = z.infer<typeof Connection>;
export const ConnectionList = z.object({ connections: z.array(Connection) });

export const ScopeInfo = z.object({ scope: z.string(), purpose: z.string(), required: z.boolean() });

export const PlatformInfo = z.object({
  platform: Platform,
  displayName: z.string(),
  /** False when the app has no credentials for this platform (then Connect is unavailable). */
  available: z.boolean(),
  scopes: z.array(ScopeInfo),
});
export type PlatformInfo = z.infer<typeof PlatformInfo>;
export const PlatformList = z.object({ platforms: z.array(PlatformInfo) });

export const AuthorizeResponse = z.object({ url: z.string() });

/** A grant that yielded several channels, waiting for the person to choose which to add (10 minutes). */
export const PendingGrant = z.object({
  id: Id,
  platform: Platform,
  expiresAt: IsoDateTime,
  account: z.object({ name: z.string() }),
  candidates: z.array(
    z.object({
      externalId: z.string(),
      kind: ChannelKind,
      name: z.string(),
      handle: z.string().nullable(),
      avatarUrl: z.string().nullable(),
      alreadyConnected: z.boolean(),
    }),
  ),
});
export type PendingGrant = z.infer<typeof PendingGrant>;

export const SelectChannelsBody = z
  .object({ externalIds: z.array(z.string().min(1).max(200)).min(1, "Choose at least one account to add.").max(100) })
  .strict();
export const SelectChannelsResponse = z.object({ connections: z.array(Connection) });

/**
 * The OAuth callback always lands on the Accounts page with one of these in the query string:
 * `connect=connected&count=N` | `connect=select&grant=<id>` | `connect=error&reason=<code>&message=<sentence>`.
 */
export const CONNECT_ERROR_REASONS = ["denied", "state_invalid", "state_expired", "state_used", "session_mismatch", "missing_scopes", "platform_error", "no_channels", "unavailable"] as const;
