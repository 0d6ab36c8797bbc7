import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** All times are Unix epoch milliseconds (UTC instants); zones are stored beside them where a person chose one. */
const createdAt = () => integer("created_at").notNull();

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>` (worker/security/password.ts). */
    passwordHash: text("password_hash").notNull(),
    avatarKey: text("avatar_key"),
    avatarUpdatedAt: integer("avatar_updated_at"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

/**
 * A signed-in device. The cookie's JWT names the session (`sid`); a session row that is revoked or
 * expired makes every JWT naming it useless at once, whatever the JWT's own expiry says.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    revokedAt: integer("revoked_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** IANA zone used to show and schedule this workspace's calendar. */
  timezone: text("timezone").notNull(),
  logoKey: text("logo_key"),
  logoUpdatedAt: integer("logo_updated_at"),
  createdBy: text("created_by"),
  createdAt: createdAt(),
  updatedAt: integer("updated_at").notNull(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "admin", "editor", "contributor", "viewer"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

/** Invite links: only a SHA-256 of the token is stored, so a database leak exposes no usable link. */
export const invites = sqliteTable(
  "invites",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    role: text("role", { enum: ["owner", "admin", "editor", "contributor", "viewer"] }).notNull(),
    email: text("email"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("invites_token_hash_unique").on(t.tokenHash), index("invites_workspace_idx").on(t.workspaceId, t.createdAt)],
);

/**
 * Who did what, kept at most 90 days (the cron purges by `created_at`). No foreign keys on purpose:
 * an entry outlives the user or workspace it mentions until the purge.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id"),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_workspace_time_idx").on(t.workspaceId, t.createdAt, t.id),
    index("audit_actor_idx").on(t.actorId),
    index("audit_time_idx").on(t.createdAt),
  ],
);

/** Fixed-window counters for rate limits (login, signup); one row per key, updated in one statement. */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(sql`0`),
  },
  (t) => [index("rate_limits_window_idx").on(t.windowStart)],
);

/**
 * A connected channel (a Facebook Page, an Instagram account, a LinkedIn organization …) of a workspace.
 * Tokens are sealed (worker/security/token-seal.ts) with additional data binding them to this row.
 * Connecting a channel that is already connected updates this row (unique key) instead of adding one.
 */
export const connections = sqliteTable(
  "connections",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    kind: text("kind").notNull(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    handle: text("handle"),
    avatarUrl: text("avatar_url"),
    status: text("status", { enum: ["active", "needs_reconnect", "disconnected"] }).notNull(),
    statusReason: text("status_reason"),
    accessTokenSealed: text("access_token_sealed"),
    refreshTokenSealed: text("refresh_token_sealed"),
    /** The grant's user-level access token where it differs from the channel's (Meta), for revocation. */
    grantTokenSealed: text("grant_token_sealed"),
    tokenExpiresAt: integer("token_expires_at"),
    refreshExpiresAt: integer("refresh_expires_at"),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /**
     * Who consented, per credentials family (Facebook and Instagram share Meta's): channels with the same
     * pair share one platform grant, which is revoked only when the last of them is disconnected.
     */
    grantFamily: text("grant_family").notNull(),
    grantAccountId: text("grant_account_id").notNull(),
    connectedBy: text("connected_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
    lastRefreshedAt: integer("last_refreshed_at"),
    /** A refresh in progress holds this lease, so a rotating refresh token is never used twice. */
    refreshLeaseUntil: integer("refresh_lease_until"),
    disconnectedAt: integer("disconnected_at"),
  },
  (t) => [
    uniqueIndex("connections_channel_unique").on(t.workspaceId, t.platform, t.externalId),
    index("connections_refresh_idx").on(t.status, t.tokenExpiresAt),
    index("connections_disconnected_idx").on(t.disconnectedAt),
    index("connections_grant_idx").on(t.grantFamily, t.grantAccountId),
  ],
);

/**
 * One OAuth authorize attempt. Only a hash of `state` is stored; it is bound to the session that
 * started it, used once, and lives 10 minutes.
 */
export const oauthStates = sqliteTable(
  "oauth_states",
  {
    stateHash: text("state_hash").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sessionId: text("session_id").notNull(),
    platform: text("platform").notNull(),
    codeVerifierSealed: text("code_verifier_sealed"),
    reconnectConnectionId: text("reconnect_connection_id"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("oauth_states_expires_idx").on(t.expiresAt)],
);

/** A grant that yielded several channels, sealed until the person picks which to add (10 minutes). */
export const pendingGrants = sqliteTable(
  "pending_grants",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    payloadSealed: text("payload_sealed").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("pending_grants_expires_idx").on(t.expiresAt)],
);
