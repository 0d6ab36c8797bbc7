import { describe, expect, it } from "vitest";
import { CAPABILITIES } from "../../worker/domain/capabilities";
import { validatePost, validateSchedule, validateTarget, type MediaFacts, type TargetDraft } from "../../worker/domain/post-validation";

const MB = 1024 * 1024;
const GB = 1024 * MB;
let seq = 0;
const img = (width: number, height: number, over: Partial<MediaFacts> = {}): MediaFacts => ({ id: `img${++seq}`, kind: "image", mimeType: "image/jpeg", sizeBytes: 500_000, width, height, durationMs: null, ...over });
const vid = (durationMs: number, over: Partial<MediaFacts> = {}): MediaFacts => ({ id: `vid${++seq}`, kind: "video", mimeType: "video/mp4", sizeBytes: 20 * MB, width: 1080, height: 1920, durationMs, ...over });
const many = <T>(n: number, make: () => T) => Array.from({ length: n }, make);
const text = (n: number, ch = "a") => ch.repeat(n);

const TIKTOK = { privacyLevel: "PUBLIC_TO_EVERYONE" };
const YOUTUBE = { title: "Launch day", privacyStatus: "public", madeForKids: false };

type Case = {
  name: string;
  platform: string;
  format: string;
  text?: string;
  media?: MediaFacts[];
  options?: Record<string, unknown>;
  textOverride?: string | null;
  channelKind?: string;
  library?: Record<string, MediaFacts>;
  firstComment?: string;
  /** null: valid. Otherwise the one problem expected (path, and the message or a pattern of it). */
  expect: null | { path: string; message?: string | RegExp };
};

function run(c: Case) {
  const target: TargetDraft = { connectionId: "conn_000000001", platform: c.platform, format: c.format, options: c.options ?? {}, textOverride: c.textOverride ?? null, channelKind: c.channelKind ?? null };
  return validateTarget({ text: c.text ?? "Hello", firstComment: c.firstComment ?? null, media: c.media ?? [], targets: [target], ...(c.library ? { library: c.library } : {}) }, target);
}

