import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { Id } from "../contracts/common";
import { Media, MediaPage, MediaQuery, MediaUsage, PublicUrl, PublicUrlBody, UpdateMediaBody } from "../contracts/media";
import { deleteMediaStatements, listMedia, mediaUsage } from "../db/queries/media";
import { media } from "../db/schema";
import { secrets } from "../config";
import { audit } from "../http/audit";
import { imageHeaders, readImageUpload } from "../http/image-upload";
import { imageBody, imageResponseDoc, jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { notFound, ProblemError, problemResponse, toProblem } from "../http/problems";
import { newRouter } from "../http/router";
import { appOrigin } from "../http/urls";
import { parseParams } from "../http/validation";
import { publishLive } from "../live/publish";
import { loadMedia, requireEditor, requireOwnerOfFileOrEditor } from "../media/access";
import { mediaObjectKey, posterObjectKey } from "../media/keys";
import { serveObject } from "../media/serve";
import { signMediaToken } from "../media/signed-url";
import { toMedia } from "../media/view";

const MediaParams = z.object({ id: Id, mid: Id });
const DeleteQuery = z.object({ confirm: z.enum(["true", "false"]).optional().describe("`true` removes the file from the posts that use it, then deletes it.") });

function parseCursor(cursor: string | undefined): { at: number; id: string } | null {
  if (!cursor) return null;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{10,64})$/.exec(cursor);
  if (!match?.[1] || !match[2]) throw new ProblemError("validation", "The page cursor is not valid.", { errors: [{ path: "cursor", message: "Use the nextCursor value of the previous page." }] });
  return { at: Number(match[1]), id: match[2] };
}

const list = createRoute({
  method: "get",
  path: "/{id}/media",
  tags: ["media"],
  summary: "The media library, newest first, with search and filters",
  request: { params: z.object({ id: Id }), query: MediaQuery },
  responses: { 200: jsonContent(MediaPage, "A page of files and the cursor of the next one."), 400: problems[400], 401: problems[401], 404: problems[404] },
});

const get = createRoute({
  method: "get",
  path: "/{id}/media/{mid}",
  tags: ["media"],
  summary: "One library file",
  request: { params: MediaParams },
  responses: { 200: jsonContent(Media, "The file."), 401: problems[401], 404: problems[404] },
});

