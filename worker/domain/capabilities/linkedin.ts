import { z } from "zod";
import { MB, MINUTE, ratio, SECOND, type FormatCapability, type ImageRule, type PlatformCapabilities, type TextRule, type VideoRule } from "./types";

/**
 * LinkedIn (shared/platforms/linkedin.md §4–6).
 * §4.1: `commentary` ≤ 3,000 characters, counted here in code points before escaping (LinkedIn counts the
 * text readers see; unverified).
 */
const text: TextRule = { max: 3000, counting: "code_points" };

/**
 * §5: JPG/PNG/GIF, fewer than 36,152,320 pixels. No byte limit is documented: 36 MB is ours (unverified).
 */
const image: ImageRule = { mimeTypes: ["image/jpeg", "image/png", "image/gif"], maxBytes: 36 * MB, maxPixels: 36_152_320 - 1 };

/** §6.4: MP4, 3 s – 30 min, ≤ 500 MB (some accounts 5 GB, unverified), aspect 1:2.4 – 2.4:1. */
const video: VideoRule = { mimeTypes: ["video/mp4"], maxBytes: 500 * MB, minDurationMs: 3 * SECOND, maxDurationMs: 30 * MINUTE, aspect: { min: ratio(10, 24, "1:2.4"), max: ratio(24, 10, "2.4:1") } };

/** §4.1 `visibility`: CONNECTIONS exists for member profiles only (checked by the validator with the channel kind). */
export const LINKEDIN_VISIBILITY = ["PUBLIC", "CONNECTIONS", "LOGGED_IN"] as const;
const options = z
  .object({ visibility: z.enum(LINKEDIN_VISIBILITY, { error: "Choose who can see this LinkedIn post: anyone, connections only or signed-in members." }).default("PUBLIC") })
  .strict();

const formats: Record<string, FormatCapability> = {
  text: { label: "text post", text: { ...text, required: true }, media: { min: 0, max: 0, kinds: [] }, options, firstComment: null },
  image: { label: "image post", text, media: { min: 1, max: 1, kinds: ["image"] }, image, options, firstComment: null },
  /** §4.1 `multiImage`: 2–20 images (the 20 is LinkedIn's documented multi-image maximum; unverified in our notes). */
  images: { label: "multi-image post", text, media: { min: 2, max: 20, kinds: ["image"] }, image, options, firstComment: null },
  video: { label: "video post", text, media: { min: 1, max: 1, kinds: ["video"] }, video, options, firstComment: null },
};

export const linkedin: PlatformCapabilities = { platform: "linkedin", displayName: "LinkedIn", formats };
