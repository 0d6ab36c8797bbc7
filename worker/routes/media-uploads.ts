import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { CreateUploadBody, Media, Upload, UploadedPart } from "../contracts/media";
import { listParts, type MediaRow, upsertPart } from "../db/queries/media";
import { media } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { conflict, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { publishLive } from "../live/publish";
import { loadMedia, requireOwnerOfFileOrEditor, requireUploader } from "../media/access";
import { finalizeStored } from "../media/finalize";
import { looksAccepted } from "../media/inspect/inspect-file";
import { mediaObjectKey } from "../media/keys";
import { expectedPartSize, formatBytes, notAccepted, PART_SIZE_BYTES, partCountFor, SMALL_UPLOAD_MAX_BYTES } from "../media/limits";
import { exactLength, peekBody } from "../media/streams";
import { badRequest, checkLimits, contentLength, fileName, newRow, reserve, SNIFF_BYTES } from "../media/upload-steps";
import { toMedia } from "../media/view";

const WorkspaceParams = z.object({ id: Id });
const UploadParams = z.object({ id: Id, mid: Id });
const PartParams = z.object({ id: Id, mid: Id, n: z.coerce.number().int().min(1).max(10_000) });

const binaryBody = {
  content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
  required: true,
  description: "The file's raw bytes; Content-Length is required. Whatever Content-Type says, the server decides from the bytes.",
} as const;

async function loadUpload(c: Context<AppEnv>, workspaceId: string, mediaId: string) {
  const found = await loadMedia(c, workspaceId, mediaId);
  if (found.row.status !== "uploading" || !found.row.uploadId) throw conflict("This upload is already complete.");
  return { ...found, uploadId: found.row.uploadId };
}

async function uploadView(c: Context<AppEnv>, found: { row: MediaRow; creator: Parameters<typeof toMedia>[1] }) {
  const parts = await listParts(c.var.db, found.row.id);
  return {
    media: toMedia(found.row, found.creator),
    partSizeBytes: PART_SIZE_BYTES,
    partCount: partCountFor(found.row.sizeBytes),
    partsDone: parts.map((p) => ({ partNumber: p.partNumber, sizeBytes: p.sizeBytes })),
  };
}

const uploadSmall = createRoute({
  method: "post",
  path: "/{id}/media",
  tags: ["media"],
  summary: "Upload a file of at most 100 MB in one request (contributors and above); name in X-File-Name, URI-encoded",
  request: { params: WorkspaceParams, body: binaryBody },
  responses: { 201: jsonContent(Media, "The stored, inspected file."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 413: problems[413], 415: problems[415] },
});

const createUpload = createRoute({
  method: "post",
  path: "/{id}/media/uploads",
  tags: ["media"],
  summary: "Start a resumable multipart upload (contributors and above)",
  request: { params: WorkspaceParams, body: jsonBody(CreateUploadBody) },
  responses: { 201: jsonContent(Upload, "The upload: PUT each part, then complete it."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 413: problems[413] },
});

const getUpload = createRoute({
  method: "get",
  path: "/{id}/media/uploads/{mid}",
  tags: ["media"],
  summary: "An upload in progress and the parts already stored (to resume)",
  request: { params: UploadParams },
  responses: { 200: jsonContent(Upload, "The upload."), 401: problems[401], 404: problems[404], 409: problems[409] },
});

const putPart = createRoute({
  method: "put",
  path: "/{id}/media/uploads/{mid}/parts/{n}",
  tags: ["media"],
  summary: "Store one part (exactly partSizeBytes, except the last); sending a part again replaces it",
  request: { params: PartParams, body: binaryBody },
  responses: { 200: jsonContent(UploadedPart, "The stored part."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

const completeUpload = createRoute({
  method: "post",
  path: "/{id}/media/uploads/{mid}/complete",
  tags: ["media"],
  summary: "Assemble the parts and inspect the file; a file that is not an accepted image or video is deleted (415)",
  request: { params: UploadParams },
  responses: { 200: jsonContent(Media, "The ready file."), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 415: problems[415] },
});

const abortUpload = createRoute({
  method: "delete",
  path: "/{id}/media/uploads/{mid}",
  tags: ["media"],
  summary: "Abandon an upload and discard its parts",
  request: { params: UploadParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
});

export const mediaUploadRoutes = newRouter()
  .openapi(uploadSmall, async (c) => {
    const { id } = c.req.valid("param");
    requireUploader(c);
    const length = contentLength(c);
    const name = fileName(c);
    if (length > SMALL_UPLOAD_MAX_BYTES) throw new ProblemError("payload-too-large", `Files over ${formatBytes(SMALL_UPLOAD_MAX_BYTES)} must be sent with the multipart upload.`);
    const limits = await checkLimits(c, id, length);
    const body = c.req.raw.body;
    if (!body) throw badRequest("The request has no file in its body.", "body", "Choose a file to upload.");
    const { head, stream, cancel } = await peekBody(body, SNIFF_BYTES);
    if (!looksAccepted(head)) {
      await cancel();
      throw notAccepted();
    }
    const row = newRow(c, id, name, length, null);
    await reserve(c, row, limits);
    const key = mediaObjectKey(id, row.id);
    try {
      // FixedLengthStream gives R2 the length up front and fails the put if the body is shorter or longer.
      const fixed = exactLength(stream, length);
      await Promise.all([c.env.MEDIA.put(key, fixed.stream), fixed.piped]);
    } catch {
      await c.var.db.delete(media).where(and(eq(media.workspaceId, id), eq(media.id, row.id)));
      await c.env.MEDIA.delete(key);
      throw badRequest(`The body did not have the ${length} bytes Content-Length announced.`, "body", "The upload was cut short or too long.");
    }
    return c.json(await finalizeStored(c, row, "upload"), 201);
  })
  .openapi(createUpload, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    requireUploader(c);
    const limits = await checkLimits(c, id, body.sizeBytes);
    const draft = newRow(c, id, body.name, body.sizeBytes, null);
    const multipart = await c.env.MEDIA.createMultipartUpload(mediaObjectKey(id, draft.id));
    const row = { ...draft, uploadId: multipart.uploadId };
    try {
      await reserve(c, row, limits);
    } catch (error) {
      await multipart.abort().catch(() => undefined);
      throw error;
    }
    await c.var.db.batch([
      audit(c, { workspaceId: id, action: "media.upload_started", targetType: "media", targetId: row.id, detail: { name: body.name, sizeBytes: body.sizeBytes, declaredType: body.declaredType ?? null } }),
    ]);
    return c.json(await uploadView(c, { row, creator: { id: c.var.auth.user.id, name: c.var.auth.user.name, avatarKey: c.var.auth.user.avatarKey, avatarUpdatedAt: c.var.auth.user.avatarUpdatedAt } }), 201);
  })
  .openapi(getUpload, async (c) => {
    const { id, mid } = c.req.valid("param");
    const found = await loadUpload(c, id, mid);
    return c.json(await uploadView(c, found), 200);
  })
  .openapi(putPart, async (c) => {
    const { id, mid, n } = c.req.valid("param");
    const found = await loadUpload(c, id, mid);
    requireOwnerOfFileOrEditor(c, found.row);
    const count = partCountFor(found.row.sizeBytes);
    if (n > count) throw badRequest(`This upload has ${count} part${count === 1 ? "" : "s"}.`, "n", `Between 1 and ${count}.`);
    const expected = expectedPartSize(found.row.sizeBytes, n);
    if (contentLength(c) !== expected) throw badRequest(`Part ${n} must be exactly ${expected} bytes.`, "Content-Length", `Must be ${expected}.`);
    const body = c.req.raw.body;
    if (!body) throw badRequest("The request has no part in its body.", "body", "Send the part's bytes.");
    let part: R2UploadedPart;
    try {
      const fixed = exactLength(body, expected);
      [part] = await Promise.all([c.env.MEDIA.resumeMultipartUpload(mediaObjectKey(id, mid), found.uploadId).uploadPart(n, fixed.stream), fixed.piped]);
    } catch {
      throw badRequest(`Part ${n} did not arrive whole; send it again.`, "body", `Must be ${expected} bytes.`);
    }
    // Parts are not audited one by one: the upload's start, completion or abort is.
    await upsertPart(c.var.db, { mediaId: mid, partNumber: n, etag: part.etag, sizeBytes: expected });
    return c.json({ partNumber: n, sizeBytes: expected }, 200);
  })
  .openapi(completeUpload, async (c) => {
    const { id, mid } = c.req.valid("param");
    const found = await loadUpload(c, id, mid);
    requireOwnerOfFileOrEditor(c, found.row);
    const count = partCountFor(found.row.sizeBytes);
    const parts = await listParts(c.var.db, mid);
    const done = new Set(parts.map((p) => p.partNumber));
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((p) => !done.has(p));
    if (missing.length > 0) throw conflict(`Some parts are not uploaded yet: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}.`);
    try {
      await c.env.MEDIA.resumeMultipartUpload(mediaObjectKey(id, mid), found.uploadId).complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
    } catch {
      throw conflict("The stored parts could not be assembled; upload them again, then complete.");
    }
    return c.json(await finalizeStored(c, found.row, "multipart"), 200);
  })
  .openapi(abortUpload, async (c) => {
    const { id, mid } = c.req.valid("param");
    const found = await loadUpload(c, id, mid);
    requireOwnerOfFileOrEditor(c, found.row);
    await c.env.MEDIA.resumeMultipartUpload(mediaObjectKey(id, mid), found.uploadId).abort().catch(() => undefined);
    await c.var.db.batch([
      c.var.db.delete(media).where(and(eq(media.workspaceId, id), eq(media.id, mid))),
      audit(c, { workspaceId: id, action: "media.upload_aborted", targetType: "media", targetId: mid, detail: { name: found.row.name, sizeBytes: found.row.sizeBytes } }),
    ]);
    await publishLive(c, id, { kind: "media.changed", mediaId: mid, deleted: true });
    return c.body(null, 204);
  });