const CASES: Case[] = [
  // ── text length, boundary ±1 ──
  { name: "Facebook text at 63,206", platform: "facebook", format: "post", text: text(63_206), expect: null },
  { name: "Facebook text at 63,207", platform: "facebook", format: "post", text: text(63_207), expect: { path: "text", message: "Facebook allows at most 63,206 characters here; this text has 63,207." } },
  { name: "Instagram caption at 2,200", platform: "instagram", format: "feed", text: text(2200), media: [img(1080, 1080)], expect: null },
  { name: "Instagram caption at 2,201", platform: "instagram", format: "feed", text: text(2201), media: [img(1080, 1080)], expect: { path: "text", message: "Instagram allows at most 2,200 characters here; this text has 2,201." } },
  { name: "Threads text at 500", platform: "threads", format: "text", text: text(500), expect: null },
  { name: "Threads text at 501", platform: "threads", format: "text", text: text(501), expect: { path: "text", message: "Threads allows at most 500 characters here; this text has 501." } },
  { name: "Threads counts 500 emoji as 500 characters (code points)", platform: "threads", format: "text", text: text(500, "😀"), expect: null },
  { name: "Threads counts 501 emoji as 501", platform: "threads", format: "text", text: text(501, "😀"), expect: { path: "text", message: /this text has 501\./ } },
  { name: "a Threads thread of ten more posts", platform: "threads", format: "text", text: text(20), options: { chain: Array.from({ length: 10 }, (_, i) => `Post ${i + 2}`) }, expect: null },
  { name: "a Threads thread of eleven more posts", platform: "threads", format: "text", text: text(20), options: { chain: Array.from({ length: 11 }, (_, i) => `Post ${i + 2}`) }, expect: { path: "options.chain", message: "A thread can have at most 10 more posts after the first." } },
  { name: "a Threads thread post over 500 characters", platform: "threads", format: "text", text: text(20), options: { chain: ["fine", text(501)] }, expect: { path: "options.chain.1", message: "Each post of a Threads thread can have at most 500 characters." } },
  { name: "an empty Threads thread post", platform: "threads", format: "text", text: text(20), options: { chain: ["  "] }, expect: { path: "options.chain.0", message: "Write something in this post of the thread, or remove it." } },
  { name: "TikTok caption at 2,200", platform: "tiktok", format: "video", text: text(2200), media: [vid(10_000)], options: TIKTOK, expect: null },
  { name: "TikTok caption at 2,201", platform: "tiktok", format: "video", text: text(2201), media: [vid(10_000)], options: TIKTOK, expect: { path: "text", message: /at most 2,200 characters/ } },
  { name: "LinkedIn text at 3,000", platform: "linkedin", format: "text", text: text(3000), expect: null },
  { name: "LinkedIn text at 3,001", platform: "linkedin", format: "text", text: text(3001), expect: { path: "text", message: "LinkedIn allows at most 3,000 characters here; this text has 3,001." } },
  { name: "YouTube description at 5,000 bytes", platform: "youtube", format: "video", text: text(5000), media: [vid(60_000)], options: YOUTUBE, expect: null },
  { name: "YouTube description at 5,001 bytes", platform: "youtube", format: "video", text: text(5001), media: [vid(60_000)], options: YOUTUBE, expect: { path: "text", message: "YouTube allows at most 5,000 bytes here; this text has 5,001." } },
  { name: "YouTube counts é as two bytes (2,500 fit)", platform: "youtube", format: "video", text: text(2500, "é"), media: [vid(60_000)], options: YOUTUBE, expect: null },
  { name: "YouTube counts é as two bytes (2,501 do not)", platform: "youtube", format: "video", text: text(2501, "é"), media: [vid(60_000)], options: YOUTUBE, expect: { path: "text", message: /this text has 5,002\./ } },
  { name: "YouTube refuses < and > in the description", platform: "youtube", format: "video", text: "a <b> c", media: [vid(60_000)], options: YOUTUBE, expect: { path: "text", message: "YouTube does not accept “<” or “>” in this text." } },
  { name: "Instagram story ignores text (none is published)", platform: "instagram", format: "story", text: text(5000), media: [img(1080, 1920)], expect: null },
  { name: "a text override replaces the base text on its channel", platform: "threads", format: "text", text: text(900), textOverride: "Short version", expect: null },
  { name: "Threads text posts need text", platform: "threads", format: "text", text: "  ", expect: { path: "text", message: "A Threads text post needs some text." } },
  { name: "LinkedIn text posts need text", platform: "linkedin", format: "text", text: "", expect: { path: "text", message: "A LinkedIn text post needs some text." } },
  { name: "Facebook text posts need text", platform: "facebook", format: "post", text: "", expect: { path: "text" } },
  { name: "Instagram: 30 hashtags", platform: "instagram", format: "feed", text: many(30, () => "#tag").join(" "), media: [img(1080, 1080)], expect: null },
  { name: "Instagram: 31 hashtags", platform: "instagram", format: "feed", text: many(31, () => "#tag").join(" "), media: [img(1080, 1080)], expect: { path: "text", message: "Instagram allows at most 30 hashtags; this text has 31." } },
  { name: "Instagram: 21 mentions", platform: "instagram", format: "feed", text: many(21, () => "@friend").join(" "), media: [img(1080, 1080)], expect: { path: "text", message: "Instagram allows at most 20 @mentions; this text has 21." } },

  // ── media counts ──
  { name: "Instagram carousel with 1 item", platform: "instagram", format: "carousel", media: [img(1080, 1080)], expect: { path: "media", message: "An Instagram carousel needs at least 2 images or videos; this post has 1." } },
  { name: "Instagram carousel with 2 items", platform: "instagram", format: "carousel", media: [img(1080, 1080), vid(10_000, { width: 1080, height: 1080 })], expect: null },
  { name: "Instagram carousel with 10 items", platform: "instagram", format: "carousel", media: many(10, () => img(1080, 1080)), expect: null },
  { name: "Instagram carousel with 11 items", platform: "instagram", format: "carousel", media: many(11, () => img(1080, 1080)), expect: { path: "media", message: "An Instagram carousel can have at most 10 images or videos; this post has 11." } },
  { name: "Instagram feed without an image", platform: "instagram", format: "feed", media: [], expect: { path: "media", message: "An Instagram feed post needs exactly 1 image; this post has 0." } },
  { name: "Instagram feed with 2 images", platform: "instagram", format: "feed", media: [img(1080, 1080), img(1080, 1080)], expect: { path: "media", message: "An Instagram feed post can have at most 1 image; this post has 2." } },
  { name: "Threads carousel with 20 items", platform: "threads", format: "carousel", media: many(20, () => img(1080, 1080)), expect: null },
  { name: "Threads carousel with 21 items", platform: "threads", format: "carousel", media: many(21, () => img(1080, 1080)), expect: { path: "media", message: /at most 20/ } },
  { name: "Facebook multi-photo with 1 photo", platform: "facebook", format: "multi_photo", media: [img(1000, 1000)], expect: { path: "media", message: "A Facebook multi-photo post needs at least 2 images; this post has 1." } },
  { name: "Facebook text post with a photo", platform: "facebook", format: "post", media: [img(1000, 1000)], expect: { path: "media", message: "A Facebook text post cannot carry images or videos; choose another format or remove them." } },
  { name: "LinkedIn multi-image with 20", platform: "linkedin", format: "images", media: many(20, () => img(1000, 1000)), expect: null },
  { name: "LinkedIn multi-image with 21", platform: "linkedin", format: "images", media: many(21, () => img(1000, 1000)), expect: { path: "media", message: /at most 20 images/ } },
  { name: "TikTok without a video", platform: "tiktok", format: "video", options: TIKTOK, expect: { path: "media", message: "A TikTok video needs exactly 1 video; this post has 0." } },
  { name: "YouTube with two videos", platform: "youtube", format: "video", media: [vid(60_000), vid(60_000)], options: YOUTUBE, expect: { path: "media" } },

  // ── aspect ratios ──
  { name: "Instagram feed at 1:3 (the sentence)", platform: "instagram", format: "feed", media: [img(1000, 3000)], expect: { path: "media.0", message: "Instagram needs an aspect ratio between 4:5 and 1.91:1; this image is 1:3." } },
  { name: "Instagram feed at exactly 4:5", platform: "instagram", format: "feed", media: [img(1080, 1350)], expect: null },
  { name: "Instagram feed just taller than 4:5", platform: "instagram", format: "feed", media: [img(1080, 1351)], expect: { path: "media.0", message: /this image is 1:1\.25\.$/ } },
  { name: "Instagram feed at exactly 1.91:1", platform: "instagram", format: "feed", media: [img(1910, 1000)], expect: null },
  { name: "Instagram feed just wider than 1.91:1", platform: "instagram", format: "feed", media: [img(1911, 1000)], expect: { path: "media.0", message: /between 4:5 and 1\.91:1; this image is 1\.91:1\.$/ } },
  { name: "Instagram feed at 16:9 is fine", platform: "instagram", format: "feed", media: [img(1920, 1080)], expect: null },
  { name: "Instagram carousel reports the item at fault", platform: "instagram", format: "carousel", media: [img(1080, 1080), img(2000, 1000)], expect: { path: "media.1", message: "Instagram needs an aspect ratio between 4:5 and 1.91:1; this image is 2:1." } },
  { name: "Facebook reel at 9:16", platform: "facebook", format: "reel", media: [vid(30_000, { width: 1080, height: 1920 })], expect: null },
  { name: "Facebook reel at 16:9", platform: "facebook", format: "reel", media: [vid(30_000, { width: 1920, height: 1080 })], expect: { path: "media.0", message: "Facebook needs an aspect ratio of 9:16; this video is 16:9." } },
  { name: "LinkedIn video at 1:2.4", platform: "linkedin", format: "video", media: [vid(10_000, { width: 1000, height: 2400 })], expect: null },
  { name: "LinkedIn video taller than 1:2.4", platform: "linkedin", format: "video", media: [vid(10_000, { width: 1000, height: 2401 })], expect: { path: "media.0", message: /between 1:2\.4 and 2\.4:1/ } },
  { name: "Threads image at 10:1", platform: "threads", format: "image", media: [img(4000, 400)], expect: null },
  { name: "Threads image at 11:1", platform: "threads", format: "image", media: [img(4400, 400)], expect: { path: "media.0", message: /this image is 11:1\./ } },
  { name: "Threads image narrower than 320 px", platform: "threads", format: "image", media: [img(300, 300)], expect: { path: "media.0", message: "Threads needs images at least 320 pixels wide; this one is 300." } },
  { name: "LinkedIn image over 36,152,319 pixels", platform: "linkedin", format: "image", media: [img(6013, 6013)], expect: { path: "media.0", message: /at most 36,152,319 pixels; this one has 36,156,169\./ } },
  { name: "TikTok video with a side under 360 px", platform: "tiktok", format: "video", media: [vid(10_000, { width: 320, height: 640 })], options: TIKTOK, expect: { path: "media.0", message: "TikTok needs each side of a video to be 360–4096 pixels; this one is 320×640." } },

  // ── durations ──
  { name: "TikTok video of 3 s", platform: "tiktok", format: "video", media: [vid(3000)], options: TIKTOK, expect: null },
  { name: "TikTok video of 2.9 s", platform: "tiktok", format: "video", media: [vid(2900)], options: TIKTOK, expect: { path: "media.0", message: "TikTok videos must be at least 3 seconds long; this one is 2.9 seconds." } },
  { name: "TikTok video of 10 min", platform: "tiktok", format: "video", media: [vid(600_000)], options: TIKTOK, expect: null },
  { name: "TikTok video of 10 min 1 s", platform: "tiktok", format: "video", media: [vid(601_000)], options: TIKTOK, expect: { path: "media.0", message: "TikTok videos can be at most 10 minutes long; this one is 10 minutes 1 second." } },
  { name: "Instagram reel of 15 min", platform: "instagram", format: "reel", media: [vid(900_000)], expect: null },
  { name: "Instagram reel of 15 min 1 s", platform: "instagram", format: "reel", media: [vid(901_000)], expect: { path: "media.0", message: /at most 15 minutes/ } },
  { name: "Instagram reel of 2 s", platform: "instagram", format: "reel", media: [vid(2000)], expect: { path: "media.0", message: /at least 3 seconds/ } },
  { name: "Threads video of 5 min", platform: "threads", format: "video", media: [vid(300_000)], expect: null },
  { name: "Threads video of 5 min 1 s", platform: "threads", format: "video", media: [vid(301_000)], expect: { path: "media.0", message: /at most 5 minutes/ } },
  { name: "LinkedIn video of 30 min 1 s", platform: "linkedin", format: "video", media: [vid(1_801_000, { width: 1920, height: 1080 })], expect: { path: "media.0", message: /at most 30 minutes/ } },
  { name: "Facebook reel of 91 s", platform: "facebook", format: "reel", media: [vid(91_000)], expect: { path: "media.0", message: "Facebook videos can be at most 1 minute 30 seconds long; this one is 1 minute 31 seconds." } },
  { name: "Instagram story video of 61 s", platform: "instagram", format: "story", media: [vid(61_000)], expect: { path: "media.0", message: /at most 1 minute/ } },

  { name: "Facebook video of 2 hours", platform: "facebook", format: "video", media: [vid(7_200_000, { width: 1920, height: 1080 })], expect: null },
  { name: "Facebook video as WebM", platform: "facebook", format: "video", media: [vid(10_000, { mimeType: "video/webm" })], expect: { path: "media.0", message: "Facebook accepts MP4 or MOV videos; this one is WebM." } },

  // ── sizes ──
  { name: "Facebook photo of 4 MB", platform: "facebook", format: "photo", media: [img(1000, 1000, { sizeBytes: 4 * MB })], expect: null },
  { name: "Facebook photo over 4 MB", platform: "facebook", format: "photo", media: [img(1000, 1000, { sizeBytes: 4 * MB + 1 })], expect: { path: "media.0", message: "Facebook accepts images up to 4 MB (4,194,304 bytes); this one is 4,194,305 bytes." } },
  { name: "Facebook photo of 5.5 MB", platform: "facebook", format: "photo", media: [img(1000, 1000, { sizeBytes: 5.5 * MB })], expect: { path: "media.0", message: "Facebook accepts images up to 4 MB; this one is 5.5 MB." } },
  { name: "Instagram image over 8 MB", platform: "instagram", format: "feed", media: [img(1080, 1080, { sizeBytes: 8 * MB + 1 })], expect: { path: "media.0", message: /up to 8 MB/ } },
  { name: "TikTok video over 4 GB", platform: "tiktok", format: "video", media: [vid(10_000, { sizeBytes: 4 * GB + 1 })], options: TIKTOK, expect: { path: "media.0", message: /up to 4 GB/ } },
  { name: "LinkedIn video over 500 MB", platform: "linkedin", format: "video", media: [vid(10_000, { sizeBytes: 500 * MB + 1 })], expect: { path: "media.0", message: /up to 500 MB/ } },
  { name: "Threads video over 1 GB", platform: "threads", format: "video", media: [vid(10_000, { sizeBytes: GB + 1 })], expect: { path: "media.0", message: /up to 1 GB/ } },

  // ── kinds and types ──
  { name: "Instagram feed with a video", platform: "instagram", format: "feed", media: [vid(10_000)], expect: { path: "media.0", message: "An Instagram feed post takes images only; item 1 is a video." } },
  { name: "TikTok with an image", platform: "tiktok", format: "video", media: [img(1080, 1920)], options: TIKTOK, expect: { path: "media.0", message: "A TikTok video takes videos only; item 1 is an image." } },
  { name: "LinkedIn multi-image with a video", platform: "linkedin", format: "images", media: [img(1000, 1000), vid(10_000)], expect: { path: "media.1", message: /takes images only; item 2 is a video/ } },
  { name: "Instagram feed with a PNG", platform: "instagram", format: "feed", media: [img(1080, 1080, { mimeType: "image/png" })], expect: { path: "media.0", message: "Instagram accepts JPEG images; this one is PNG." } },
  { name: "Threads image as WebP", platform: "threads", format: "image", media: [img(1080, 1080, { mimeType: "image/webp" })], expect: { path: "media.0", message: "Threads accepts JPEG or PNG images; this one is WebP." } },
  { name: "TikTok accepts WebM", platform: "tiktok", format: "video", media: [vid(10_000, { mimeType: "video/webm" })], options: TIKTOK, expect: null },
  { name: "LinkedIn video as MOV", platform: "linkedin", format: "video", media: [vid(10_000, { mimeType: "video/quicktime", width: 1920, height: 1080 })], expect: { path: "media.0", message: "LinkedIn accepts MP4 videos; this one is MOV." } },
  { name: "a file of unknown kind", platform: "facebook", format: "photo", media: [img(10, 10, { kind: null, mimeType: null })], expect: { path: "media.0", message: "Item 1 is not an image or a video Atelier can read." } },

  // ── options ──
  { name: "TikTok without a privacy level", platform: "tiktok", format: "video", media: [vid(10_000)], options: {}, expect: { path: "options.privacyLevel", message: "Choose who can watch this TikTok video: everyone, friends, followers or only you." } },
  { name: "TikTok with an unknown privacy level", platform: "tiktok", format: "video", media: [vid(10_000)], options: { privacyLevel: "EVERYONE" }, expect: { path: "options.privacyLevel" } },
  { name: "TikTok with all switches", platform: "tiktok", format: "video", media: [vid(10_000)], options: { privacyLevel: "SELF_ONLY", disableComment: true, disableDuet: true, disableStitch: true, brandOrganicToggle: true }, expect: null },
  { name: "TikTok switch that is not a boolean", platform: "tiktok", format: "video", media: [vid(10_000)], options: { ...TIKTOK, disableDuet: "yes" }, expect: { path: "options.disableDuet", message: "Say whether duets are turned off (true or false)." } },
  { name: "TikTok paid partnership cannot be private", platform: "tiktok", format: "video", media: [vid(10_000)], options: { privacyLevel: "SELF_ONLY", brandContentToggle: true }, expect: { path: "options.privacyLevel", message: /paid partnership cannot be private/ } },
  { name: "TikTok unknown option", platform: "tiktok", format: "video", media: [vid(10_000)], options: { ...TIKTOK, duet: true }, expect: { path: "options.duet", message: "This format has no option called “duet”." } },
  { name: "YouTube without a title", platform: "youtube", format: "video", media: [vid(60_000)], options: { privacyStatus: "public", madeForKids: false }, expect: { path: "options.title", message: "Give the YouTube video a title." } },
  { name: "YouTube title of 100 characters", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, title: text(100) }, expect: null },
  { name: "YouTube title of 101 characters", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, title: text(101) }, expect: { path: "options.title", message: "A YouTube title can have at most 100 characters." } },
  { name: "YouTube title with <", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, title: "a < b" }, expect: { path: "options.title", message: "A YouTube title cannot contain < or >." } },
  { name: "YouTube without madeForKids", platform: "youtube", format: "video", media: [vid(60_000)], options: { title: "x", privacyStatus: "public" }, expect: { path: "options.madeForKids", message: "Say whether this video is made for kids (required by YouTube)." } },
  { name: "YouTube without privacyStatus", platform: "youtube", format: "video", media: [vid(60_000)], options: { title: "x", madeForKids: true }, expect: { path: "options.privacyStatus" } },
  { name: "YouTube tags of 500 characters", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, tags: [text(249), text(250)] }, expect: null },
  { name: "YouTube tags of 501 characters", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, tags: [text(250), text(250)] }, expect: { path: "options.tags", message: "YouTube allows at most 500 characters of tags in total." } },
  { name: "YouTube counts quotes around a tag with a space", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, tags: ["a b".padEnd(499, "c")] }, expect: { path: "options.tags" } },
  { name: "YouTube thumbnail of the library", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, thumbnailMediaId: "thumb_0000001" }, library: { thumb_0000001: img(1280, 720, { id: "thumb_0000001", mimeType: "image/png" }) }, expect: null },
  { name: "YouTube thumbnail over 2 MB", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, thumbnailMediaId: "thumb_0000002" }, library: { thumb_0000002: img(1280, 720, { id: "thumb_0000002", sizeBytes: 3 * MB }) }, expect: { path: "options.thumbnailMediaId", message: "YouTube thumbnails can be at most 2 MB; this one is 3 MB." } },
  { name: "YouTube thumbnail not in the library", platform: "youtube", format: "video", media: [vid(60_000)], options: { ...YOUTUBE, thumbnailMediaId: "thumb_0000003" }, expect: { path: "options.thumbnailMediaId", message: /library/ } },
  { name: "LinkedIn connections-only from a member", platform: "linkedin", format: "text", channelKind: "linkedin_member", options: { visibility: "CONNECTIONS" }, expect: null },
  { name: "LinkedIn connections-only from a company page", platform: "linkedin", format: "text", channelKind: "linkedin_organization", options: { visibility: "CONNECTIONS" }, expect: { path: "options.visibility", message: /Only personal profiles/ } },
  { name: "LinkedIn unknown visibility", platform: "linkedin", format: "text", options: { visibility: "FRIENDS" }, expect: { path: "options.visibility" } },
  { name: "Threads reply control", platform: "threads", format: "text", options: { replyControl: "mentioned_only" }, expect: null },
  { name: "Threads unknown reply control", platform: "threads", format: "text", options: { replyControl: "nobody" }, expect: { path: "options.replyControl" } },
  { name: "Instagram reel share-to-feed must be a boolean", platform: "instagram", format: "reel", media: [vid(10_000)], options: { shareToFeed: "no" }, expect: { path: "options.shareToFeed" } },

  // ── first comment ──
  { name: "Instagram first comment of 2,200", platform: "instagram", format: "feed", media: [img(1080, 1080)], firstComment: text(2200), expect: null },
  { name: "Instagram first comment of 2,201", platform: "instagram", format: "feed", media: [img(1080, 1080)], firstComment: text(2201), expect: { path: "firstComment", message: "Instagram comments can have at most 2,200 characters; this first comment has 2,201." } },
  { name: "Facebook first comment of 8,001", platform: "facebook", format: "post", firstComment: text(8001), expect: { path: "firstComment", message: /at most 8,000 characters/ } },
  { name: "Threads has no first comment: it is not posted, not a problem", platform: "threads", format: "text", firstComment: text(9000), expect: null },

  // ── formats and platforms ──
  { name: "an unknown format", platform: "instagram", format: "igtv", media: [img(1080, 1080)], expect: { path: "format", message: "Instagram has no “igtv” format; choose feed, carousel, reel or story." } },
  { name: "Airtable is not a channel", platform: "airtable", format: "post", expect: { path: "connectionId", message: /Airtable is a content source/ } },
];

