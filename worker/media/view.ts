import type { Media } from "../contracts/media";
import type { Creator, MediaRow } from "../db/queries/media";
import { avatarUrl } from "../http/urls";

/** The API view of a library file; URLs are authenticated API paths. */
export function toMedia(row: MediaRow, creator: Creator): Media {
  const base = `/api/workspaces/${row.workspaceId}/media/${row.id}`;
  return {
    id: row.id,
    status: row.status,
    kind: row.kind,
    mimeType: row.mimeType,
    name: row.name,
    sizeBytes: row.sizeBytes,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    videoCodec: row.videoCodec,
    audioCodec: row.audioCodec,
    frameRateMilli: row.frameRate,
    altText: row.altText,
    tags: row.tags,
    url: `${base}/content`,
    posterUrl: row.posterKey ? `${base}/poster?v=${row.updatedAt}` : null,
    createdBy: creator ? { id: creator.id, name: creator.name, avatarUrl: avatarUrl(creator) } : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
