import { and, eq, notInArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../client";
import { postMedia, posts, postTargets } from "../schema";
import type { PostRow, TargetRow } from "./posts";

export type Statement = BatchItem<"sqlite">;
/** Never empty, as `db.batch()` requires. */
export type Statements = [Statement, ...Statement[]];

/** D1 binds at most 100 parameters per statement: a target row binds 24, a media row 3. */
function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function insertMedia(db: Database, postId: string, mediaIds: string[]): Statement[] {
  const rows = mediaIds.map((mediaId, position) => ({ postId, position, mediaId }));
  return chunked(rows, 30).map((part) => db.insert(postMedia).values(part));
}

function insertTargets(db: Database, targets: TargetRow[]): Statement[] {
  return chunked(targets, 4).map((part) => db.insert(postTargets).values(part));
}

export function insertPost(db: Database, row: PostRow, mediaIds: string[], targets: TargetRow[]): Statements {
  return [
    db.insert(posts).values(row),
    ...insertMedia(db, row.id, mediaIds),
    ...insertTargets(db, targets),
  ];
}

/** Message of the constraint failure `revisionGuard` raises, recognised by the caller as a lost race. */
export const STALE_REVISION_MARK = "post_media.post_id";

/**
 * Fails the whole batch (D1 runs a batch as one transaction) when the UPDATE just before it matched no
 * row, by inserting a NULL into a NOT NULL column: the compare-and-set on `revision` then also protects
 * the child rows written after it, and a lost race leaves nothing half-applied.
 */
function revisionGuard(db: Database): Statement {
  return db.run(sql`INSERT INTO post_media (post_id, position, media_id) SELECT NULL, -1, NULL WHERE changes() = 0`);
}

export type PostChange = {
  row: Omit<PostRow, "id" | "workspaceId" | "createdBy" | "createdAt">;
  expectedRevision: number;
  /** The new media list, when it changed. */
  mediaIds?: string[];
  /** The whole new target list (existing rows keep their ids). */
  targets: TargetRow[];
  existingTargetIds: string[];
};

export function updatePost(db: Database, workspaceId: string, postId: string, change: PostChange): Statements {
  const statements: Statements = [
    db.update(posts).set(change.row).where(and(eq(posts.workspaceId, workspaceId), eq(posts.id, postId), eq(posts.revision, change.expectedRevision))),
    revisionGuard(db),
  ];
  if (change.mediaIds) {
    statements.push(db.delete(postMedia).where(eq(postMedia.postId, postId)));
    statements.push(...insertMedia(db, postId, change.mediaIds));
  }
  const keptIds = change.targets.map((t) => t.id);
  statements.push(keptIds.length ? db.delete(postTargets).where(and(eq(postTargets.postId, postId), notInArray(postTargets.id, keptIds))) : db.delete(postTargets).where(eq(postTargets.postId, postId)));
  const existing = new Set(change.existingTargetIds);
  for (const t of change.targets) {
    if (existing.has(t.id)) {
      statements.push(db.update(postTargets).set({ format: t.format, textOverride: t.textOverride, options: t.options, state: t.state, updatedAt: t.updatedAt }).where(and(eq(postTargets.postId, postId), eq(postTargets.id, t.id))));
    }
  }
  const added = change.targets.filter((t) => !existing.has(t.id));
  statements.push(...insertTargets(db, added));
  return statements;
}

export function deletePost(db: Database, workspaceId: string, postId: string): Statements {
  // post_media and post_targets go with it (ON DELETE CASCADE); the media rows themselves stay.
  return [db.delete(posts).where(and(eq(posts.workspaceId, workspaceId), eq(posts.id, postId)))];
}

