import { newRouter } from "./http/router";
import type { Clock } from "./http/app-env";
import { renderError, renderNotFound } from "./http/errors";
import { originGuard } from "./http/origin";
import { requestContext } from "./http/request-context";
import { requireAuth } from "./http/session";
import { requireMembership } from "./http/tenancy";
import { auditRoutes } from "./routes/audit";
import { connectionRoutes } from "./routes/connections";
import { oauthRoutes } from "./routes/oauth";
import { postRoutes } from "./routes/posts";
import { publishingRoutes } from "./routes/publishing";
import { tiktokCreatorRoutes } from "./routes/tiktok-creator";
import { youtubeVideoRoutes } from "./routes/youtube-videos";
import { inboxRuleRoutes } from "./routes/inbox-rules";
import { savedReplyRoutes } from "./routes/saved-replies";
import { inboxRoutes } from "./routes/inbox";
import { notificationRoutes } from "./routes/notifications";
import { authRoutes } from "./routes/auth";
import { inviteTokenRoutes, workspaceInviteRoutes } from "./routes/invites";
import { liveRoutes } from "./routes/live";
import { mediaRoutes } from "./routes/media";
import { mediaPublicRoutes } from "./routes/media-public";
import { meRoutes } from "./routes/me";
import { memberRoutes } from "./routes/members";
import { APP_VERSION, systemRoutes } from "./routes/system";
import { userRoutes } from "./routes/users";
import { webhookRoutes } from "./routes/webhooks";
import { workspaceRoutes } from "./routes/workspaces";

export type AppOptions = { clock?: Clock };

/** Workspace-scoped routes: signed in, and a member of `:id` (else 404), before any handler runs. */
function workspaceScoped() {
  const router = newRouter();
  router.use("*", requireAuth);
  router.use("/:id", requireMembership);
  router.use("/:id/*", requireMembership);
  return router.route("/", workspaceRoutes).route("/", memberRoutes).route("/", workspaceInviteRoutes).route("/", auditRoutes).route("/", connectionRoutes).route("/", liveRoutes).route("/", mediaRoutes).route("/", postRoutes).route("/", publishingRoutes).route("/", notificationRoutes).route("/", tiktokCreatorRoutes).route("/", youtubeVideoRoutes).route("/", inboxRuleRoutes).route("/", savedReplyRoutes).route("/", inboxRoutes);
}

function api() {
  const router = newRouter();
  router.use("*", originGuard);
  return router
    .route("/", systemRoutes)
    .route("/auth", authRoutes)
    .route("/me", meRoutes)
    .route("/users", userRoutes)
    .route("/invites", inviteTokenRoutes)
    .route("/workspaces", workspaceScoped());
}

export function createApp(options: AppOptions = {}) {
  const app = newRouter();
  app.use("*", requestContext(options.clock ?? Date.now));
  app.get("/healthz", (c) => c.json({ ok: true, version: APP_VERSION }));
  app.route("/oauth", oauthRoutes);
  app.route("/webhooks", webhookRoutes);
  app.route("/m", mediaPublicRoutes);
  const routes = app.route("/api", api());
  app.openAPIRegistry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "__Host-atelier_session" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Atelier API", version: APP_VERSION, description: "Every error is application/problem+json (RFC 9457) with a stable `type`." },
    security: [{ session: [] }],
  });
  app.notFound(renderNotFound);
  app.onError(renderError);
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
