/**
 * One validator for the composer (in the browser, as the user types) and the API (before anything is
 * stored or scheduled). Pure: only zod, the capabilities data and the contracts.
 * Import it in the UI from `worker/domain/post-validation.ts`.
 */
import type { z } from "zod";
import { capabilitiesFor, YOUTUBE_THUMBNAIL, type FormatCapability, type PlatformCapabilities } from "./capabilities";
import { checkMediaCount, checkMediaItems, formatBytes, mimeName, orList, withArticle, type FieldProblem, type MediaFacts } from "./media-rules";
import { localToInstant } from "./schedule-time";
import { countTags, textLength, unitName } from "./text-length";

export type { FieldProblem, MediaFacts } from "./media-rules";

export type TargetDraft = {
  connectionId: string;
  platform: string;
  /** The connection's kind (`linkedin_member`, `linkedin_organization` …), for rules that depend on it. */
  channelKind?: string | null;
  format: string;
  options: Record<string, unknown>;
  /** Replaces the base text on this channel; `null`/absent uses the base text, `""` means no text. */
  textOverride?: string | null;
};

export type PostDraft = {
  text: string;
  firstComment?: string | null;
  /** The post's media in order. */
  media: MediaFacts[];
  targets: TargetDraft[];
  /** Other library files that options refer to (YouTube `thumbnailMediaId`), by id. */
  library?: Record<string, MediaFacts>;
};

/** When given, the schedule is checked too: scheduling needs a time that exists, in the future, and channels. */
export type ScheduleDraft = { status: "draft" | "scheduled" | "cancelled"; scheduledLocal?: string | null; timezone: string; now: number };

export type TargetReport = { connectionId: string; problems: FieldProblem[] };
export type PostReport = { valid: boolean; post: FieldProblem[]; targets: TargetReport[]; /** The UTC instant of `scheduledLocal`, when it exists. */ scheduledAt: number | null };

const n = (value: number) => value.toLocaleString("en-US");

function checkText(caps: PlatformCapabilities, format: FormatCapability, text: string): FieldProblem[] {
  const rule = format.text;
  if (!rule) return [];
  const problems: FieldProblem[] = [];
  const name = caps.displayName;
  if (rule.required && text.trim() === "") problems.push({ path: "text", message: `${withArticle(`${name} ${format.label}`)} needs some text.` });
  const length = textLength(text, rule.counting);
  if (length > rule.max) problems.push({ path: "text", message: `${name} allows at most ${n(rule.max)} ${unitName(rule.counting, rule.max)} here; this text has ${n(length)}.` });
  if (rule.maxHashtags !== undefined || rule.maxMentions !== undefined) {
    const tags = countTags(text);
    if (rule.maxHashtags !== undefined && tags.hashtags > rule.maxHashtags) problems.push({ path: "text", message: `${name} allows at most ${rule.maxHashtags} hashtags; this text has ${tags.hashtags}.` });
    if (rule.maxMentions !== undefined && tags.mentions > rule.maxMentions) problems.push({ path: "text", message: `${name} allows at most ${rule.maxMentions} @mentions; this text has ${tags.mentions}.` });
  }
  const forbidden = (rule.forbidden ?? []).filter((ch) => text.includes(ch));
  if (forbidden.length) problems.push({ path: "text", message: `${name} does not accept ${orList(forbidden.map((ch) => `“${ch}”`))} in this text.` });
  return problems;
}

function checkFirstComment(caps: PlatformCapabilities, format: FormatCapability, comment: string | null | undefined): FieldProblem[] {
  if (!format.firstComment || !comment) return [];
  const length = textLength(comment, format.firstComment.counting);
  if (length <= format.firstComment.max) return [];
  return [{ path: "firstComment", message: `${caps.displayName} comments can have at most ${n(format.firstComment.max)} characters; this first comment has ${n(length)}.` }];
}

function optionProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return { path: `options.${issue.keys[0] ?? ""}`, message: `This format has no option called ${orList(issue.keys.map((k) => `“${k}”`))}.` };
    return { path: ["options", ...issue.path.map(String)].join("."), message: issue.message };
  });
}

