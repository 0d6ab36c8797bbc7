import { and, asc, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { media, mediaParts, postMedia, posts, users } from "../schema";

export type MediaRow = typeof media.$inferSelect;
export type MediaInsert = typeof media.$inferInsert;
export type Creator = { id: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null } | null;

const withCreator = {
  media,
  creatorName: users.name,
  creatorAvatarKey: users.avatarKey,
  creatorAvatarUpdatedAt: users.avatarUpdatedAt,
};

function creatorOf(row: { media: MediaRow; creatorName: string | null; creatorAvatarKey: string | null; creatorAvatarUpdatedAt: number | null }): Creator {
  return row.media.createdBy && row.creatorName ? { id: row.media.createdBy, name: row.creatorName, avatarKey: row.creatorAvatarKey, avatarUpdatedAt: row.creatorAvatarUpdatedAt } : null;
}

/** Always scoped by workspace: an id from another workspace is simply not found. */
export async function findMedia(db: Database, workspaceId: string, mediaId: string) {
  const row = await db.select(withCreator).from(media).leftJoin(users, eq(users.id, media.createdBy)).where(and(eq(media.workspaceId, workspaceId), eq(media.id, mediaId))).get();
  return row ? { row: row.media, creator: creatorOf(row) } : undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export type MediaFilter = { q?: string; kind?: "image" | "video"; tag?: string; before: { at: number; id: string } | null; limit: number };

/** Newest first; cursor = `<createdAt>.<id>` of the last row seen. Tags are a JSON array searched with json_each. */
export function mediaPageQuery(db: Database, workspaceId: string, filter: MediaFilter) {
  const conditions: (SQL | undefined)[] = [eq(media.workspaceId, workspaceId)];
  if (filter.kind) conditions.push(eq(media.kind, filter.kind));
  if (filter.tag) conditions.push(sql`EXISTS (SELECT 1 FROM json_each(${media.tags}) WHERE json_each.value = ${filter.tag})`);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    conditions.push(
      or(
        sql`${media.name} LIKE ${pattern} ESCAPE '\\'`,
        sql`${media.altText} LIKE ${pattern} ESCAPE '\\'`,
        sql`EXISTS (SELECT 1 FROM json_each(${media.tags}) WHERE json_each.value LIKE ${pattern} ESCAPE '\\')`,
      ),
    );
  }
  const before = filter.before;
  if (before) conditions.push(or(lt(media.createdAt, before.at), and(eq(media.createdAt, before.at), lt(media.id, before.id))));
  return db
    .select(withCreator)
    .from(media)
    .leftJoin(users, eq(users.id, media.createdBy))
    .where(and(...conditions))
    .orderBy(desc(media.createdAt), desc(media.id))
    .limit(filter.limit + 1);
}

export async function listMedia(db: Database, workspaceId: string, filter: MediaFilter) {
  const rows = await mediaPageQuery(db, workspaceId, filter).all();
  return { rows: rows.slice(0, filter.limit).map((r) => ({ row: r.media, creator: creatorOf(r) })), hasMore: rows.length > filter.limit };
}

/**
 * Inserts the row only if the workspace's library stays within its quota, counting files still
 * uploading (their bytes are reserved). One statement, so two concurrent uploads cannot both squeeze in.
 */
export async function insertWithinQuota(db: Database, row: MediaInsert & { createdAt: number; updatedAt: number }, quotaBytes: number): Promise<boolean> {
  const result = await db.run(sql`
    INSERT INTO media (id, workspace_id, status, kind, mime_type, name, size_bytes, width, height, duration_ms, video_codec, audio_codec, frame_rate_milli, alt_text, tags, poster_key, upload_id, created_by, created_at, updated_at)
    SELECT ${row.id}, ${row.workspaceId}, ${row.status}, ${row.kind ?? null}, ${row.mimeType ?? null}, ${row.name}, ${row.sizeBytes}, ${row.width ?? null}, ${row.height ?? null},
      ${row.durationMs ?? null}, ${row.videoCodec ?? null}, ${row.audioCodec ?? null}, ${row.frameRate ?? null}, ${row.altText ?? null}, ${JSON.stringify(row.tags)},
      ${row.posterKey ?? null}, ${row.uploadId ?? null}, ${row.createdBy ?? null}, ${row.createdAt}, ${row.updatedAt}
    WHERE (SELECT coalesce(sum(size_bytes), 0) FROM media WHERE workspace_id = ${row.workspaceId}) + ${row.sizeBytes} <= ${quotaBytes}`);
  return (result.meta.changes ?? 0) === 1;
}

export async function usedBytes(db: Database, workspaceId: string): Promise<number> {
  const row = await db.select({ total: sql<number>`coalesce(sum(${media.sizeBytes}), 0)` }).from(media).where(eq(media.workspaceId, workspaceId)).get();
  return row?.total ?? 0;
}

export function listParts(db: Database, mediaId: string) {
  return db.select().from(mediaParts).where(eq(mediaParts.mediaId, mediaId)).orderBy(asc(mediaParts.partNumber)).all();
}

/** Re-uploading a part replaces its record (R2 keeps the last upload of a part number). */
export function upsertPart(db: Database, part: typeof mediaParts.$inferInsert) {
  return db
    .insert(mediaParts)
    .values(part)
    .onConflictDoUpdate({ target: [mediaParts.mediaId, mediaParts.partNumber], set: { etag: part.etag, sizeBytes: part.sizeBytes } });
}

/** The posts that use a file, for the delete confirmation. */
export function mediaUsage(db: Database, workspaceId: string, mediaId: string) {
  return db
    .selectDistinct({ postId: posts.id, status: posts.status, scheduledAt: posts.scheduledAt, baseText: posts.baseText })
    .from(postMedia)
    .innerJoin(posts, eq(posts.id, postMedia.postId))
    .where(and(eq(postMedia.mediaId, mediaId), eq(posts.workspaceId, workspaceId)))
    .orderBy(asc(posts.scheduledAt), asc(posts.id));
}

export function deleteMediaStatements(db: Database, workspaceId: string, mediaId: string) {
  return [db.delete(postMedia).where(eq(postMedia.mediaId, mediaId)), db.delete(media).where(and(eq(media.workspaceId, workspaceId), eq(media.id, mediaId)))] as const;
}

