import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import type { SandboxObject } from "../store/store";
import { commentOnFb, deleteFb, facebookPublishRoutes, fbOwner, renderFbPost, type FbComment, type FbPhoto } from "./facebook-publish";
import { facebookResumableRoutes } from "./facebook-resumable";
import { facebookVideoRoutes, isFbVideo, renderFbVideo } from "./facebook-video";
import { fieldsOf, paged, pick } from "./graph-common";
import { isIgContainer, renderContainer, renderIgMedia } from "./instagram-containers";
import { commentOnIg, instagramPublishRoutes } from "./instagram-publish";
import { authorizeIg, authorizePage, type Caller, type Ctx, graphTime, publishCaller, unsupported } from "./meta-publish-common";

/**
 * Facebook Page and Instagram publishing on graph.facebook.com (and graph-video.facebook.com): the
 * Page / IG-user edges, plus what works on any published object id — `POST /{id}/comments`,
 * `DELETE /{id}` — and the rendering the generic `GET /{id}` in meta-graph.ts falls back to.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";

export function metaPublishRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .route("/", facebookPublishRoutes())
    .route("/", facebookVideoRoutes())
    .route("/", facebookResumableRoutes())
    .route("/", instagramPublishRoutes())
    .post(`${V}/:id{[0-9_]+}/comments`, async (c) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      const id = c.req.param("id");
      const post = c.var.store.publishing.post(id);
      if (post?.platform === "instagram") return commentOnIg(c, who, id, post.account_id);
      const pageId = fbOwner(c.var.store, id);
      return pageId ? commentOnFb(c, who, id, pageId) : unsupported(c, id);
    })
    .get(`${V}/:id{[0-9_]+}/comments`, async (c) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      return listComments(c, who, c.req.param("id"));
    })
    .delete(`${V}/:id{[0-9_]+}`, async (c) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      const id = c.req.param("id");
      const pageId = fbOwner(c.var.store, id);
      // Deleting Instagram media is not part of the documented surface the sandbox simulates.
      return pageId ? deleteFb(c, who, id, pageId) : unsupported(c, id);
    });
}

/** `GET /{object-id}/comments`: the comments recorded on a Page post/photo/video or IG media, oldest first. */
function listComments(c: Ctx, who: Caller, id: string): Response {
  const store = c.var.store;
  const post = store.publishing.post(id);
  if (post?.platform === "instagram") {
    const account = authorizeIg(c, who, post.account_id, "instagram_manage_comments");
    if (account instanceof Response) return account;
    const fields = fieldsOf(who.params, ["id", "text", "timestamp"]);
    const rows = store.publishing.objectsOf("instagram", post.account_id, "comment").filter((o) => o.data.parentId === id && !o.data.deleted);
    return c.json(paged(c, rows.map((o) => pick({ id: o.id, text: o.data.message, timestamp: graphTime(o.created_at), username: o.data.username, from: { id: o.data.fromId ?? post.account_id, username: o.data.username }, like_count: 0, hidden: o.data.hidden === true }, fields)), who.params, who.raw));
  }
  const pageId = fbOwner(store, id);
  if (!pageId) return unsupported(c, id);
  const page = authorizePage(c, who, pageId, "pages_read_engagement");
  if (page instanceof Response) return page;
  const fields = fieldsOf(who.params, ["id", "message", "created_time"]);
  const rows = store.publishing.objectsOf("facebook", pageId, "comment").filter((o) => o.data.parentId === id && !o.data.deleted);
  return c.json(paged(c, rows.map((o) => pick({ id: o.id, message: o.data.message, created_time: graphTime(o.created_at), from: { id: o.data.fromId, name: o.data.fromName }, like_count: 0, comment_count: 0, is_hidden: o.data.hidden === true }, fields)), who.params, who.raw));
}

/**
 * `GET /{id}` for publishing objects: Page posts, photos, videos and comments; IG containers and media.
 * Null when the id is none of these (the caller answers "unsupported get request").
 */
export function renderPublished(c: Ctx, who: Caller, id: string): Response | null {
  const store = c.var.store;
  const fields = (fallback: string[]) => fieldsOf(who.params, fallback);
  const post = store.publishing.post(id);
  if (post) {
    if (post.deleted_at !== null) return unsupported(c, id);
    if (post.platform === "facebook") {
      const page = authorizePage(c, who, post.account_id, "pages_read_engagement");
      return page instanceof Response ? page : c.json(renderFbPost(post, fields(["id", "message", "created_time"])));
    }
    if (post.platform === "instagram") {
      const account = authorizeIg(c, who, post.account_id, "instagram_basic");
      return account instanceof Response ? account : c.json(renderIgMedia(store, post, fields(["id"])));
    }
    return null;
  }
  const object = store.publishing.object(id);
  if (!object) return null;
  if (isIgContainer(object)) {
    const account = authorizeIg(c, who, object.account_id, "instagram_content_publish");
    return account instanceof Response ? account : c.json(renderContainer(store, object, fields(["id"])));
  }
  if (object.platform === "instagram" && object.kind === "comment") {
    const account = authorizeIg(c, who, object.account_id, "instagram_manage_comments");
    if (account instanceof Response) return account;
    if (object.data.deleted) return unsupported(c, id);
    return c.json(pick({ id, text: object.data.message, timestamp: graphTime(object.created_at), username: object.data.username, media: { id: object.data.postId ?? object.data.parentId }, like_count: 0, hidden: object.data.hidden === true }, fields(["id", "text", "timestamp"])));
  }
  if (object.platform !== "facebook") return null;
  const page = authorizePage(c, who, object.account_id, "pages_read_engagement");
  if (page instanceof Response) return page;
  if (isFbVideo(object)) return c.json(renderFbVideo(store, object, fields(["id", "status"])));
  if (object.kind === "photo") {
    const photo = object as SandboxObject<FbPhoto>;
    return c.json(pick({ id, name: photo.data.caption || undefined, created_time: graphTime(object.created_at), published: photo.data.published, page_story_id: photo.data.postId ?? photo.data.attachedTo ?? undefined, link: `https://www.facebook.com/photo.php?fbid=${id}` }, fields(["id", "created_time"])));
  }
  if (object.kind === "comment") {
    const comment = object as SandboxObject<FbComment & { deleted?: boolean; hidden?: boolean }>;
    if (comment.data.deleted) return unsupported(c, id);
    return c.json(pick({ id, message: comment.data.message, created_time: graphTime(object.created_at), from: { id: comment.data.fromId, name: comment.data.fromName }, parent: undefined, like_count: 0, comment_count: 0, is_hidden: comment.data.hidden === true }, fields(["id", "message", "created_time"])));
  }
  if (object.kind === "unpublished_post") return c.json(pick({ id, message: object.data.message, is_published: false, created_time: graphTime(object.created_at) }, fields(["id", "message", "created_time"])));
  return null;
}