/** Rules between options and the rest of the post that a per-field schema cannot express. */
function crossChecks(target: TargetDraft, options: Record<string, unknown>, library: Record<string, MediaFacts>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (target.platform === "linkedin" && options.visibility === "CONNECTIONS" && target.channelKind && target.channelKind !== "linkedin_member") {
    problems.push({ path: "options.visibility", message: "Only personal profiles can limit a LinkedIn post to connections; a company page posts to anyone or to signed-in members." });
  }
  const thumbnailId = target.platform === "youtube" ? options.thumbnailMediaId : undefined;
  if (typeof thumbnailId === "string") {
    const thumb = library[thumbnailId];
    if (!thumb || thumb.kind !== "image") problems.push({ path: "options.thumbnailMediaId", message: "The YouTube thumbnail must be an image from this workspace's library." });
    else {
      if (!thumb.mimeType || !YOUTUBE_THUMBNAIL.mimeTypes.includes(thumb.mimeType)) problems.push({ path: "options.thumbnailMediaId", message: `YouTube thumbnails must be JPEG or PNG; this one is ${mimeName(thumb.mimeType)}.` });
      if (thumb.sizeBytes > YOUTUBE_THUMBNAIL.maxBytes) problems.push({ path: "options.thumbnailMediaId", message: `YouTube thumbnails can be at most 2 MB; this one is ${formatBytes(thumb.sizeBytes)}.` });
    }
  }
  return problems;
}

/** Problems of one target, each with a field path relative to the target (`text`, `media.1`, `options.privacyLevel`). */
export function validateTarget(post: PostDraft, target: TargetDraft): FieldProblem[] {
  const caps = capabilitiesFor(target.platform);
  if (!caps) return [{ path: "connectionId", message: `${target.platform === "airtable" ? "Airtable" : target.platform} is a content source, not a channel: it cannot publish posts.` }];
  const format = caps.formats[target.format];
  if (!format) {
    const known = Object.keys(caps.formats);
    return [{ path: "format", message: `${caps.displayName} has no “${target.format}” format; choose ${orList(known)}.` }];
  }
  const text = target.textOverride ?? post.text;
  const parsed = format.options.safeParse(target.options);
  return [
    ...checkText(caps, format, text),
    ...checkFirstComment(caps, format, post.firstComment),
    ...checkMediaCount(caps.displayName, format, post.media),
    ...checkMediaItems(caps.displayName, format, post.media),
    ...(parsed.success ? crossChecks(target, parsed.data, post.library ?? {}) : optionProblems(parsed.error)),
  ];
}

/** The schedule's own problems, at `scheduledLocal` / `targets`. */
export function validateSchedule(schedule: ScheduleDraft, targetCount: number): { problems: FieldProblem[]; scheduledAt: number | null } {
  const problems: FieldProblem[] = [];
  let scheduledAt: number | null = null;
  if (schedule.scheduledLocal) {
    const resolved = localToInstant(schedule.scheduledLocal, schedule.timezone);
    if (resolved.ok) scheduledAt = resolved.instant;
    else problems.push({ path: "scheduledLocal", message: resolved.message });
  }
  if (schedule.status === "scheduled") {
    if (!schedule.scheduledLocal) problems.push({ path: "scheduledLocal", message: "Choose a date and time to schedule this post." });
    else if (scheduledAt !== null && scheduledAt <= schedule.now) problems.push({ path: "scheduledLocal", message: "Choose a time in the future to schedule this post." });
    if (targetCount === 0) problems.push({ path: "targets", message: "Choose at least one channel to schedule this post." });
  }
  return { problems, scheduledAt };
}

/**
 * Every target's problems plus, when `schedule` is given, the schedule's. `valid` means the post could be
 * scheduled as it is; drafts are stored even when not valid.
 */
export function validatePost(post: PostDraft, schedule?: ScheduleDraft): PostReport {
  const targets = post.targets.map((t) => ({ connectionId: t.connectionId, problems: validateTarget(post, t) }));
  const sched = schedule ? validateSchedule(schedule, post.targets.length) : { problems: [], scheduledAt: null };
  return { valid: sched.problems.length === 0 && targets.every((t) => t.problems.length === 0), post: sched.problems, targets, scheduledAt: sched.scheduledAt };
}
