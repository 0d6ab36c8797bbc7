import { z } from "zod";
import { Id, IsoDateTime, TimeZone, UserSummary } from "./common";
import { Platform } from "./connections";

/**
 * Formats per platform (one target per channel chooses one). The options each format accepts are
 * validated against the platform's declared capabilities (worker/domain/capabilities).
 */
export const POST_FORMATS = {
  facebook: ["post", "photo", "multi_photo", "video", "reel"],
  instagram: ["feed", "carousel", "reel", "story"],
  threads: ["text", "image", "video", "carousel"],
  tiktok: ["video"],
  linkedin: ["text", "image", "images", "video"],
  youtube: ["video"],
  airtable: [],
} as const;

export const PostStatus = z.enum(["draft", "scheduled", "cancelled"]);

/** A wall-clock time in the post's zone, `YYYY-MM-DDTHH:mm` (seconds optional). */
export const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Use a date and time like 2026-03-29T09:00.");

export const TargetInput = z
  .object({
    connectionId: Id,
    format: z.string().min(1).max(30),
    /** Replaces the base text on this channel only. */
    textOverride: z.string().max(70_000).nullable().optional(),
    /** Format options (TikTok privacy level and switches, YouTube title/tags/privacy, LinkedIn author …). */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const postFields = {
  baseText: z.string().max(70_000),
  firstComment: z.string().max(10_000).nullable().optional(),
  mediaIds: z.array(Id).max(35),
  status: z.enum(["draft", "scheduled"]),
  /** Required when scheduling: the wall-clock time in `timezone` (DST-correct: 09:00 stays 09:00). */
  scheduledLocal: LocalDateTime.nullable().optional(),
  timezone: TimeZone,
  targets: z.array(TargetInput).max(50),
};

export const PostInput = z
  .object({
    ...postFields,
    baseText: postFields.baseText.default(""),
    mediaIds: postFields.mediaIds.default([]),
    status: postFields.status.default("draft"),
    targets: postFields.targets.default([]),
  })
  .strict();
export type PostInput = z.infer<typeof PostInput>;

/**
 * Only the fields sent change (no defaults here, so an absent list is kept, not emptied). `targets` and `mediaIds`, when sent, replace the whole list. Rescheduling is
 * a PATCH of `scheduledLocal` (and/or `timezone`: the wall-clock time is kept in the new zone);
 * `status: "cancelled"` takes a post off the schedule.
 */
export const UpdatePostBody = z
  .object(postFields)
  .partial()
  .extend({
    status: PostStatus.optional(),
    /** The revision the editor started from: a stale edit is refused (409). */
    revision: z.number().int().min(1),
  })
  .strict();

export const FieldProblem = z.object({ path: z.string(), message: z.string() });

/** Problems with one target, each with a field path (`text`, `media.1`, `options.privacyLevel` …). */
export const TargetProblems = z.object({ connectionId: Id, problems: z.array(FieldProblem) });

/**
 * `valid`: the post could be scheduled as it is. `post` holds problems of the post itself (`scheduledLocal`,
 * `targets`), `targets` those of each channel. Produced by worker/domain/post-validation.ts.
 */
export const ValidationReport = z.object({ valid: z.boolean(), post: z.array(FieldProblem), targets: z.array(TargetProblems) });
export type ValidationReport = z.infer<typeof ValidationReport>;

export const Target = z.object({
  id: Id,
  connectionId: Id,
  platform: Platform,
  format: z.string(),
  textOverride: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  state: PostStatus,
});

export const Post = z.object({
  id: Id,
  status: PostStatus,
  baseText: z.string(),
  firstComment: z.string().nullable(),
  mediaIds: z.array(Id),
  scheduledAt: IsoDateTime.nullable(),
  scheduledLocal: LocalDateTime.nullable(),
  timezone: z.string(),
  revision: z.number().int(),
  targets: z.array(Target),
  createdBy: UserSummary.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** The post checked against every target's rules (on create, get and update; not in lists). */
  validation: ValidationReport.optional(),
});
export type Post = z.infer<typeof Post>;

export const PostQuery = z.object({
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  state: PostStatus.optional(),
  channel: Id.optional().describe("A connection id."),
});
export const PostList = z.object({ posts: z.array(Post) });
