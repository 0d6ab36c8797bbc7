import type { TiktokCreatorInfo } from "../../../../worker/contracts/tiktok.ts";
import { TIKTOK_PRIVACY_LEVELS } from "../../../../worker/domain/capabilities/tiktok.ts";

export type TiktokPrivacy = (typeof TIKTOK_PRIVACY_LEVELS)[number];
export type TiktokPostMode = "direct" | "inbox";

export const TIKTOK_PRIVACY_LABEL: Record<TiktokPrivacy, string> = {
  PUBLIC_TO_EVERYONE: "Everyone",
  MUTUAL_FOLLOW_FRIENDS: "Friends",
  FOLLOWER_OF_CREATOR: "Followers",
  SELF_ONLY: "Only me",
};

export const postModeOf = (options: Record<string, unknown>): TiktokPostMode => (options.postMode === "inbox" ? "inbox" : "direct");

/** The privacy levels to offer: the creator's own when known (a private account has no "Everyone"), else all. */
export function privacyChoices(info: TiktokCreatorInfo | null): [TiktokPrivacy, string][] {
  const levels = info ? TIKTOK_PRIVACY_LEVELS.filter((l) => info.privacyLevelOptions.includes(l)) : [...TIKTOK_PRIVACY_LEVELS];
  return levels.map((l) => [l, TIKTOK_PRIVACY_LABEL[l]]);
}

/**
 * What the options must become for what the creator allows (tiktok.md §3): a switch the creator turned
 * off is sent as disabled, a privacy level TikTok no longer offers is dropped (the person picks again),
 * no Direct Post without the `video.publish` scope, and no privacy level in inbox mode (the creator
 * chooses it in the TikTok app). Returns null when nothing has to change, so the draft is not re-saved.
 */
export function enforcedTiktokOptions(info: TiktokCreatorInfo | null, options: Record<string, unknown>): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (info) {
    if (info.commentDisabled && options.disableComment !== true) patch.disableComment = true;
    if (info.duetDisabled && options.disableDuet !== true) patch.disableDuet = true;
    if (info.stitchDisabled && options.disableStitch !== true) patch.disableStitch = true;
    if (!info.directPostAvailable && options.postMode !== "inbox") patch.postMode = "inbox";
    const level = options.privacyLevel;
    if (typeof level === "string" && !(info.privacyLevelOptions as string[]).includes(level)) patch.privacyLevel = undefined;
  }
  const mode = "postMode" in patch ? patch.postMode : options.postMode;
  if (mode === "inbox" && options.privacyLevel !== undefined) patch.privacyLevel = undefined;
  return Object.keys(patch).length ? patch : null;
}

/** A warning when the chosen video is longer than this creator may post (their limit, not TikTok's general one). */
export function durationWarning(info: TiktokCreatorInfo | null, videoDurationMs: number | null | undefined): string | null {
  if (!info || !videoDurationMs) return null;
  const seconds = Math.ceil(videoDurationMs / 1000);
  if (seconds <= info.maxVideoPostDurationSec) return null;
  return `This video is ${formatSeconds(seconds)} long; ${info.nickname} can post videos of at most ${formatSeconds(info.maxVideoPostDurationSec)} on TikTok.`;
}

/** 75 → "1 min 15 s", 600 → "10 min", 42 → "42 s". */
export function formatSeconds(total: number): string {
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (!minutes) return `${seconds} s`;
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