describe("per-platform validation, table-driven", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const problems = run(c);
    if (c.expect === null) {
      expect(problems).toEqual([]);
      return;
    }
    expect(problems, JSON.stringify(problems)).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.path).toBe(c.expect.path);
    if (typeof c.expect.message === "string") expect(problem?.message).toBe(c.expect.message);
    else if (c.expect.message) expect(problem?.message).toMatch(c.expect.message);
    // Plain sentences: a capital first letter and a full stop at the end.
    expect(problem?.message).toMatch(/^[A-Z0-9“].*[.]$/s);
  });

  it("covers every format of every channel platform with at least one case", () => {
    for (const [platform, caps] of Object.entries(CAPABILITIES)) {
      for (const format of Object.keys(caps.formats)) expect(CASES.some((c) => c.platform === platform && c.format === format), `${platform}/${format}`).toBe(true);
    }
  });

  it("reports every problem of a target at once", () => {
    const target: TargetDraft = { connectionId: "conn_000000001", platform: "tiktok", format: "video", options: {} };
    const problems = validateTarget({ text: text(2201), media: [img(10, 10)], targets: [target] }, target);
    expect(problems.map((p) => p.path)).toEqual(["text", "media.0", "options.privacyLevel"]);
  });
});

describe("a whole post", () => {
  const now = Date.UTC(2026, 10, 29, 12);
  const threads: TargetDraft = { connectionId: "threads_00000001", platform: "threads", format: "text", options: {} };
  const linkedin: TargetDraft = { connectionId: "linkedin_0000001", platform: "linkedin", format: "text", options: {} };

  it("reports per target, valid only when every target is", () => {
    const report = validatePost({ text: text(600), media: [], targets: [threads, linkedin] });
    expect(report.valid).toBe(false);
    expect(report.targets).toEqual([
      { connectionId: "threads_00000001", problems: [{ path: "text", message: "Threads allows at most 500 characters here; this text has 600." }] },
      { connectionId: "linkedin_0000001", problems: [] },
    ]);
  });

  it("resolves the schedule to an instant", () => {
    const report = validatePost({ text: "Hi", media: [], targets: [threads] }, { status: "scheduled", scheduledLocal: "2026-12-01T09:00", timezone: "Europe/Paris", now });
    expect(report).toMatchObject({ valid: true, post: [], scheduledAt: Date.UTC(2026, 11, 1, 8) });
  });

  it.each([
    ["no time", { scheduledLocal: null }, 1, "scheduledLocal", "Choose a date and time to schedule this post."],
    ["a past time", { scheduledLocal: "2026-11-29T12:59" }, 1, "scheduledLocal", "Choose a time in the future to schedule this post."],
    ["a time in the DST gap", { scheduledLocal: "2026-03-29T02:30" }, 1, "scheduledLocal", /does not exist on 29 March 2026 in Europe\/Paris because clocks go forward/],
    ["no channels", { scheduledLocal: "2026-12-01T09:00" }, 0, "targets", "Choose at least one channel to schedule this post."],
  ] as const)("refuses to schedule with %s", (_name, schedule, targetCount, path, message) => {
    const { problems } = validateSchedule({ status: "scheduled", timezone: "Europe/Paris", now, ...schedule }, targetCount);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(path);
    if (typeof message === "string") expect(problems[0]?.message).toBe(message);
    else expect(problems[0]?.message).toMatch(message);
  });

  it("lets drafts have no time, a past time or no channels", () => {
    expect(validateSchedule({ status: "draft", timezone: "Europe/Paris", now, scheduledLocal: null }, 0).problems).toEqual([]);
    expect(validateSchedule({ status: "draft", timezone: "Europe/Paris", now, scheduledLocal: "2026-01-01T09:00" }, 0).problems).toEqual([]);
  });
});
