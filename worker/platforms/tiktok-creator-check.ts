import type { PublishJob, PublishMedia } from "../publishing/types";
import { CANNOT_POST_CODES, MISSING_SCOPE_CODES, queryCreatorInfo, type CreatorInfo } from "./tiktok-api";
import type { AdapterContext, PlatformFailure } from "./types";

/** The TikTok format options as the capability schema parses them (worker/domain/capabilities/tiktok.ts). */
export type PostOptions = {
  postMode: "direct" | "inbox";
  privacyLevel?: string;
  disableComment: boolean;
  disableDuet: boolean;
  disableStitch: boolean;
  brandContentToggle: boolean;
  brandOrganicToggle: boolean;
  isAigc: boolean;
};

export type ModeDecision =
  | { ok: true; mode: "direct" | "inbox"; inboxFallback: boolean; postInfo: Record<string, unknown>; username: string | null }
  | { ok: false; failure: PlatformFailure };

const LEVEL_WORDS: Record<string, string> = {
  PUBLIC_TO_EVERYONE: "everyone",
  MUTUAL_FOLLOW_FRIENDS: "friends",
  FOLLOWER_OF_CREATOR: "followers",
  SELF_ONLY: "only the creator",
};

const durationWords = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? "" : "s"}` : `${seconds} seconds`);

/**
 * The creator_info pre-check TikTok requires before every post (§3), and the mode it leads to:
 * the chosen audience must be one the creator offers, the video no longer than the creator's limit,
 * and interactions the creator turned off are sent as off. Asked for Direct Post on a connection
 * without `video.publish`, creator_info's scope refusal sends the video to the inbox instead.
 */
export async function decideMode(ctx: AdapterContext, job: PublishJob, options: PostOptions, video: PublishMedia): Promise<ModeDecision> {
  const inbox = (fallback: boolean): ModeDecision => ({ ok: true, mode: "inbox", inboxFallback: fallback, postInfo: { title: job.text }, username: null });
  if (options.postMode === "inbox") return inbox(false);

  const answer = await queryCreatorInfo(ctx, job.accessToken);
  if (!answer.ok) {
    const code = answer.failure.platformCode ?? "";
    if (MISSING_SCOPE_CODES.has(code)) return inbox(true);
    return { ok: false, failure: answer.failure };
  }
  const creator = answer.value;
  const refusal = creatorRefusal(creator, options, video);
  if (refusal) return { ok: false, failure: refusal };
  return {
    ok: true,
    mode: "direct",
    inboxFallback: false,
    username: creator.creator_username || null,
    postInfo: {
      title: job.text,
      privacy_level: options.privacyLevel,
      disable_comment: options.disableComment || creator.comment_disabled,
      disable_duet: options.disableDuet || creator.duet_disabled,
      disable_stitch: options.disableStitch || creator.stitch_disabled,
      brand_content_toggle: options.brandContentToggle,
      brand_organic_toggle: options.brandOrganicToggle,
      is_aigc: options.isAigc,
    },
  };
}

function creatorRefusal(creator: CreatorInfo, options: PostOptions, video: PublishMedia): PlatformFailure | null {
  const name = creator.creator_nickname || "this account";
  if (!options.privacyLevel) return { kind: "fatal", message: "Choose who can watch this TikTok video before it can be posted directly." };
  if (!creator.privacy_level_options.includes(options.privacyLevel)) {
    const offered = creator.privacy_level_options.map((l) => LEVEL_WORDS[l] ?? l).join(", ");
    return { kind: "fatal", platformCode: "privacy_level_option_mismatch", message: `TikTok does not let ${name} post to ${LEVEL_WORDS[options.privacyLevel] ?? options.privacyLevel}; choose one of: ${offered}.` };
  }
  const maxSeconds = creator.max_video_post_duration_sec;
  if (video.durationMs !== null && video.durationMs > maxSeconds * 1000) {
    return { kind: "fatal", platformCode: "duration_check_failed", message: `TikTok lets ${name} post videos of at most ${durationWords(maxSeconds)}; this one is ${Math.ceil(video.durationMs / 1000)} seconds long.` };
  }
  return null;
}

/** creator_info's "cannot post now" refusals, for the composer (the route) rather than as a failure. */
export function cannotPostReason(failure: PlatformFailure): string | null {
  return failure.platformCode && CANNOT_POST_CODES.has(failure.platformCode) ? failure.message : null;
}