const update = createRoute({
  method: "patch",
  path: "/{id}/media/{mid}",
  tags: ["media"],
  summary: "Rename a file, describe it (alt text) or tag it (editors and above; contributors their own files)",
  request: { params: MediaParams, body: jsonBody(UpdateMediaBody) },
  responses: { 200: jsonContent(Media, "The updated file."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}/media/{mid}",
  tags: ["media"],
  summary: "Delete a file (editors and above); a file used by posts needs `?confirm=true`",
  request: { params: MediaParams, query: DeleteQuery },
  responses: {
    ...noContent,
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: { content: { "application/problem+json": { schema: MediaUsage } }, description: "The file is used by posts: a problem plus `usage`, the posts that would lose it." },
  },
});

const putPoster = createRoute({
  method: "put",
  path: "/{id}/media/{mid}/poster",
  tags: ["media"],
  summary: "Set a video's poster frame (a JPEG, PNG or WebP image made by the browser, at most 2 MB)",
  request: { params: MediaParams, body: imageBody },
  responses: { 200: jsonContent(Media, "The file with its poster."), 401: problems[401], 403: problems[403], 404: problems[404], 413: problems[413], 415: problems[415] },
});

const getPoster = createRoute({
  method: "get",
  path: "/{id}/media/{mid}/poster",
  tags: ["media"],
  summary: "A file's poster frame",
  request: { params: MediaParams },
  responses: { ...imageResponseDoc, 401: problems[401], 404: problems[404] },
});

const getContent = createRoute({
  method: "get",
  path: "/{id}/media/{mid}/content",
  tags: ["media"],
  summary: "A file's bytes, with HTTP Range support",
  request: { params: MediaParams },
  responses: {
    200: { description: "The whole file.", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
    206: { description: "The requested byte range." },
    401: problems[401],
    404: problems[404],
    416: { description: "The range is outside the file.", content: { "application/problem+json": { schema: { type: "object" } } } },
  },
});

const createPublicUrl = createRoute({
  method: "post",
  path: "/{id}/media/{mid}/public-url",
  tags: ["media"],
  summary: "An expiring signed URL to the file, for platforms that pull media by URL (editors and above)",
  request: { params: MediaParams, body: jsonBody(PublicUrlBody) },
  responses: { 201: jsonContent(PublicUrl, "The URL and when it stops working."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

export const mediaLibraryRoutes = newRouter()
  .openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const { rows, hasMore } = await listMedia(c.var.db, id, { q: query.q, kind: query.kind, tag: query.tag, before: parseCursor(query.cursor), limit: query.limit });
    const last = rows.at(-1)?.row;
    return c.json({ media: rows.map((r) => toMedia(r.row, r.creator)), nextCursor: hasMore && last ? `${last.createdAt}.${last.id}` : null }, 200);
  })
  .openapi(get, async (c) => {
    const { id, mid } = c.req.valid("param");
    const found = await loadMedia(c, id, mid);
    return c.json(toMedia(found.row, found.creator), 200);
  })
  .openapi(update, async (c) => {
    const { id, mid } = c.req.valid("param");
    const body = c.req.valid("json");
    const found = await loadMedia(c, id, mid);
    requireOwnerOfFileOrEditor(c, found.row);
    const now = c.var.clock();
    const changes = { ...body, ...(body.tags ? { tags: [...new Set(body.tags)] } : {}), updatedAt: now };
    const [updated] = await c.var.db.batch([
      c.var.db.update(media).set(changes).where(and(eq(media.workspaceId, id), eq(media.id, mid))).returning(),
      audit(c, { workspaceId: id, action: "media.updated", targetType: "media", targetId: mid, detail: { fields: Object.keys(body) } }),
    ]);
    const row = updated[0];
    if (!row) throw notFound("This file");
    await publishLive(c, id, { kind: "media.changed", mediaId: mid, deleted: false });
    return c.json(toMedia(row, found.creator), 200);
  })
  .openapi(remove, async (c) => {
    const { id, mid } = c.req.valid("param");
    const { confirm } = c.req.valid("query");
    requireEditor(c);
    const { row } = await loadMedia(c, id, mid);
    const usage = await mediaUsage(c.var.db, id, mid);
    if (usage.length > 0 && confirm !== "true") {
      const posts = usage.map((p) => ({ postId: p.postId, status: p.status, scheduledAt: p.scheduledAt === null ? null : new Date(p.scheduledAt).toISOString(), excerpt: excerpt(p.baseText) }));
      const detail = `This file is used by ${posts.length} post${posts.length === 1 ? "" : "s"}. Delete it with confirm=true to remove it from ${posts.length === 1 ? "that post" : "those posts"} too.`;
      const problem = { ...toProblem("conflict", detail, { requestId: c.var.requestId, instance: new URL(c.req.url).pathname }), usage: { posts } };
      return problemResponse(problem);
    }
    await c.var.db.batch([
      ...deleteMediaStatements(c.var.db, id, mid),
      audit(c, { workspaceId: id, action: "media.deleted", targetType: "media", targetId: mid, detail: { name: row.name, sizeBytes: row.sizeBytes, removedFromPosts: usage.map((p) => p.postId) } }),
    ]);
    if (row.uploadId) await c.env.MEDIA.resumeMultipartUpload(mediaObjectKey(id, mid), row.uploadId).abort().catch(() => undefined);
    await c.env.MEDIA.delete([mediaObjectKey(id, mid), posterObjectKey(id, mid)]);
    await publishLive(c, id, { kind: "media.changed", mediaId: mid, deleted: true });
    for (const post of usage) await publishLive(c, id, { kind: "post.changed", postId: post.postId, deleted: false });
    return c.body(null, 204);
  })
  .openapi(putPoster, async (c) => {
    const { id, mid } = c.req.valid("param");
    const found = await loadMedia(c, id, mid);
    requireOwnerOfFileOrEditor(c, found.row);
    const image = await readImageUpload(c);
    if (image.type === "image/gif") throw new ProblemError("unsupported-media-type", "A poster must be a JPEG, PNG or WebP image.");
    const key = posterObjectKey(id, mid);
    const now = c.var.clock();
    await c.env.MEDIA.put(key, image.bytes, { httpMetadata: { contentType: image.type } });
    const [updated] = await c.var.db.batch([
      c.var.db.update(media).set({ posterKey: key, updatedAt: now }).where(and(eq(media.workspaceId, id), eq(media.id, mid))).returning(),
      audit(c, { workspaceId: id, action: "media.poster_changed", targetType: "media", targetId: mid, detail: { type: image.type, bytes: image.bytes.byteLength } }),
    ]);
    const row = updated[0];
    if (!row) throw notFound("This file");
    await publishLive(c, id, { kind: "media.changed", mediaId: mid, deleted: false });
    return c.json(toMedia(row, found.creator), 200);
  })
  .openapi(createPublicUrl, async (c) => {
    const { id, mid } = c.req.valid("param");
    const { ttlSeconds } = c.req.valid("json");
    requireEditor(c);
    const { row } = await loadMedia(c, id, mid);
    if (row.status !== "ready") throw new ProblemError("conflict", "This file is still uploading; finish the upload first.");
    const expiresAt = c.var.clock() + ttlSeconds * 1000;
    const token = await signMediaToken(secrets(c.env).SESSION_SECRET, { workspaceId: id, mediaId: mid, expiresAt });
    await c.var.db.batch([audit(c, { workspaceId: id, action: "media.public_url_created", targetType: "media", targetId: mid, detail: { ttlSeconds } })]);
    return c.json({ url: `${appOrigin(c.req.url, c.env)}/m/${token}`, expiresAt: new Date(expiresAt).toISOString() }, 201);
  });

// Binary responses are documented in the registry and served by plain handlers (typed handlers are JSON-only).
mediaLibraryRoutes.openAPIRegistry.registerPath(getContent);
mediaLibraryRoutes.openAPIRegistry.registerPath(getPoster);
mediaLibraryRoutes.get("/:id/media/:mid/content", async (c) => {
  const { id, mid } = parseParams(MediaParams, c.req.param());
  const { row } = await loadMedia(c, id, mid);
  if (row.status !== "ready") throw notFound("This file's content");
  const served = await serveObject(c.env.MEDIA, { key: mediaObjectKey(id, mid), name: row.name, mimeType: row.mimeType, sizeBytes: row.sizeBytes }, c.req.header("Range"), "private, max-age=300", c.var.requestId);
  if (!served) throw notFound("This file's content");
  return served;
});
mediaLibraryRoutes.get("/:id/media/:mid/poster", async (c) => {
  const { id, mid } = parseParams(MediaParams, c.req.param());
  const { row } = await loadMedia(c, id, mid);
  const object = row.posterKey ? await c.env.MEDIA.get(row.posterKey) : null;
  if (!object) throw notFound("This poster");
  return c.body(object.body, 200, imageHeaders(object));
});
