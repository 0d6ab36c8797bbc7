import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { and, eq, inArray, sql } from "drizzle-orm";
import { Id } from "../contracts/common";
import { AttemptList, Post, ResolveTargetBody, RetryTargetBody } from "../contracts/posts";
import { insertPost } from "../db/queries/post-writes";
import { findPost, postDetails, type PostRow, type TargetRow } from "../db/queries/posts";
import { posts, postTargets } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, problems } from "../http/openapi";
import { conflict, notFound } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { publishLive } from "../live/publish";
import { attemptsOfTargets, resolveNotificationsOfTarget } from "../publishing/ledger";
import { platformName } from "../publishing/platform-names";
import { LIVE_STATES, syncSchedule } from "../publishing/scheduling";
import { RETRYABLE_STATES } from "../publishing/states";
import { newId } from "../security/ids";
import { toPost } from "./post-view";

const PostParams = z.object({ id: Id, postId: Id });
const TargetParams = z.object({ id: Id, postId: Id, targetId: Id });
const PUBLISH = "Viewers can read posts but not publish, retry or duplicate them.";

const publishNow = createRoute({
  method: "post", path: "/{id}/posts/{postId}/publish-now", tags: ["publishing"], summary: "Post now: every channel not yet live goes live as soon as it is prepared",
  request: { params: PostParams },
  responses: { 200: jsonContent(Post, "The post, its channels now due."), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});
const duplicate = createRoute({
  method: "post", path: "/{id}/posts/{postId}/duplicate", tags: ["publishing"], summary: "A new draft with the same text, media and channels",
  request: { params: PostParams },
  responses: { 201: jsonContent(Post, "The new draft."), 401: problems[401], 403: problems[403], 404: problems[404] },
});
const retry = createRoute({
  method: "post", path: "/{id}/posts/{postId}/targets/{targetId}/retry", tags: ["publishing"], summary: "Send a failed, needs-reconnect or unconfirmed channel back to the engine (unconfirmed: only after checking the platform)",
  request: { params: TargetParams, body: jsonBody(RetryTargetBody) },
  responses: { 200: jsonContent(Post, "The post; the channel is scheduled again."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});
const resolve = createRoute({
  method: "post", path: "/{id}/posts/{postId}/targets/{targetId}/resolve", tags: ["publishing"], summary: "Settle an unconfirmed channel by hand after checking the platform",
  request: { params: TargetParams, body: jsonBody(ResolveTargetBody) },
  responses: { 200: jsonContent(Post, "The post."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});
const attempts = createRoute({
  method: "get", path: "/{id}/posts/{postId}/attempts", tags: ["publishing"], summary: "Every step the engine ran for the post's channels, oldest first",
  request: { params: PostParams },
  responses: { 200: jsonContent(AttemptList, "The attempt history."), 401: problems[401], 404: problems[404] },
});

async function render(c: Context<AppEnv>, row: PostRow) {
  const details = await postDetails(c.var.db, [row]);
  return toPost(row, details.mediaByPost.get(row.id) ?? [], details.targetsByPost.get(row.id) ?? [], row.createdBy ? details.authors.get(row.createdBy) : undefined);
}

async function loadTarget(c: Context<AppEnv>, workspaceId: string, postId: string, targetId: string): Promise<{ post: PostRow; target: TargetRow }> {
  const post = await findPost(c.var.db, workspaceId, postId);
  const target = post && (await c.var.db.select().from(postTargets).where(and(eq(postTargets.postId, postId), eq(postTargets.id, targetId))).get());
  if (!post || !target) throw notFound("This channel of the post");
  return { post, target };
}

const sqlPlusOne = sql`${postTargets.revision} + 1`;

/** Moves targets back onto the schedule at `dueAt` with a new revision (stale messages for the old one are ignored). */
async function reschedule(c: Context<AppEnv>, targetIds: string[], dueAt: number, states: readonly string[]) {
  const now = c.var.clock();
  return c.var.db
    .update(postTargets)
    .set({ state: "scheduled", dueAt, revision: sqlPlusOne, leaseOwner: null, leaseExpiresAt: null, commitStartedAt: null, statusDetail: null, errorCode: null, nextAttemptAt: null, updatedAt: now })
    .where(and(inArray(postTargets.id, targetIds), inArray(postTargets.state, [...states] as TargetRow["state"][])))
    .returning({ id: postTargets.id });
}
export const publishingRoutes = newRouter()
  .openapi(publishNow, async (c) => {
    const { id, postId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", PUBLISH);
    const post = await findPost(c.var.db, id, postId);
    if (!post) throw notFound("This post");
    const details = await postDetails(c.var.db, [post]);
    const pending = (details.targetsByPost.get(postId) ?? []).filter((t) => ["draft", "scheduled", "preparing", "ready", "cancelled"].includes(t.state));
    if (pending.length === 0) throw conflict("Every channel of this post is already live or needs attention; nothing to post now.");
    const now = c.var.clock();
    await c.var.db.update(posts).set({ status: "scheduled", scheduledAt: now, revision: post.revision + 1, updatedAt: now }).where(eq(posts.id, postId));
    await reschedule(c, pending.map((t) => t.id), now, ["draft", "scheduled", "preparing", "ready", "cancelled"]);
    await audit(c, { workspaceId: id, action: "post.published_now", targetType: "post", targetId: postId, detail: { targets: pending.length } });
    await syncSchedule(c.env, c.var.db, id, postId);
    await publishLive(c, id, { kind: "post.changed", postId, deleted: false });
    return c.json(await render(c, (await findPost(c.var.db, id, postId)) as PostRow), 200);
  })
  .openapi(duplicate, async (c) => {
    const { id, postId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", PUBLISH);
    const post = await findPost(c.var.db, id, postId);
    if (!post) throw notFound("This post");
    const details = await postDetails(c.var.db, [post]);
    const now = c.var.clock();
    const row: PostRow = { ...post, id: newId(), status: "draft", scheduledAt: null, revision: 1, createdBy: c.var.auth.user.id, createdAt: now, updatedAt: now };
    const targets: TargetRow[] = (details.targetsByPost.get(postId) ?? []).map((t) => ({
      ...t, id: newId(), postId: row.id, state: "draft", revision: 1, dueAt: null, checkpoint: {}, leaseOwner: null, leaseExpiresAt: null, commitStartedAt: null,
      remoteId: null, remoteUrl: null, publishedAt: null, statusDetail: null, errorCode: null, nextAttemptAt: null, remoteDeletedAt: null, createdAt: now, updatedAt: now,
    }));
    await c.var.db.batch([...insertPost(c.var.db, row, details.mediaByPost.get(postId) ?? [], targets), audit(c, { workspaceId: id, action: "post.duplicated", targetType: "post", targetId: row.id, detail: { from: postId } })]);
    await publishLive(c, id, { kind: "post.changed", postId: row.id, deleted: false });
    return c.json(await render(c, row), 201);
  })
  .openapi(retry, async (c) => {
    const { id, postId, targetId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", PUBLISH);
    const body = c.req.valid("json");
    const { target } = await loadTarget(c, id, postId, targetId);
    if (!(RETRYABLE_STATES as readonly string[]).includes(target.state)) throw conflict(`This channel is ${target.state.replace("_", " ")}; only failed, needs-reconnect or unconfirmed channels can be retried.`);
    if (target.state === "unconfirmed" && !body.confirmNotPublished) {
      throw conflict(`Atelier could not tell whether this went live on ${platformName(target.platform)}. Check there first; retry only if the post is not there (send confirmNotPublished: true), or it may appear twice.`);
    }
    const now = c.var.clock();
    const changed = await reschedule(c, [targetId], Math.max(now, target.dueAt ?? now), RETRYABLE_STATES);
    if (changed.length === 0) throw conflict("This channel changed while you were retrying it; reload and try again.");
    for (const nid of await resolveNotificationsOfTarget(c.var.db, targetId, now, c.var.auth.user.id)) await publishLive(c, id, { kind: "notification.changed", notificationId: nid, resolved: true });
    await audit(c, { workspaceId: id, action: "post.target_retried", targetType: "post", targetId: postId, detail: { targetId, from: target.state } });
    await syncSchedule(c.env, c.var.db, id, postId);
    await publishLive(c, id, { kind: "target.changed", postId, targetId, state: "scheduled" });
    return c.json(await render(c, (await findPost(c.var.db, id, postId)) as PostRow), 200);
  })
  .openapi(resolve, async (c) => {
    const { id, postId, targetId } = c.req.valid("param");
    requireRole(c.var.membership.role, "editor", "Only editors and above can settle what happened on a platform.");
    const body = c.req.valid("json");
    const { target } = await loadTarget(c, id, postId, targetId);
    if (target.state !== "unconfirmed") throw conflict("Only an unconfirmed channel can be settled by hand.");
    const now = c.var.clock();
    const fields = body.outcome === "published"
      ? { state: "published" as const, remoteUrl: body.url ?? null, publishedAt: target.commitStartedAt ?? now, statusDetail: "Marked as live by a teammate after checking the platform." }
      : { state: "failed" as const, commitStartedAt: null, statusDetail: "A teammate checked the platform: the post is not there. Retry to publish it." };
    const changed = await c.var.db.update(postTargets).set({ ...fields, updatedAt: now }).where(and(eq(postTargets.id, targetId), eq(postTargets.state, "unconfirmed"))).returning({ id: postTargets.id });
    if (changed.length === 0) throw conflict("This channel changed meanwhile; reload it.");
    for (const nid of await resolveNotificationsOfTarget(c.var.db, targetId, now, c.var.auth.user.id)) await publishLive(c, id, { kind: "notification.changed", notificationId: nid, resolved: true });
    await audit(c, { workspaceId: id, action: "post.target_resolved", targetType: "post", targetId: postId, detail: { targetId, outcome: body.outcome } });
    await publishLive(c, id, { kind: "target.changed", postId, targetId, state: fields.state });
    return c.json(await render(c, (await findPost(c.var.db, id, postId)) as PostRow), 200);
  })
  .openapi(attempts, async (c) => {
    const { id, postId } = c.req.valid("param");
    const post = await findPost(c.var.db, id, postId);
    if (!post) throw notFound("This post");
    const ids = (await c.var.db.select({ id: postTargets.id }).from(postTargets).where(eq(postTargets.postId, postId))).map((t) => t.id);
    const rows = ids.length ? await attemptsOfTargets(c.var.db, ids) : [];
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return c.json({ attempts: rows.map((a) => ({ id: a.id, targetId: a.targetId, step: a.step, startedAt: new Date(a.startedAt).toISOString(), endedAt: iso(a.endedAt), outcome: a.outcome, httpStatus: a.httpStatus, platformCode: a.platformCode, message: a.message })) }, 200);
  });

/** Edits never touch what may already be on a platform: a post with a live channel can only have the rest cancelled. */
export function refuseEditingLive(targets: TargetRow[], body: Record<string, unknown>): void {
  const live = targets.filter((t) => (LIVE_STATES as readonly string[]).includes(t.state));
  if (live.length === 0) return;
  const onlyCancel = body.status === "cancelled" && Object.keys(body).every((k) => k === "status" || k === "revision");
  if (onlyCancel) return;
  const names = [...new Set(live.map((t) => platformName(t.platform)))].join(" and ");
  throw conflict(`This post is already live on ${names} (or may be), so it can't be edited. Duplicate it to make a changed copy, or cancel the channels that have not gone out.`);
}
