import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { DeletePostQuery, Post, PostInput, PostList, PostQuery, UpdatePostBody, ValidationReport } from "../contracts/posts";
import { deletePost, insertPost, STALE_REVISION_MARK, updatePost } from "../db/queries/post-writes";
import { findPost, listPosts, postDetails, type PostRow, type TargetRow } from "../db/queries/posts";
import { validatePost, type PostReport } from "../domain/post-validation";
import { instantToLocal } from "../domain/schedule-time";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { conflict, notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { publishLive } from "../live/publish";
import { newId } from "../security/ids";
import { reportErrors, resolvePost, toReport, type ResolvedPost } from "./post-resolve";
import { toPost } from "./post-view";
import { deleteOnPlatforms, discardPreparedOnPlatforms, syncScheduleRemoved } from "./post-remote-delete";
import { refuseEditingLive } from "./publishing";
import { retargetPost, syncSchedule } from "../publishing/scheduling";

const Params = z.object({ id: Id });
const PostParams = z.object({ id: Id, postId: Id });
// Approval (contributors submit, editors approve) is a later issue: until then contributors schedule too.
const COMPOSE = "Viewers can read posts but not create, change or delete them.";

const create = createRoute({
  method: "post", path: "/{id}/posts", tags: ["posts"], summary: "Create a draft or a scheduled post (contributors and above)",
  request: { params: Params, body: jsonBody(PostInput) },
  responses: { 201: jsonContent(Post, "The new post, with its validation report."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

const validate = createRoute({
  method: "post", path: "/{id}/posts/validate", tags: ["posts"], summary: "Check a post against every channel's rules without saving it (for the composer)",
  request: { params: Params, body: jsonBody(PostInput) },
  responses: { 200: jsonContent(ValidationReport, "Problems per channel and of the post itself."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

const list = createRoute({
  method: "get", path: "/{id}/posts", tags: ["posts"], summary: "Posts in a calendar window (`from` ≤ scheduledAt < `to`), by state and channel",
  request: { params: Params, query: PostQuery },
  responses: { 200: jsonContent(PostList, "Posts by scheduled time; unscheduled drafts last (only when no window is given)."), 400: problems[400], 401: problems[401], 404: problems[404] },
});

const get = createRoute({
  method: "get", path: "/{id}/posts/{postId}", tags: ["posts"], summary: "One post, with its validation report",
  request: { params: PostParams },
  responses: { 200: jsonContent(Post, "The post."), 401: problems[401], 404: problems[404] },
});

const update = createRoute({
  method: "patch", path: "/{id}/posts/{postId}", tags: ["posts"], summary: "Edit, reschedule or cancel a post (optimistic: send the revision you edited)",
  request: { params: PostParams, body: jsonBody(UpdatePostBody) },
  responses: { 200: jsonContent(Post, "The updated post."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const remove = createRoute({
  method: "delete", path: "/{id}/posts/{postId}", tags: ["posts"], summary: "Delete a post now (its files stay in the library); `remove=platform` also deletes its published channels on platforms that allow it",
  request: { params: PostParams, query: DeletePostQuery },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 502: problems[502] },
});

type Schedule = { status: PostRow["status"]; scheduledLocal: string | null; timezone: string };

/** Validation with the schedule; refuses what can never be stored (a local time that does not exist) and invalid scheduling. */
function assess(c: Context<AppEnv>, resolved: ResolvedPost, schedule: Schedule): PostReport {
  const report = validatePost(resolved.draft, { ...schedule, now: c.var.clock() });
  const fatal = report.post.filter((p) => p.path === "scheduledLocal" && report.scheduledAt === null && schedule.scheduledLocal);
  if (fatal.length) throw new ProblemError("validation", fatal[0]?.message ?? "The scheduled time does not exist.", { errors: fatal });
  if (schedule.status === "scheduled" && !report.valid) {
    throw new ProblemError("validation", "This post cannot be scheduled yet: some channels' rules are not met. Save it as a draft or fix the problems listed.", { errors: reportErrors(report) });
  }
  return report;
}

function targetRows(resolved: ResolvedPost, post: { id: string; workspaceId: string; status: PostRow["status"]; scheduledAt: number | null }, now: number, existing: TargetRow[] = []): TargetRow[] {
  const byConnection = new Map(existing.map((t) => [t.connectionId, t]));
  return resolved.targets.map((t) => {
    const before = byConnection.get(t.connectionId);
    return {
      id: before?.id ?? newId(),
      postId: post.id,
      workspaceId: post.workspaceId,
      connectionId: t.connectionId,
      platform: t.platform,
      format: t.format,
      textOverride: t.textOverride ?? null,
      options: t.options,
      // Existing targets keep their ledger; `retargetPost` moves the not-yet-live ones in the same batch.
      state: before?.state ?? post.status,
      revision: before?.revision ?? 1,
      dueAt: before ? before.dueAt : post.status === "scheduled" ? post.scheduledAt : null,
      checkpoint: before?.checkpoint ?? {},
      leaseOwner: before?.leaseOwner ?? null,
      leaseExpiresAt: before?.leaseExpiresAt ?? null,
      commitStartedAt: before?.commitStartedAt ?? null,
      remoteId: before?.remoteId ?? null,
      remoteUrl: before?.remoteUrl ?? null,
      publishedAt: before?.publishedAt ?? null,
      statusDetail: before?.statusDetail ?? null,
      errorCode: before?.errorCode ?? null,
      nextAttemptAt: before?.nextAttemptAt ?? null,
      remoteDeletedAt: before?.remoteDeletedAt ?? null,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
  });
}

async function render(c: Context<AppEnv>, row: PostRow, validation?: PostReport) {
  const details = await postDetails(c.var.db, [row]);
  return toPost(row, details.mediaByPost.get(row.id) ?? [], details.targetsByPost.get(row.id) ?? [], row.createdBy ? details.authors.get(row.createdBy) : undefined, validation && toReport(validation));
}

/** A stored post checked as it is now (a channel may have been disconnected since it was saved). */
async function storedReport(c: Context<AppEnv>, row: PostRow): Promise<PostReport> {
  const details = await postDetails(c.var.db, [row]);
  const targets = (details.targetsByPost.get(row.id) ?? []).map((t) => ({ connectionId: t.connectionId, format: t.format, textOverride: t.textOverride, options: t.options }));
  try {
    const resolved = await resolvePost(c.var.db, row.workspaceId, { baseText: row.baseText, firstComment: row.firstComment, mediaIds: details.mediaByPost.get(row.id) ?? [], targets });
    const scheduledLocal = row.scheduledAt === null ? null : instantToLocal(row.scheduledAt, row.timezone);
    return validatePost(resolved.draft, { status: row.status, scheduledLocal, timezone: row.timezone, now: c.var.clock() });
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { valid: false, post: error.fieldErrors ?? [], targets: [], scheduledAt: row.scheduledAt };
  }
}

export const postRoutes = newRouter()
  .openapi(validate, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", COMPOSE);
    const body = c.req.valid("json");
    const resolved = await resolvePost(c.var.db, id, { baseText: body.baseText, firstComment: body.firstComment ?? null, mediaIds: body.mediaIds, targets: body.targets });
    const report = validatePost(resolved.draft, { status: body.status, scheduledLocal: body.scheduledLocal ?? null, timezone: body.timezone, now: c.var.clock() });
    return c.json(toReport(report), 200);
  })
  .openapi(create, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", COMPOSE);
    const body = c.req.valid("json");
    const resolved = await resolvePost(c.var.db, id, { baseText: body.baseText, firstComment: body.firstComment ?? null, mediaIds: body.mediaIds, targets: body.targets });
    const report = assess(c, resolved, { status: body.status, scheduledLocal: body.scheduledLocal ?? null, timezone: body.timezone });
    const now = c.var.clock();
    const row: PostRow = { id: newId(), workspaceId: id, status: body.status, baseText: body.baseText, firstComment: body.firstComment ?? null, scheduledAt: report.scheduledAt, timezone: body.timezone, revision: 1, createdBy: c.var.auth.user.id, createdAt: now, updatedAt: now };
    const targets = targetRows(resolved, row, now);
    await c.var.db.batch([...insertPost(c.var.db, row, resolved.media.map((m) => m.id), targets), audit(c, { workspaceId: id, action: "post.created", targetType: "post", targetId: row.id, detail: { status: row.status, targets: targets.length } })]);
    if (row.status === "scheduled") await syncSchedule(c.env, c.var.db, id, row.id);
    await publishLive(c, id, { kind: "post.changed", postId: row.id, deleted: false });
    return c.json(await render(c, row, report), 201);
  })
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const rows = await listPosts(c.var.db, id, { ...(q.from ? { from: Date.parse(q.from) } : {}), ...(q.to ? { to: Date.parse(q.to) } : {}), ...(q.state ? { state: q.state } : {}), ...(q.channel ? { channel: q.channel } : {}) });
    const details = await postDetails(c.var.db, rows);
    const items = rows.map((r) => toPost(r, details.mediaByPost.get(r.id) ?? [], details.targetsByPost.get(r.id) ?? [], r.createdBy ? details.authors.get(r.createdBy) : undefined));
    return c.json({ posts: items }, 200);
  })
  .openapi(get, async (c) => {
    const { id, postId } = c.req.valid("param");
    const row = await findPost(c.var.db, id, postId);
    if (!row) throw notFound("This post");
    return c.json(await render(c, row, await storedReport(c, row)), 200);
  })
  .openapi(update, async (c) => {
    const { id, postId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", COMPOSE);
    const body = c.req.valid("json");
    const row = await findPost(c.var.db, id, postId);
    if (!row) throw notFound("This post");
    if (row.revision !== body.revision) throw conflict(`This post was changed by someone else (now revision ${row.revision}, you edited ${body.revision}). Reload it and apply your change again.`);
    const details = await postDetails(c.var.db, [row]);
    const existingTargets = details.targetsByPost.get(row.id) ?? [];
    refuseEditingLive(existingTargets, body);
    const merged = {
      baseText: body.baseText ?? row.baseText,
      firstComment: body.firstComment === undefined ? row.firstComment : body.firstComment,
      mediaIds: body.mediaIds ?? details.mediaByPost.get(row.id) ?? [],
      targets: body.targets ?? existingTargets.map((t) => ({ connectionId: t.connectionId, format: t.format, textOverride: t.textOverride, options: t.options })),
      status: body.status ?? row.status,
      timezone: body.timezone ?? row.timezone,
      // A new zone without a new time keeps the wall-clock time the user sees (09:00 stays 09:00).
      scheduledLocal: body.scheduledLocal === undefined ? (row.scheduledAt === null ? null : instantToLocal(row.scheduledAt, row.timezone)) : body.scheduledLocal,
    };
    const resolved = await resolvePost(c.var.db, id, merged);
    const report = assess(c, resolved, { status: merged.status, scheduledLocal: merged.scheduledLocal, timezone: merged.timezone });
    const now = c.var.clock();
    const next: PostRow = { ...row, status: merged.status, baseText: merged.baseText, firstComment: merged.firstComment, scheduledAt: report.scheduledAt, timezone: merged.timezone, revision: row.revision + 1, updatedAt: now };
    const targets = targetRows(resolved, next, now, existingTargets);
    const { id: _id, workspaceId: _ws, createdBy: _by, createdAt: _at, ...changed } = next;
    const statements = updatePost(c.var.db, id, postId, { row: changed, expectedRevision: row.revision, ...(body.mediaIds ? { mediaIds: resolved.media.map((m) => m.id) } : {}), targets, existingTargetIds: existingTargets.map((t) => t.id) });
    statements.push(retargetPost(c.var.db, postId, next.status, next.scheduledAt, now));
    const action = merged.status === "cancelled" && row.status !== "cancelled" ? "post.cancelled" : report.scheduledAt !== row.scheduledAt ? "post.rescheduled" : "post.updated";
    try {
      await c.var.db.batch([...statements, audit(c, { workspaceId: id, action, targetType: "post", targetId: postId, detail: { revision: next.revision, status: next.status } })]);
    } catch (error) {
      if (String(error).includes(STALE_REVISION_MARK)) throw conflict("This post was changed by someone else while you were saving. Reload it and apply your change again.");
      throw error;
    }
    await syncSchedule(c.env, c.var.db, id, postId);
    await publishLive(c, id, { kind: "post.changed", postId, deleted: false });
    return c.json(await render(c, next, report), 200);
  })
  .openapi(remove, async (c) => {
    const { id, postId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", COMPOSE);
    const { remove: where } = c.req.valid("query");
    const row = await findPost(c.var.db, id, postId);
    if (!row) throw notFound("This post");
    const targets = (await postDetails(c.var.db, [row])).targetsByPost.get(postId) ?? [];
    if (targets.some((t) => t.state === "committing")) throw conflict("This post is going live right now; wait a few seconds and delete it then.");
    const removedOnPlatforms = where === "platform" ? await deleteOnPlatforms(c, targets) : [];
    await discardPreparedOnPlatforms(c, targets);
    await c.var.db.batch([...deletePost(c.var.db, id, postId), audit(c, { workspaceId: id, action: "post.deleted", targetType: "post", targetId: postId, detail: { status: row.status, removedOnPlatforms } })]);
    await syncScheduleRemoved(c.env, id, targets.map((t) => t.id));
    await publishLive(c, id, { kind: "post.changed", postId, deleted: true });
    return c.body(null, 204);
  });
