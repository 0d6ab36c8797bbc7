import { z } from "zod";

/**
 * The shapes of Meta webhook entries (../shared/platforms/meta-webhooks-and-deletion.md §4), parsed
 * loosely: Meta adds fields freely, and only what the inbox reads is required.
 */

/** Seconds in `changes`, milliseconds in `messaging`: both are accepted as numbers or numeric strings. */
const Timestamp = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

const Change = z.looseObject({ field: z.string(), value: z.unknown() });

export const MetaEntry = z.looseObject({
  id: z.string().min(1),
  time: Timestamp.optional(),
  changes: z.array(Change).optional(),
  messaging: z.array(z.unknown()).optional(),
});
export type MetaEntry = z.infer<typeof MetaEntry>;

const Person = z.looseObject({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() });

/** `feed` change values; only `item: "comment"` is read (reactions, likes, posts … are skipped before this). */
export const PageFeedComment = z.looseObject({
  item: z.literal("comment"),
  verb: z.enum(["add", "edited", "remove", "hide", "unhide"]),
  post_id: z.string().min(1),
  comment_id: z.string().min(1),
  parent_id: z.string().optional(),
  // Missing when the app lacks Advanced Access for the commenter (unverified, per the doc).
  from: Person.optional(),
  message: z.string().optional(),
  created_time: Timestamp.optional(),
  post: z.looseObject({ permalink_url: z.string().optional() }).optional(),
  photo: z.string().optional(),
  video: z.string().optional(),
});
export type PageFeedComment = z.infer<typeof PageFeedComment>;

/** Instagram `comments` change values (no verb and no time of their own: the entry's time is used). */
export const InstagramComment = z.looseObject({
  id: z.string().min(1),
  text: z.string().optional(),
  from: Person.optional(),
  media: z.looseObject({ id: z.string().min(1), media_product_type: z.string().optional() }),
  parent_id: z.string().optional(),
});
export type InstagramComment = z.infer<typeof InstagramComment>;

const Attachment = z.looseObject({ type: z.string(), payload: z.looseObject({ url: z.string().optional() }).nullish() });

/** One `messaging[]` event; only `message` (and Instagram's `message_edit`) is read, deliveries and reads are ignored. */
export const MessagingEvent = z.looseObject({
  sender: z.looseObject({ id: z.string().min(1) }),
  recipient: z.looseObject({ id: z.string().min(1) }),
  timestamp: Timestamp,
  message: z
    .looseObject({
      mid: z.string().min(1),
      text: z.string().optional(),
      attachments: z.array(Attachment).optional(),
      is_echo: z.boolean().optional(),
      // Instagram marks an unsent message this way (unverified: from Meta's Postman examples).
      is_deleted: z.boolean().optional(),
    })
    .optional(),
  // Instagram's edit notification (unverified shape: `{mid, text, num_edit}`).
  message_edit: z.looseObject({ mid: z.string().min(1), text: z.string().optional() }).optional(),
});
export type MessagingEvent = z.infer<typeof MessagingEvent>;

/**
 * Meta's documented units are seconds for `changes` and milliseconds for `messaging`; a value below
 * 10^12 cannot be a millisecond time after 2001, so it is read as seconds either way.
 */
export function toMillis(timestamp: number): number {
  return timestamp < 1e12 ? Math.round(timestamp * 1000) : Math.round(timestamp);
}
