import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CONVERSATION_KINDS, CONVERSATION_STATUSES, INBOX_ACTION_KINDS, INBOX_ACTION_STATES, MESSAGE_DIRECTIONS, MESSAGE_STATES, RULE_HIT_OUTCOMES } from "../inbox/states";
import { connections, postTargets, users, workspaces } from "./schema";

// The inbox (ARCHITECTURE.md §3). Referenced tables are only read inside `references(() => …)`.

export type MessageAttachment = { type: string; url: string | null };

/**
 * A comment thread under one post (`comments`, external id = the platform's post id) or a DM thread
 * with one person (`dm`, external id = the person's platform-scoped id), per channel.
 */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    kind: text("kind", { enum: CONVERSATION_KINDS }).notNull(),
    externalId: text("external_id").notNull(),
    /** Our published target, when the comments are under a post Atelier published. */
    postTargetId: text("post_target_id").references(() => postTargets.id, { onDelete: "set null" }),
    /** The post's text (comments) or the person's name (DMs), for the list. */
    title: text("title").notNull(),
    /** The other person of a DM thread (null for comment threads, which have many authors). */
    participantId: text("participant_id"),
    participantName: text("participant_name"),
    permalink: text("permalink"),
    status: text("status", { enum: CONVERSATION_STATUSES }).notNull(),
    assigneeId: text("assignee_id").references(() => users.id, { onDelete: "set null" }),
    claimedBy: text("claimed_by").references(() => users.id, { onDelete: "set null" }),
    claimedAt: integer("claimed_at"),
    /** Tags set by people or rules. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    lastMessageAt: integer("last_message_at").notNull(),
    /** The last message from the other side: reply windows (Messenger's 24 h) count from it. */
    lastInboundAt: integer("last_inbound_at"),
    /** The newest message's text, for the list. */
    preview: text("preview").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("conversations_external_unique").on(t.connectionId, t.kind, t.externalId),
    // The list is newest first, (last_message_at, id) as the cursor: with or without a status filter
    // these serve it in order, without sorting.
    index("conversations_workspace_idx").on(t.workspaceId, t.status, t.lastMessageAt, t.id),
    index("conversations_recent_idx").on(t.workspaceId, t.lastMessageAt, t.id),
  ],
);

/** One comment, reply or direct message, in or out, deduplicated by the platform's id per channel. */
export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    /** The platform's id (comment id, message `mid`); null while an outbound message is pending. */
    externalId: text("external_id"),
    /** The comment this one answers (a reply), by platform id. */
    parentExternalId: text("parent_external_id"),
    direction: text("direction", { enum: MESSAGE_DIRECTIONS }).notNull(),
    state: text("state", { enum: MESSAGE_STATES }).notNull(),
    authorId: text("author_id"),
    authorName: text("author_name"),
    text: text("text").notNull(),
    attachments: text("attachments", { mode: "json" }).$type<MessageAttachment[]>().notNull(),
    hidden: integer("hidden", { mode: "boolean" }).notNull(),
    liked: integer("liked", { mode: "boolean" }).notNull(),
    /** Who wrote it in Atelier (outbound), or the rule that did. */
    sentBy: text("sent_by").references(() => users.id, { onDelete: "set null" }),
    ruleId: text("rule_id"),
    /** The platform's time of the message (webhook `created_time` / `timestamp`). */
    platformAt: integer("platform_at").notNull(),
    editedAt: integer("edited_at"),
    removedAt: integer("removed_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("messages_external_unique").on(t.connectionId, t.externalId),
    index("messages_conversation_idx").on(t.conversationId, t.platformAt),
    index("messages_workspace_idx").on(t.workspaceId, t.createdAt),
  ],
);

/** Internal notes on a conversation: seen by the team, never sent to the platform. */
export const conversationNotes = sqliteTable(
  "conversation_notes",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("conversation_notes_conversation_idx").on(t.conversationId, t.createdAt)],
);

