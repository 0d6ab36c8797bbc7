import { Hono, type Next } from "hono";
import type { SandboxEnv } from "../app";
import type { SandboxObject } from "../store/store";
import { fbOwner } from "./facebook-publish";
import { fieldsOf, graphError, paged, pick } from "./graph-common";
import { comment, feedCommentEvent, igCommentEvent, recordAction, type InboxComment } from "./meta-inbox-store";
import { emitEvents } from "./meta-webhooks-sink";
import { authorizeIg, authorizePage, boolParam, type Caller, type Ctx, graphTime, missingParam, newIds, publishCaller, unsupported } from "./meta-publish-common";

/**
 * Comment moderation as the app performs it (meta-auth-and-pages.md §4, instagram.md §3): replies,
 * likes, hide/unhide and deletes on Page and Instagram comments. Each one is recorded for
 * `GET /_sandbox/inbox` and, where Meta notifies, produces its webhook. Comments the Page or IG
 * account writes through the existing `POST /{id}/comments` (meta-publish.ts) are observed after the
 * fact, so that handler stays the only place that creates them.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";

/** After `POST /{post-or-comment-id}/comments` succeeded: record it and emit the feed / comments webhook. */
async function observeOwnComment(c: Ctx, next: Next): Promise<void> {
  await next();
  if (c.res.status !== 200) return;
  const targetId = c.req.param("id") ?? "";
  const body = (await c.res.clone().json().catch(() => null)) as { id?: unknown } | null;
  const created = typeof body?.id === "string" ? comment(c.var.store, body.id) : null;
  if (!created) return;
  const store = c.var.store;
  const platform = created.platform === "instagram" ? "instagram" : "facebook";
  const action = comment(store, targetId) ? "reply" : "comment";
  recordAction(store, { action, platform, account: created.account_id, targetId, text: created.data.message, resultId: created.id });
  await emitEvents(c.var.store, [platform === "facebook" ? feedCommentEvent(store, created, "add") : igCommentEvent(store, created)]);
}

/** `POST /{ig-comment-id}/replies message=…`: the IG account answers a comment on its media. */
async function replyOnIg(c: Ctx): Promise<Response> {
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const id = c.req.param("id") ?? "";
  const target = comment(c.var.store, id);
  if (!target || target.platform !== "instagram" || target.data.deleted) return unsupported(c, id);
  const account = authorizeIg(c, who, target.account_id, "instagram_manage_comments");
  if (account instanceof Response) return account;
  const message = who.params.get("message");
  if (!message) return missingParam(c, "message");
  const store = c.var.store;
  const reply = store.publishing.createObject<InboxComment>({ id: newIds.igComment(store), platform: "instagram", accountId: account.id, kind: "comment", data: { parentId: id, postId: target.data.postId ?? target.data.parentId, message, username: account.username, fromId: account.id } });
  recordAction(store, { action: "reply", platform: "instagram", account: account.id, targetId: id, text: message, resultId: reply.id });
  await emitEvents(c.var.store, [igCommentEvent(store, reply)]);
  return c.json({ id: reply.id });
}

/** `GET /{ig-comment-id}/replies`, oldest first. */
async function listIgReplies(c: Ctx): Promise<Response> {
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const id = c.req.param("id") ?? "";
  const target = comment(c.var.store, id);
  if (!target || target.platform !== "instagram") return unsupported(c, id);
  const account = authorizeIg(c, who, target.account_id, "instagram_manage_comments");
  if (account instanceof Response) return account;
  const fields = fieldsOf(who.params, ["id", "text", "timestamp"]);
  const rows = c.var.store.publishing.objectsOf("instagram", account.id, "comment").filter((o) => (o.data as InboxComment).parentId === id && !(o.data as InboxComment).deleted);
  return c.json(paged(c, rows.map((o) => renderIgComment(o as SandboxObject<InboxComment>, fields)), who.params, who.raw));
}

function renderIgComment(o: SandboxObject<InboxComment>, fields: Set<string>): Record<string, unknown> {
  return pick({ id: o.id, text: o.data.message, timestamp: graphTime(o.created_at), username: o.data.username, from: { id: o.data.fromId ?? o.account_id, username: o.data.username }, like_count: 0, hidden: o.data.hidden === true }, fields);
}

