import { z } from "zod";
import { GB, MB, MINUTE, ratio, SECOND, type FormatCapability, type ImageRule, type PlatformCapabilities, type TextRule, type VideoRule } from "./types";

/**
 * Instagram (shared/platforms/instagram.md §2).
 * §2.1: caption ≤ 2,200 characters, ≤ 30 hashtags, ≤ 20 @mentions. Counted in code points (unverified:
 * Meta does not say how emoji count).
 */
const caption: TextRule = { max: 2200, counting: "code_points", maxHashtags: 30, maxMentions: 20 };

/** §2.1: JPEG only (no MPO/JPS), aspect 4:5 … 1.91:1, keep ≤ 8 MB (size unverified). */
const feedImage: ImageRule = { mimeTypes: ["image/jpeg"], maxBytes: 8 * MB, aspect: { min: ratio(4, 5), max: ratio(191, 100, "1.91:1") } };

/** §2.3: MOV/MP4, 3 s – 15 min, ≤ 1 GB; 9:16 is recommended, not required (Instagram crops), so it is not enforced. */
const reelVideo: VideoRule = { mimeTypes: ["video/mp4", "video/quicktime"], maxBytes: 1 * GB, minDurationMs: 3 * SECOND, maxDurationMs: 15 * MINUTE };

/** Carousel videos: §2.2 gives no separate limits; the 60 s cap is Meta's carousel spec (unverified). */
const carouselVideo: VideoRule = { ...reelVideo, maxDurationMs: 60 * SECOND, aspect: feedImage.aspect };

/** §2.4 stories: one image or video; no caption. 9:16 full screen; 3–60 s and ≤ 100 MB are Meta's story specs (unverified). */
const storyImage: ImageRule = { mimeTypes: ["image/jpeg"], maxBytes: 8 * MB };
const storyVideo: VideoRule = { mimeTypes: ["video/mp4", "video/quicktime"], maxBytes: 100 * MB, minDurationMs: 3 * SECOND, maxDurationMs: 60 * SECOND };

/** §2.3 `share_to_feed`: true shows the reel in Feed and the Reels tab. */
const reelOptions = z.object({ shareToFeed: z.boolean({ error: "Say whether the reel also appears in the feed (true or false)." }).default(true) }).strict();
const noOptions = z.object({}).strict();

/** §3: a comment on the new media; Instagram comments share the caption's 2,200-character limit (unverified). */
const firstComment = { max: 2200, counting: "code_points" } as const;

const formats: Record<string, FormatCapability> = {
  feed: { label: "feed post", text: caption, media: { min: 1, max: 1, kinds: ["image"] }, image: feedImage, options: noOptions, firstComment },
  /** §2.2: 2–10 items, images and/or videos. */
  carousel: { label: "carousel", text: caption, media: { min: 2, max: 10, kinds: ["image", "video"] }, image: feedImage, video: carouselVideo, options: noOptions, firstComment },
  reel: { label: "reel", text: caption, media: { min: 1, max: 1, kinds: ["video"] }, video: reelVideo, options: reelOptions, firstComment },
  story: { label: "story", text: null, media: { min: 1, max: 1, kinds: ["image", "video"] }, image: storyImage, video: storyVideo, options: noOptions, firstComment: null },
};

export const instagram: PlatformCapabilities = { platform: "instagram", displayName: "Instagram", formats };