/** Per-member read state: a conversation is unread for a member when its last message is newer. */
export const conversationReads = sqliteTable(
  "conversation_reads",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    readAt: integer("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] })],
);

/**
 * An outbound platform action (reply, like, hide, DM …): created `pending` with an idempotency key
 * (a double click, a replayed rule, a redelivered message never act twice), carried out by the publish
 * queue, confirmed `done` with the platform's id, or `failed` with the reason.
 */
export const inboxActions = sqliteTable(
  "inbox_actions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** The message acted on (the comment replied to, liked, hidden …). */
    messageId: text("message_id").references(() => messages.id, { onDelete: "cascade" }),
    /** The outbound message this action creates (reply, private reply, DM), shown pending until confirmed. */
    outboundMessageId: text("outbound_message_id").references(() => messages.id, { onDelete: "set null" }),
    kind: text("kind", { enum: INBOX_ACTION_KINDS }).notNull(),
    text: text("text"),
    state: text("state", { enum: INBOX_ACTION_STATES }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    remoteId: text("remote_id"),
    error: text("error"),
    attempts: integer("attempts").notNull(),
    requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
    ruleId: text("rule_id"),
    /** Lease, as for publish targets: one consumer acts at a time; a lost answer is checked, not repeated. */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    /** Set just before the platform call: a delivery that finds it set must reconcile, not act again. */
    commitStartedAt: integer("commit_started_at"),
    /** When a planned retry is due (a backoff or the platform's Retry-After); the watchdog waits for it. */
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("inbox_actions_idempotency_unique").on(t.workspaceId, t.idempotencyKey),
    index("inbox_actions_conversation_idx").on(t.conversationId, t.createdAt),
    index("inbox_actions_state_idx").on(t.state, t.updatedAt),
  ],
);

/** Auto-reply rules; `conditions` and `actions` are validated by worker/contracts/inbox-rules.ts. */
export const inboxRules = sqliteTable(
  "inbox_rules",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    /** Lower runs first. */
    priority: integer("priority").notNull(),
    stopAfterMatch: integer("stop_after_match", { mode: "boolean" }).notNull(),
    conditions: text("conditions", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    actions: text("actions", { mode: "json" }).$type<Record<string, unknown>[]>().notNull(),
    /** Per author: the rule acts again for the same person only after this many seconds (0 = always). */
    cooldownSeconds: integer("cooldown_seconds").notNull(),
    /** `{from: "22:00", to: "07:00"}` in the workspace's time zone, or null. */
    quietHours: text("quiet_hours", { mode: "json" }).$type<{ from: string; to: string } | null>(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("inbox_rules_workspace_idx").on(t.workspaceId, t.priority)],
);

/** Each rule fires at most once per message (the unique key), and its hits are its log. */
export const inboxRuleHits = sqliteTable(
  "inbox_rule_hits",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    ruleId: text("rule_id")
      .notNull()
      .references(() => inboxRules.id, { onDelete: "cascade" }),
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    authorId: text("author_id"),
    outcome: text("outcome", { enum: RULE_HIT_OUTCOMES }).notNull(),
    detail: text("detail"),
    at: integer("at").notNull(),
  },
  (t) => [uniqueIndex("inbox_rule_hits_once").on(t.ruleId, t.messageId), index("inbox_rule_hits_rule_idx").on(t.ruleId, t.at), index("inbox_rule_hits_author_idx").on(t.ruleId, t.authorId, t.at)],
);

/** Saved replies the team reuses (templates with the same variables as rules). */
export const savedReplies = sqliteTable(
  "saved_replies",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    text: text("text").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("saved_replies_workspace_idx").on(t.workspaceId, t.name)],
);

/** Rejected webhook deliveries per source and UTC day: the only trace a bad signature leaves (besides a log line). */
export const webhookRejections = sqliteTable(
  "webhook_rejections",
  {
    source: text("source").notNull(),
    day: text("day").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.day] })],
);
