import type { Post } from "../../../../worker/contracts/posts.ts";
import { addDays, addMonths, convertLocal, fromLocal, startOfMonth, startOfWeek, toLocal } from "../../ui/zoned-date.ts";

export type CalendarView = "month" | "week" | "list";

/** Six rows of seven days, Monday first, covering the month of `day`. */
export function monthGrid(day: string): string[][] {
  const first = startOfWeek(startOfMonth(day));
  return Array.from({ length: 6 }, (_, w) => Array.from({ length: 7 }, (_, d) => addDays(first, w * 7 + d)));
}

export const weekDays = (day: string): string[] => Array.from({ length: 7 }, (_, i) => addDays(startOfWeek(day), i));

/** The first and the day after the last day a view shows, as local days. */
export function visibleDays(view: CalendarView, day: string): { first: string; end: string } {
  if (view === "week") {
    const first = startOfWeek(day);
    return { first, end: addDays(first, 7) };
  }
  const grid = monthGrid(day);
  return { first: grid[0]?.[0] ?? day, end: addDays(grid[5]?.[6] ?? day, 1) };
}

/** The instants bounding those days in the workspace's zone (midnight to midnight, whatever DST does in between). */
export function rangeFor(view: CalendarView, day: string, zone: string): { from: string; to: string } {
  const { first, end } = visibleDays(view, day);
  return { from: fromLocal(`${first}T00:00`, zone).toISOString(), to: fromLocal(`${end}T00:00`, zone).toISOString() };
}

export function step(view: CalendarView, day: string, by: number): string {
  return view === "week" ? addDays(day, 7 * by) : addMonths(day, by);
}

/** Where a post sits on the workspace's clock: its own wall-clock time moved into the workspace zone. */
export function placeOf(post: Post, zone: string): string | null {
  if (post.scheduledLocal) return convertLocal(post.scheduledLocal, post.timezone, zone);
  return post.scheduledAt ? toLocal(post.scheduledAt, zone) : null;
}

/** A drop at `local` on the workspace's clock, written back as the post's own zone's wall clock. */
export const scheduledLocalFor = (post: Post, local: string, zone: string): string => convertLocal(local, zone, post.timezone);

/** Posts grouped by workspace-local day, each day sorted by time. */
export function byDay(posts: Post[], zone: string): Map<string, { post: Post; local: string }[]> {
  const map = new Map<string, { post: Post; local: string }[]>();
  for (const post of posts) {
    const local = placeOf(post, zone);
    if (!local) continue;
    const day = local.slice(0, 10);
    map.set(day, [...(map.get(day) ?? []), { post, local }]);
  }
  for (const list of map.values()) list.sort((a, b) => a.local.localeCompare(b.local));
  return map;
}

export const excerpt = (post: Post, max = 60): string => {
  const text = (post.baseText || post.targets.find((t) => t.textOverride)?.textOverride || "").replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text || "(no text)";
};
