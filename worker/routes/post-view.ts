import type { Post, Target, ValidationReport } from "../contracts/posts";
import { Platform } from "../contracts/connections";
import type { PostRow, TargetRow } from "../db/queries/posts";
import { instantToLocal } from "../domain/schedule-time";
import { avatarUrl } from "../http/urls";

type Author = { id: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null };

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A channel of a post with its ledger (never the checkpoint or lease: those are the engine's). */
export function toTarget(t: TargetRow): Target {
  return {
    id: t.id,
    connectionId: t.connectionId,
    platform: Platform.parse(t.platform),
    format: t.format,
    textOverride: t.textOverride,
    options: t.options,
    state: t.state,
    dueAt: isoOrNull(t.dueAt),
    remoteId: t.remoteId,
    remoteUrl: t.remoteUrl,
    publishedAt: isoOrNull(t.publishedAt),
    statusDetail: t.statusDetail,
    errorCode: t.errorCode,
    nextAttemptAt: isoOrNull(t.nextAttemptAt),
    remoteDeletedAt: isoOrNull(t.remoteDeletedAt),
  };
}

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
    targets: targets.map(toTarget),
    createdBy: author ? { id: author.id, name: author.name, avatarUrl: avatarUrl(author) } : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    ...(validation ? { validation } : {}),
  };
}
