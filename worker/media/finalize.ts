import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Media } from "../contracts/media";
import { findMedia, type MediaRow } from "../db/queries/media";
import { media, mediaParts } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { publishLive } from "../live/publish";
import { inspectFile, r2Source } from "./inspect/inspect-file";
import { mediaObjectKey } from "./keys";
import { notAccepted } from "./limits";
import { toMedia } from "./view";

/**
 * The last step of every upload path: read the stored bytes back (ranged reads) and learn what the file
 * really is. A file that is not an accepted image or video is removed from R2 and D1 and refused (415).
 */
export async function finalizeStored(c: Context<AppEnv>, row: MediaRow, via: "upload" | "multipart" | "import", extra: Record<string, unknown> = {}): Promise<Media> {
  const key = mediaObjectKey(row.workspaceId, row.id);
  const facts = await inspectFile(r2Source(c.env.MEDIA, key, row.sizeBytes));
  if (!facts) {
    await c.env.MEDIA.delete(key);
    await c.var.db.batch([
      c.var.db.delete(media).where(and(eq(media.workspaceId, row.workspaceId), eq(media.id, row.id))),
      audit(c, { workspaceId: row.workspaceId, action: "media.upload_rejected", targetType: "media", targetId: row.id, detail: { name: row.name, sizeBytes: row.sizeBytes, via, ...extra } }),
    ]);
    throw notAccepted();
  }
  const now = c.var.clock();
  const { kind, mimeType, width, height, durationMs, videoCodec, audioCodec, frameRateMilli } = facts;
  await c.var.db.batch([
    c.var.db
      .update(media)
      .set({ status: "ready", kind, mimeType, width, height, durationMs, videoCodec, audioCodec, frameRate: frameRateMilli, uploadId: null, updatedAt: now })
      .where(and(eq(media.workspaceId, row.workspaceId), eq(media.id, row.id))),
    c.var.db.delete(mediaParts).where(eq(mediaParts.mediaId, row.id)),
    audit(c, { workspaceId: row.workspaceId, action: "media.uploaded", targetType: "media", targetId: row.id, detail: { name: row.name, mimeType, sizeBytes: row.sizeBytes, via, ...extra } }),
  ]);
  await publishLive(c, row.workspaceId, { kind: "media.changed", mediaId: row.id, deleted: false });
  const stored = await findMedia(c.var.db, row.workspaceId, row.id);
  if (!stored) throw new Error("media row vanished after finalizing");
  return toMedia(stored.row, stored.creator);
}
