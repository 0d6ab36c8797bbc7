import { z } from "zod";
import { Id } from "./common";

/** The live metadata of a published YouTube video, as YouTube reports it now (`videos.list` snippet + status). */
export const YoutubeVideoDetails = z.object({
  videoId: z.string(),
  url: z.string(),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  categoryId: z.string(),
  privacyStatus: z.enum(["public", "private", "unlisted"]),
  madeForKids: z.boolean(),
  thumbnailMediaId: Id.nullable().optional(),
});
export type YoutubeVideoDetails = z.infer<typeof YoutubeVideoDetails>;

/**
 * An edit of a published video (`videos.update`, youtube.md): only the fields sent change; Atelier
 * re-sends the whole `snippet` and `status` parts with the other fields as YouTube has them, because
 * YouTube clears any field of a part that an update leaves out. Same field rules as the composer's
 * YouTube options (worker/domain/capabilities/youtube.ts) and description rules (≤ 5,000 bytes, no < or >).
 */
export const YoutubeVideoEdit = z
  .object({
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    categoryId: z.string(),
    privacyStatus: z.enum(["public", "private", "unlisted"]),
    madeForKids: z.boolean(),
  })
  .partial()
  .strict();
export type YoutubeVideoEdit = z.infer<typeof YoutubeVideoEdit>;
