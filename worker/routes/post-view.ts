import type { Post, ValidationReport } from "../contracts/posts";
import { Platform } from "../contracts/connections";
import type { PostRow, TargetRow } from "../db/queries/posts";
import { instantToLocal } from "../domain/schedule-time";
import { avatarUrl } from "../http/urls";

type Author = { id: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null };

const iso = (ms: number) => new Date(ms).toISOString();

/** `scheduledLocal` is derived: the stored instant read on the post's zone's clock. */
export function toPost(row: PostRow, mediaIds: string[], targets: TargetRow[], author: Author | undefined, validation?: ValidationReport): Post {
  return {
    id: row.id,
    status: row.status,
    baseText: row.baseText,
    firstComment: row.firstComment,
    mediaIds,
    scheduledAt: row.scheduledAt === null ? null : iso(row.scheduledAt),
    scheduledLocal: row.scheduledAt === null ? null : instantToLocal(row.scheduledAt, row.timezone),
    timezone: row.timezone,
    revision: row.revision,
    targets: targets.map((t) => ({ id: t.id, connectionId: t.connectionId, platform: Platform.parse(t.platform), format: t.format, textOverride: t.textOverride, options: t.options, state: t.state })),
    createdBy: author ? { id: author.id, name: author.name, avatarUrl: avatarUrl(author) } : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    ...(validation ? { validation } : {}),
  };
}
