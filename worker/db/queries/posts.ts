import { and, asc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import { connections, media, postMedia, posts, postTargets, users } from "../schema";

export type PostRow = typeof posts.$inferSelect;
export type TargetRow = typeof postTargets.$inferSelect;
export type MediaRow = typeof media.$inferSelect;
export type ConnectionRow = typeof connections.$inferSelect;

/** D1 binds at most 100 parameters per statement: id lists are read in slices. */
const SLICE = 90;
function slices<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += SLICE) out.push(items.slice(i, i + SLICE));
  return out;
}

export function findPost(db: Database, workspaceId: string, postId: string) {
  return db.select().from(posts).where(and(eq(posts.workspaceId, workspaceId), eq(posts.id, postId))).get();
}

export type PostFilter = { from?: number; to?: number; state?: PostRow["status"]; channel?: string };

/** At most this many posts per list: a calendar asks for a window, so this is a safety net, not paging. */
export const POST_LIST_LIMIT = 500;

/**
 * A calendar window: `(workspace_id, status?, scheduled_at)` ranges ride posts_workspace_time_idx or
 * posts_workspace_status_idx; the channel filter is a subquery on post_targets_workspace_idx.
 */
export function listPostsQuery(db: Database, workspaceId: string, filter: PostFilter) {
  const where: (SQL | undefined)[] = [eq(posts.workspaceId, workspaceId)];
  if (filter.state) where.push(eq(posts.status, filter.state));
  if (filter.from !== undefined) where.push(gte(posts.scheduledAt, filter.from));
  if (filter.to !== undefined) where.push(lt(posts.scheduledAt, filter.to));
  if (filter.channel) {
    const targeted = db
      .select({ postId: postTargets.postId })
      .from(postTargets)
      .where(and(eq(postTargets.workspaceId, workspaceId), eq(postTargets.connectionId, filter.channel)));
    where.push(inArray(posts.id, targeted));
  }
  return db
    .select()
    .from(posts)
    .where(and(...where))
    .orderBy(sql`${posts.scheduledAt} IS NULL`, asc(posts.scheduledAt), asc(posts.createdAt))
    .limit(POST_LIST_LIMIT);
}

export function listPosts(db: Database, workspaceId: string, filter: PostFilter) {
  return listPostsQuery(db, workspaceId, filter).all();
}

/** The media ids (in order) and targets of each post, and the authors, for rendering a list. */
export async function postDetails(db: Database, rows: PostRow[]) {
  const ids = rows.map((r) => r.id);
  const mediaByPost = new Map<string, string[]>();
  const targetsByPost = new Map<string, TargetRow[]>();
  for (const part of slices(ids)) {
    const [mediaRows, targetRows] = await db.batch([
      db.select().from(postMedia).where(inArray(postMedia.postId, part)).orderBy(asc(postMedia.postId), asc(postMedia.position)),
      db.select().from(postTargets).where(inArray(postTargets.postId, part)).orderBy(asc(postTargets.createdAt), asc(postTargets.id)),
    ]);
    for (const m of mediaRows) mediaByPost.set(m.postId, [...(mediaByPost.get(m.postId) ?? []), m.mediaId]);
    for (const t of targetRows) targetsByPost.set(t.postId, [...(targetsByPost.get(t.postId) ?? []), t]);
  }
  const authorIds = [...new Set(rows.map((r) => r.createdBy).filter((id): id is string => id !== null))];
  const authors = new Map<string, { id: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null }>();
  for (const part of slices(authorIds)) {
    for (const u of await db.select({ id: users.id, name: users.name, avatarKey: users.avatarKey, avatarUpdatedAt: users.avatarUpdatedAt }).from(users).where(inArray(users.id, part))) authors.set(u.id, u);
  }
  return { mediaByPost, targetsByPost, authors };
}

export async function connectionsByIds(db: Database, workspaceId: string, ids: string[]): Promise<Map<string, ConnectionRow>> {
  const found = new Map<string, ConnectionRow>();
  for (const part of slices([...new Set(ids)])) {
    for (const row of await db.select().from(connections).where(and(eq(connections.workspaceId, workspaceId), inArray(connections.id, part)))) found.set(row.id, row);
  }
  return found;
}

export async function mediaByIds(db: Database, workspaceId: string, ids: string[]): Promise<Map<string, MediaRow>> {
  const found = new Map<string, MediaRow>();
  for (const part of slices([...new Set(ids)])) {
    for (const row of await db.select().from(media).where(and(eq(media.workspaceId, workspaceId), inArray(media.id, part)))) found.set(row.id, row);
  }
  return found;
}