/** `POST|DELETE /{post-or-comment-id}/likes` as the Page. Instagram comments have no likes edge. */
async function like(c: Ctx): Promise<Response> {
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const id = c.req.param("id") ?? "";
  const store = c.var.store;
  const target = comment(store, id);
  const igMedia = store.publishing.post(id)?.platform === "instagram";
  // No API likes Instagram comments or media; Graph answers as for any unknown edge (exact text unverified).
  if (target?.platform === "instagram" || igMedia) return graphError(c, { code: 100, message: `(#100) Tried accessing nonexisting field (likes) on node type (${igMedia ? "IGMedia" : "IGComment"})` });
  const pageId = fbOwner(store, id);
  if (!pageId || target?.data.deleted) return unsupported(c, id);
  const page = authorizePage(c, who, pageId, "pages_manage_engagement");
  if (page instanceof Response) return page;
  const liked = c.req.method === "POST";
  if (target) store.publishing.updateObject(id, { ...target.data, likedByPage: liked });
  recordAction(store, { action: liked ? "like" : "unlike", platform: "facebook", account: pageId, targetId: id, text: null, resultId: null });
  return c.json({ success: true });
}

/** `POST /{comment-id}` with `is_hidden` (Facebook) or `hide` (Instagram); other ids go on to other handlers. */
async function hide(c: Ctx, next: Next): Promise<Response | void> {
  const id = c.req.param("id") ?? "";
  const target = comment(c.var.store, id);
  if (!target) return next();
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const facebook = target.platform === "facebook";
  const param = facebook ? "is_hidden" : "hide";
  if (target.data.deleted) return unsupported(c, id);
  const allowed = facebook ? authorizePage(c, who, target.account_id, "pages_manage_engagement") : authorizeIg(c, who, target.account_id, "instagram_manage_comments");
  if (allowed instanceof Response) return allowed;
  if (who.params.get(param) === null) return graphError(c, { code: 100, message: `(#100) Missing parameter: ${param}` });
  // Meta refuses to hide the account's own comments (message text unverified).
  if (target.data.fromId === undefined || target.data.fromId === target.account_id) return graphError(c, { code: 100, message: "(#100) You cannot hide your own comment" });
  const hidden = boolParam(who.params, param, false);
  c.var.store.publishing.updateObject(id, { ...target.data, hidden });
  recordAction(c.var.store, { action: hidden ? "hide" : "unhide", platform: facebook ? "facebook" : "instagram", account: target.account_id, targetId: id, text: null, resultId: null });
  return c.json({ success: true });
}

/** `DELETE /{comment-id}`: a Page deletes any comment on its content; an IG account on its media. */
async function remove(c: Ctx, next: Next): Promise<Response | void> {
  const id = c.req.param("id") ?? "";
  const store = c.var.store;
  const target = comment(store, id);
  if (!target) return next();
  const who: Caller | Response = await publishCaller(c);
  if (who instanceof Response) return who;
  if (target.data.deleted) return unsupported(c, id);
  const facebook = target.platform === "facebook";
  const allowed = facebook ? authorizePage(c, who, target.account_id, "pages_manage_engagement") : authorizeIg(c, who, target.account_id, "instagram_manage_comments");
  if (allowed instanceof Response) return allowed;
  store.publishing.updateObject(id, { ...target.data, deleted: true });
  recordAction(store, { action: "delete", platform: facebook ? "facebook" : "instagram", account: target.account_id, targetId: id, text: null, resultId: null });
  // Instagram's comments field has no removal event; Page feeds report verb "remove".
  if (facebook) await emitEvents(c.var.store, [feedCommentEvent(store, target, "remove")]);
  return c.json({ success: true });
}

/** Mounted before the publishing routes, so the comment wrapper and the comment-only handlers run first. */
export function metaInboxCommentRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post(`${V}/:id{[0-9_]+}/comments`, observeOwnComment)
    .post(`${V}/:id{[0-9]+}/replies`, replyOnIg)
    .get(`${V}/:id{[0-9]+}/replies`, listIgReplies)
    .on(["POST", "DELETE"], `${V}/:id{[0-9_]+}/likes`, like)
    .post(`${V}/:id{[0-9_]+}`, hide)
    .delete(`${V}/:id{[0-9_]+}`, remove);
}
