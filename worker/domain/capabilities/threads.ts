import { z } from "zod";
import { GB, MB, MINUTE, ratio, SECOND, type FormatCapability, type ImageRule, type PlatformCapabilities, type TextRule, type VideoRule } from "./types";

/**
 * Threads (shared/platforms/threads.md §2–3).
 * §2.1: text ≤ 500 characters, counted here in code points. One integration note says emoji may count by
 * UTF-8 bytes (unverified): if that proves true, switch `counting` to "utf8_bytes".
 */
const text: TextRule = { max: 500, counting: "code_points" };

/** §2.1: JPEG/PNG, ≤ 8 MB, width ≥ 320 px (wider images are scaled down), aspect at most 10:1 either way (1:10 unverified). */
const image: ImageRule = { mimeTypes: ["image/jpeg", "image/png"], maxBytes: 8 * MB, minWidth: 320, aspect: { min: ratio(1, 10), max: ratio(10, 1) } };

/** §2.1: MOV/MP4, ≤ 5 minutes, ≤ 1 GB. The 1 s minimum is ours (unverified). */
const video: VideoRule = { mimeTypes: ["video/mp4", "video/quicktime"], maxBytes: 1 * GB, minDurationMs: 1 * SECOND, maxDurationMs: 5 * MINUTE };

/** At most this many posts follow the first one in a thread (ours: threads.md gives no limit beyond the 1,000 replies a day). */
export const THREADS_CHAIN_MAX = 10;

/**
 * §2.1 `reply_control`, and `chain`: more posts published as replies under the first, in order
 * (§8 "reply chains": each link is a TEXT container with `reply_to_id` = the previous post).
 */
const options = z
  .object({
    replyControl: z
      .enum(["everyone", "accounts_you_follow", "mentioned_only", "parent_post_author_only", "followers_only"], { error: "Choose who can reply: everyone, accounts you follow, mentioned only, the post's author only or followers only." })
      .default("everyone"),
    chain: z
      .array(
        z
          .string({ error: "Each post of the thread is text." })
          .trim()
          .min(1, "Write something in this post of the thread, or remove it.")
          .refine((t) => [...t].length <= text.max, `Each post of a Threads thread can have at most ${text.max} characters.`),
        { error: "The rest of the thread must be a list of posts." },
      )
      .max(THREADS_CHAIN_MAX, `A thread can have at most ${THREADS_CHAIN_MAX} more posts after the first.`)
      .default([]),
  })
  .strict();

const formats: Record<string, FormatCapability> = {
  text: { label: "text post", text: { ...text, required: true }, media: { min: 0, max: 0, kinds: [] }, options, firstComment: null },
  image: { label: "image post", text, media: { min: 1, max: 1, kinds: ["image"] }, image, options, firstComment: null },
  video: { label: "video post", text, media: { min: 1, max: 1, kinds: ["video"] }, video, options, firstComment: null },
  /** §2.1 `children`: 2–20 items. */
  carousel: { label: "carousel", text, media: { min: 2, max: 20, kinds: ["image", "video"] }, image, video, options, firstComment: null },
};

export const threads: PlatformCapabilities = { platform: "threads", displayName: "Threads", formats };
