import type { Notification } from "../../../../worker/contracts/posts.ts";

/** The bell's badge: exact up to 9, then "9+" so it never outgrows the icon. */
export const badgeCount = (open: number): string => (open > 9 ? "9+" : String(open));

/** Extends the bell's name ("Notifications") for screen readers without changing the label itself. */
export const countDescription = (open: number): string => (open === 0 ? "Nothing needs attention" : `${open} open`);

/**
 * Notifications in `list` not seen before. The first load has no "before" (`seen` null): what was
 * already waiting when the page opened is not news, so nothing is announced for it.
 */
export function arrivals(seen: ReadonlySet<string> | null, list: readonly Notification[]): Notification[] {
  return seen ? list.filter((n) => !seen.has(n.id)) : [];
}

/** The polite announcement for new notifications. */
export function announcementFor(fresh: readonly Pick<Notification, "title">[]): string {
  if (fresh.length === 0) return "";
  if (fresh.length === 1) return `New notification: ${fresh[0]?.title ?? ""}`;
  return `${fresh.length} new notifications. The latest: ${fresh[0]?.title ?? ""}`;
}

/** Where the fix action of a notification takes the person (reconnect and review are places, retry is a call). */
export function fixHref(workspaceId: string, n: Pick<Notification, "action" | "postId" | "targetId">): string | null {
  const ws = `/w/${encodeURIComponent(workspaceId)}`;
  if (n.action === "reconnect") return `${ws}/accounts`;
  if (!n.postId) return null;
  const post = `${ws}/posts/${encodeURIComponent(n.postId)}`;
  return n.action === "review" && n.targetId ? `${post}?review=${encodeURIComponent(n.targetId)}` : post;
}
