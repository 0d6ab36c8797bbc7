import { z } from "zod";
import { GB, SECOND, type FormatCapability, type PlatformCapabilities } from "./types";

/** §4.6: only values in the creator's `privacy_level_options` are accepted at publish time. */
export const TIKTOK_PRIVACY_LEVELS = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"] as const;

/**
 * §3: TikTok's UX rules: the user picks the privacy level (no default), sees the interaction switches and
 * the commercial-content disclosure. Switches default to off (interactions allowed, nothing disclosed).
 */
const PRIVACY_REQUIRED = "Choose who can watch this TikTok video: everyone, friends, followers or only you.";

const options = z
  .object({
    /** "Post directly" (`video.publish`) or "Send to TikTok inbox as a draft" (`video.upload`; the creator finishes it in the app). */
    postMode: z.enum(["direct", "inbox"], { error: "Choose whether to post directly or send the video to the TikTok inbox as a draft." }).default("direct"),
    /** Required for direct posts; an inbox draft's audience is chosen by the creator in the app (§4.3). */
    privacyLevel: z.enum(TIKTOK_PRIVACY_LEVELS, { error: PRIVACY_REQUIRED }).optional(),
    disableComment: z.boolean({ error: "Say whether comments are turned off (true or false)." }).default(false),
    disableDuet: z.boolean({ error: "Say whether duets are turned off (true or false)." }).default(false),
    disableStitch: z.boolean({ error: "Say whether stitches are turned off (true or false)." }).default(false),
    /** Paid partnership. */
    brandContentToggle: z.boolean({ error: "Say whether this is a paid partnership (true or false)." }).default(false),
    /** Promoting your own brand. */
    brandOrganicToggle: z.boolean({ error: "Say whether this promotes your own business (true or false)." }).default(false),
    /** §4.1 `is_aigc`: the AI-generated content label. */
    isAigc: z.boolean({ error: "Say whether this video is AI-generated (true or false)." }).default(false),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.postMode === "direct" && value.privacyLevel === undefined) {
      ctx.addIssue({ code: "custom", path: ["privacyLevel"], message: PRIVACY_REQUIRED });
    }
    // TikTok refuses branded content that only the creator can see (content-sharing guidelines; unverified in our notes).
    if (value.brandContentToggle && value.privacyLevel === "SELF_ONLY") {
      ctx.addIssue({ code: "custom", path: ["privacyLevel"], message: "A paid partnership cannot be private on TikTok; choose who else can watch it." });
    }
  });

const formats: Record<string, FormatCapability> = {
  /**
   * tiktok.md §4.1 and §4.7: caption (`title`) ≤ 2,200 characters (unverified), counted in code points
   * (unverified); MP4/MOV/WebM, ≤ 4 GB, 3 s up to the creator's `max_video_post_duration_sec` (typically
   * 600 s: used here; the creator's own limit is checked at publish time), each side 360–4096 px.
   */
  video: {
    label: "video",
    text: { max: 2200, counting: "code_points" },
    media: { min: 1, max: 1, kinds: ["video"] },
    video: { mimeTypes: ["video/mp4", "video/quicktime", "video/webm"], maxBytes: 4 * GB, minDurationMs: 3 * SECOND, maxDurationMs: 600 * SECOND, minSidePx: 360, maxSidePx: 4096 },
    options,
    firstComment: null,
  },
};

export const tiktok: PlatformCapabilities = { platform: "tiktok", displayName: "TikTok", formats };
