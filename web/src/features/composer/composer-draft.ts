import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import type { PostBody, PostProblem } from "../../api/posts.ts";
import { addDays, todayIn } from "../../ui/zoned-date.ts";

export interface TargetDraft {
  connectionId: string;
  format: string;
  /** null: this channel uses the base text. */
  textOverride: string | null;
  options: Record<string, unknown>;
}

/** Everything the composer edits; `scheduledLocal` is a wall-clock time in `timezone`. */
export interface Draft {
  baseText: string;
  firstComment: string;
  mediaIds: string[];
  scheduledLocal: string;
  timezone: string;
  targets: TargetDraft[];
}

/** A new post starts tomorrow at 09:00 in the workspace's zone (or on the day the calendar was opened on). */
export function emptyDraft(timezone: string, day?: string): Draft {
  const date = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : addDays(todayIn(timezone), 1);
  return { baseText: "", firstComment: "", mediaIds: [], scheduledLocal: `${date}T09:00`, timezone, targets: [] };
}

export function draftFromPost(post: Post, fallbackZone: string): Draft {
  return {
    baseText: post.baseText,
    firstComment: post.firstComment ?? "",
    mediaIds: post.mediaIds,
    scheduledLocal: post.scheduledLocal?.slice(0, 16) ?? emptyDraft(post.timezone || fallbackZone).scheduledLocal,
    timezone: post.timezone || fallbackZone,
    targets: post.targets.map((t) => ({ connectionId: t.connectionId, format: t.format, textOverride: t.textOverride, options: t.options })),
  };
}

export function toBody(draft: Draft): PostBody {
  return {
    baseText: draft.baseText,
    firstComment: draft.firstComment.trim() ? draft.firstComment : null,
    mediaIds: draft.mediaIds,
    scheduledLocal: draft.scheduledLocal || null,
    timezone: draft.timezone,
    targets: draft.targets.map((t) => ({ connectionId: t.connectionId, format: t.format, textOverride: t.textOverride, options: t.options })),
  };
}

export const textFor = (draft: Draft, target: TargetDraft): string => target.textOverride ?? draft.baseText;

export const isPublishing = (c: Connection): boolean => c.platform !== "airtable" && c.status === "active";

/** A channel's problems, split by what they are about so each shows next to its field. */
export interface ChannelProblems {
  all: PostProblem[];
  byPath(prefix: string): PostProblem[];
}

export function problemsOf(report: { targets: { connectionId: string; problems: PostProblem[] }[] } | null, connectionId: string): ChannelProblems {
  const all = report?.targets.find((t) => t.connectionId === connectionId)?.problems ?? [];
  return {
    all,
    byPath: (prefix) => all.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`)),
  };
}

/** A stable id for a field a problem points at, so the problem list can link to it. */
export const fieldId = (connectionId: string, path: string): string => {
  const head = path.split(".")[0] ?? path;
  const target = head === "options" ? path.split(".").slice(0, 2).join("-") : head === "text" || head === "textOverride" || head === "baseText" ? "text" : head;
  return `c-${connectionId}-${target}`;
};
