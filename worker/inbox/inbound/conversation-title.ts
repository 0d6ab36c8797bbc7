import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { postTargets, posts } from "../../db/schema";
import type { NormalizedItem } from "./types";

const TITLE_MAX = 140;

/** The first line of the post's text, shortened for the list. */
function shortTitle(text: string): string {
  const line = text.trim().split("\n")[0]?.trim() ?? "";
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

/**
 * Ids a published target may be stored under for a webhook's post id. Facebook's `post_id` is
 * `{page}_{post}`; a feed post's remote id has that shape, while photo and video posts may be stored
 * by the object's own id (the part after the page). Instagram's media id is used as is.
 */
function remoteIdCandidates(item: NormalizedItem, postId: string): string[] {
  if (item.platform !== "facebook") return [postId];
  const objectId = postId.includes("_") ? postId.slice(postId.indexOf("_") + 1) : null;
  return objectId ? [postId, objectId] : [postId];
}

/** What a new conversation is called, and the target it hangs off when Atelier published the post. */
export async function describeConversation(db: Database, item: NormalizedItem): Promise<{ title: string; postTargetId: string | null }> {
  const key = item.conversation;
  if (key.kind === "dm") {
    // Webhooks carry only the person's page-scoped id; the name comes from a profile call (profiles.ts) when it succeeds.
    const fallback = `${item.platform === "facebook" ? "Messenger" : "Instagram"} user …${key.participantId.slice(-4)}`;
    return { title: key.participantName ?? fallback, postTargetId: null };
  }
  const [target] = await db
    .select({ id: postTargets.id, text: sql<string>`COALESCE(${postTargets.textOverride}, ${posts.baseText})` })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.workspaceId, item.workspaceId), eq(postTargets.connectionId, item.connectionId), inArray(postTargets.remoteId, remoteIdCandidates(item, key.postId))))
    .limit(1);
  const title = target ? shortTitle(target.text) : "";
  return { title: title || `Post ${key.postId}`, postTargetId: target?.id ?? null };
}
