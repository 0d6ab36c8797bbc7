import { Hono } from "hono";
import { findMedia } from "../db/queries/media";
import { secrets } from "../config";
import type { AppEnv } from "../http/app-env";
import { notFound, ProblemError } from "../http/problems";
import { mediaObjectKey } from "../media/keys";
import { serveObject } from "../media/serve";
import { verifyMediaToken } from "../media/signed-url";

/**
 * `GET /m/<token>`: a library file for whoever holds an unexpired signed link (platforms pulling media
 * by URL). No session; the HMAC is the authorization. Tampered → 403, expired → 410.
 */
export const mediaPublicRoutes = new Hono<AppEnv>().get("/:token", async (c) => {
  const check = await verifyMediaToken(secrets(c.env).SESSION_SECRET, c.req.param("token"), c.var.clock());
  if (!check.ok && check.reason === "expired") throw new ProblemError("gone", "This media link has expired. Ask for a new one.");
  if (!check.ok) throw new ProblemError("forbidden", "This media link is not valid.");
  const { workspaceId, mediaId } = check.grant;
  const found = await findMedia(c.var.db, workspaceId, mediaId);
  if (!found || found.row.status !== "ready") throw notFound("This file");
  const { row } = found;
  const served = await serveObject(c.env.MEDIA, { key: mediaObjectKey(workspaceId, mediaId), name: row.name, mimeType: row.mimeType, sizeBytes: row.sizeBytes }, c.req.header("Range"), "private, no-store", c.var.requestId);
  if (!served) throw notFound("This file");
  served.headers.set("Referrer-Policy", "no-referrer");
  return served;
});
