import { z } from "zod";
import { Id, IsoDateTime, TimeZone, UserSummary } from "./common";
import { Platform } from "./connections";
import { ATTEMPT_OUTCOMES, ATTEMPT_STEPS, NOTIFICATION_KINDS, TARGET_STATES } from "../publishing/states";

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

/** A target's place in the publish ledger (ARCHITECTURE.md §2). */
export const TargetState = z.enum(TARGET_STATES);

export const Target = z.object({
  id: Id,
  connectionId: Id,
  platform: Platform,
  format: z.string(),
  textOverride: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  state: TargetState,
  /** When this channel goes (or went) live; differs from the post's time after "Post now" or a retry. */
  dueAt: IsoDateTime.nullable(),
  /** The live post on the platform, once published. */
  remoteId: z.string().nullable(),
  remoteUrl: z.string().nullable(),
  publishedAt: IsoDateTime.nullable(),
  /** What the person is told about the state in plain words: the platform's reason, what was checked, the next try. */
  statusDetail: z.string().nullable(),
  errorCode: z.string().nullable(),
  /** When the engine tries again (retrying after a transient failure, or polling a processing video). */
  nextAttemptAt: IsoDateTime.nullable(),
  /** Set when the published post was deleted on the platform through Atelier. */
  remoteDeletedAt: IsoDateTime.nullable(),
});
export type Target = z.infer<typeof Target>;

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

/** One step the engine ran for a channel (the post's attempt history). */
export const Attempt = z.object({
  id: Id,
  targetId: Id,
  step: z.enum(ATTEMPT_STEPS),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  outcome: z.enum(ATTEMPT_OUTCOMES).nullable(),
  httpStatus: z.number().int().nullable(),
  platformCode: z.string().nullable(),
  message: z.string().nullable(),
});
export const AttemptList = z.object({ attempts: z.array(Attempt) });

/**
 * Send a failed, needs-reconnect or unconfirmed channel back to the engine. For `unconfirmed`, the
 * person must say they checked the platform and the post is not there (`confirmNotPublished`), because
 * a blind retry is exactly how peers double-post.
 */
export const RetryTargetBody = z.object({ confirmNotPublished: z.boolean().optional() }).strict();

/** Settle an unconfirmed channel by hand after checking the platform: it is live (optionally with its link), or it is not. */
export const ResolveTargetBody = z.object({ outcome: z.enum(["published", "not_published"]), url: z.url().max(2000).optional() }).strict();

export const DeletePostQuery = z.object({
  /** `platform` also removes published channels from the platforms whose API allows it (Facebook, …); `here` keeps them live. */
  remove: z.enum(["here", "platform"]).default("here"),
});

export const Notification = z.object({
  id: Id,
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  body: z.string(),
  postId: Id.nullable(),
  targetId: Id.nullable(),
  connectionId: Id.nullable(),
  /** The action that fixes it: retry the channel, reconnect the channel, or review what was checked. */
  action: z.enum(["retry", "reconnect", "review"]),
  createdAt: IsoDateTime,
  resolvedAt: IsoDateTime.nullable(),
});
export type Notification = z.infer<typeof Notification>;
export const NotificationList = z.object({ notifications: z.array(Notification) });
export const NotificationQuery = z.object({ state: z.enum(["open", "all"]).default("open") });
