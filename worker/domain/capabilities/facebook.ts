import { z } from "zod";
import { GB, MB, MINUTE, ratio, SECOND, type FormatCapability, type ImageRule, type PlatformCapabilities, type TextRule, type VideoRule } from "./types";

/**
 * Facebook Pages (shared/platforms/meta-auth-and-pages.md §3).
 * Text: counted in code points. The 63,206-character limit is Facebook's long-standing post limit and is
 * not in our notes (unverified); so is the counting rule.
 */
const text: TextRule = { max: 63_206, counting: "code_points" };

/** §3.2: JPEG/PNG/GIF/BMP/TIFF, keep ≤ 4 MB (subcode 1366046 otherwise). */
const image: ImageRule = { mimeTypes: ["image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"], maxBytes: 4 * MB };

/** §3.4–3.5 give no limits: 10 GB and 240 minutes are Facebook's published Page video limits (unverified). */
const video: VideoRule = { mimeTypes: ["video/mp4", "video/quicktime"], maxBytes: 10 * GB, minDurationMs: 1 * SECOND, maxDurationMs: 240 * MINUTE };

/** §3.6 Reels: vertical 9:16 (a few pixels of rounding allowed), 3–90 s and ≤ 1 GB are Meta's Reels publishing specs (unverified). */
const reel: VideoRule = { mimeTypes: ["video/mp4", "video/quicktime"], maxBytes: 1 * GB, minDurationMs: 3 * SECOND, maxDurationMs: 90 * SECOND, aspect: { min: ratio(56, 100, "9:16"), max: ratio(57, 100, "9:16") } };

const noOptions = z.object({}).strict();

/** §4: comments are posted with the Page token; 8,000 characters is Facebook's comment limit (unverified). */
const firstComment = { max: 8000, counting: "code_points" } as const;

const formats: Record<string, FormatCapability> = {
  /** §3.1: either a message or a link is required; links are part of the text here. */
  post: { label: "text post", text: { ...text, required: true }, media: { min: 0, max: 0, kinds: [] }, options: noOptions, firstComment },
  photo: { label: "photo", text, media: { min: 1, max: 1, kinds: ["image"] }, image, options: noOptions, firstComment },
  /** §3.3: unpublished photos + attached_media. The 10-photo cap is what Meta's composer allows (unverified). */
  multi_photo: { label: "multi-photo post", text, media: { min: 2, max: 10, kinds: ["image"] }, image, options: noOptions, firstComment },
  video: { label: "video", text, media: { min: 1, max: 1, kinds: ["video"] }, video, options: noOptions, firstComment },
  reel: { label: "reel", text, media: { min: 1, max: 1, kinds: ["video"] }, video: reel, options: noOptions, firstComment },
};

export const facebook: PlatformCapabilities = { platform: "facebook", displayName: "Facebook", formats };
