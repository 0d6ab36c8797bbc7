import { z } from "zod";
import { Id } from "../../contracts/common";
import { GB, SECOND, type FormatCapability, type PlatformCapabilities } from "./types";

const noAngles = (value: string) => !/[<>]/.test(value);

/** YouTube counts a tag with a space as if quoted (+2), plus a comma between tags (unverified; §2.1 only says "total ≤ 500"). */
export function youtubeTagsLength(tags: string[]): number {
  return tags.reduce((sum, tag) => sum + [...tag].length + (tag.includes(" ") ? 2 : 0), 0) + Math.max(0, tags.length - 1);
}

/**
 * youtube.md §2.1 field rules. The post's text is the video's description (≤ 5,000 bytes, see below);
 * `thumbnailMediaId` names an image of the library (§2.5: JPEG/PNG ≤ 2 MB, checked by the validator).
 */
const options = z
  .object({
    title: z
      .string({ error: "Give the YouTube video a title." })
      .trim()
      .min(1, "Give the YouTube video a title.")
      .refine((t) => [...t].length <= 100, "A YouTube title can have at most 100 characters.")
      .refine(noAngles, "A YouTube title cannot contain < or >."),
    tags: z
      .array(z.string().trim().min(1, "Remove the empty tag.").refine(noAngles, "A YouTube tag cannot contain < or >."), { error: "Tags must be a list of words." })
      .default([])
      .refine((tags) => youtubeTagsLength(tags) <= 500, "YouTube allows at most 500 characters of tags in total."),
    /** Video category; 22 is "People & Blogs" (YouTube's default). */
    categoryId: z.string().regex(/^\d{1,3}$/, "Choose a YouTube category.").default("22"),
    privacyStatus: z.enum(["public", "private", "unlisted"], { error: "Choose whether the video is public, unlisted or private." }),
    /** `selfDeclaredMadeForKids`: an audience declaration YouTube requires (COPPA), so there is no default. */
    madeForKids: z.boolean({ error: "Say whether this video is made for kids (required by YouTube)." }),
    thumbnailMediaId: Id.nullable().optional(),
  })
  .strict();

const formats: Record<string, FormatCapability> = {
  /**
   * §2.1: description ≤ 5,000 bytes (UTF-8) without < or >; any `video/*`. The doc gives no size or length
   * limit: 256 GB and 12 hours are YouTube's published upload limits (unverified); unverified channels are
   * limited to 15 minutes, which only YouTube can check.
   */
  video: {
    label: "video",
    text: { max: 5000, counting: "utf8_bytes", forbidden: ["<", ">"] },
    media: { min: 1, max: 1, kinds: ["video"] },
    video: { mimeTypes: ["video/mp4", "video/quicktime", "video/webm", "video/x-msvideo", "video/x-matroska", "video/mpeg"], maxBytes: 256 * GB, minDurationMs: 1 * SECOND, maxDurationMs: 12 * 3600 * SECOND },
    options,
    firstComment: null,
  },
};

/** §2.5: thumbnails are JPEG/PNG of at most 2 MB. */
export const YOUTUBE_THUMBNAIL = { mimeTypes: ["image/jpeg", "image/png"], maxBytes: 2 * 1024 * 1024 };

export const youtube: PlatformCapabilities = { platform: "youtube", displayName: "YouTube", formats };
