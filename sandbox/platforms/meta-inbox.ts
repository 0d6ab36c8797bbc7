import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { metaInboxCommentRoutes } from "./meta-inbox-comments";
import { metaInboxMessageRoutes } from "./meta-inbox-messages";
import { metaInboxPeopleRoutes } from "./meta-inbox-people";
import { metaSubscriptionRoutes } from "./meta-webhooks";

/**
 * The inbox on graph.facebook.com: app webhook subscriptions, comment moderation, messaging and the
 * profiles of people who wrote.
 * Mounted before the publishing routes (meta-graph.ts): some handlers observe or pass on calls the
 * publishing routes answer.
 */
export function metaInboxRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().route("/", metaSubscriptionRoutes()).route("/", metaInboxCommentRoutes()).route("/", metaInboxMessageRoutes()).route("/", metaInboxPeopleRoutes());
}
