import { createRoute, z } from "@hono/zod-openapi";
import { Id } from "../contracts/common";
import { ImportMediaBody, Media } from "../contracts/media";
import { usedBytes } from "../db/queries/media";
import { jsonBody, jsonContent, problems } from "../http/openapi";
import { newRouter } from "../http/router";
import { loadLimits, requireUploader } from "../media/access";
import { finalizeStored } from "../media/finalize";
import { fetchImport } from "../media/import-fetch";
import { looksAccepted } from "../media/inspect/inspect-file";
import { mediaObjectKey } from "../media/keys";
import { fileTooLarge, notAccepted, quotaExceeded } from "../media/limits";
import { peekBody, SizeCapExceeded, streamToR2 } from "../media/streams";
import { badRequest, newRow, reserve, SNIFF_BYTES } from "../media/upload-steps";

const WorkspaceParams = z.object({ id: Id });

const importUrl = createRoute({
  method: "post",
  path: "/{id}/media/import",
  tags: ["media"],
  summary: "Import a file from a public http(s) URL (contributors and above); private and local addresses are refused",
  request: { params: WorkspaceParams, body: jsonBody(ImportMediaBody) },
  responses: { 201: jsonContent(Media, "The imported file."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 413: problems[413], 415: problems[415] },
});

/** URL imports: SSRF-guarded fetch, streamed into R2 under the workspace limits, then inspected like an upload. */
export const mediaImportRoutes = newRouter()
  .openapi(importUrl, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    requireUploader(c);
    const limits = await loadLimits(c, id);
    const { response, url } = await fetchImport(fetch, body.url);
    const room = Math.min(limits.mediaMaxFileBytes, limits.mediaQuotaBytes - (await usedBytes(c.var.db, id)));
    const declared = Number(response.headers.get("Content-Length") ?? "NaN");
    if (!response.body || declared === 0) throw badRequest("The address answered with an empty file.", "url", "Nothing to import there.");
    const tooLarge = () => (room < limits.mediaMaxFileBytes ? quotaExceeded(limits, limits.mediaQuotaBytes - room) : fileTooLarge(limits.mediaMaxFileBytes));
    if (declared > room) {
      await response.body.cancel();
      throw tooLarge();
    }
    const { head, stream, cancel } = await peekBody(response.body, SNIFF_BYTES);
    if (!looksAccepted(head)) {
      await cancel();
      throw notAccepted();
    }
    const name = body.name ?? (decodeURIComponent(url.pathname.split("/").pop() ?? "").trim().slice(0, 200) || url.hostname);
    const row = newRow(c, id, name, 0, null);
    const key = mediaObjectKey(id, row.id);
    let size: number;
    try {
      size = await streamToR2(c.env.MEDIA, key, stream, room, "application/octet-stream");
    } catch (error) {
      if (error instanceof SizeCapExceeded) throw tooLarge();
      throw badRequest("The download broke off before the file was complete.", "url", "Try again later.");
    }
    const stored = { ...row, sizeBytes: size };
    try {
      await reserve(c, stored, limits);
    } catch (error) {
      await c.env.MEDIA.delete(key);
      throw error;
    }
    return c.json(await finalizeStored(c, stored, "import", { url: url.toString() }), 201);
  });

