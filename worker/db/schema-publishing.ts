import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ATTEMPT_OUTCOMES, ATTEMPT_STEPS, NOTIFICATION_KINDS } from "../publishing/states";
import { connections, posts, postTargets, users, workspaces } from "./schema";

// Referenced tables are only read inside `references(() => …)`, after both modules have loaded.

/** Every step the engine ran for a target: what it tried, how it ended, and what the platform said. */
export const publishAttempts = sqliteTable(
  "publish_attempts",
  {
    id: text("id").primaryKey(),
    targetId: text("target_id")
      .notNull()
      .references(() => postTargets.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    step: text("step", { enum: ATTEMPT_STEPS }).notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }),
    httpStatus: integer("http_status"),
    platformCode: text("platform_code"),
    message: text("message"),
  },
  (t) => [index("publish_attempts_target_idx").on(t.targetId, t.startedAt)],
);

/** In-app notifications about publishing (failed, needs reconnect, unconfirmed), each with the action that fixes it. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    postId: text("post_id").references(() => posts.id, { onDelete: "cascade" }),
    targetId: text("target_id").references(() => postTargets.id, { onDelete: "cascade" }),
    connectionId: text("connection_id").references(() => connections.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Set when someone dismissed it or the problem went away (the retry published, the channel was reconnected). */
    resolvedAt: integer("resolved_at"),
    resolvedBy: text("resolved_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("notifications_workspace_idx").on(t.workspaceId, t.resolvedAt, t.createdAt), index("notifications_target_idx").on(t.targetId)],
);
