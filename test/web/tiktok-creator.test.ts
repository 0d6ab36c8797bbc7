import { describe, expect, it } from "vitest";
import { durationWarning, enforcedTiktokOptions, formatSeconds, postModeOf, privacyChoices } from "../../web/src/features/composer/tiktok-creator.ts";
import type { TiktokCreatorInfo } from "../../worker/contracts/tiktok";

const creator = (extra: Partial<TiktokCreatorInfo> = {}): TiktokCreatorInfo => ({
  nickname: "Acme Bakery",
  username: "acme",
  avatarUrl: null,
  privacyLevelOptions: ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
  commentDisabled: false,
  duetDisabled: false,
  stitchDisabled: false,
  maxVideoPostDurationSec: 600,
  canPost: true,
  cannotPostReason: null,
  directPostAvailable: true,
  ...extra,
});

describe("TikTok choices from the creator's settings", () => {
  it("offers only the creator's privacy levels (a private account has no Everyone), and all when TikTok did not answer", () => {
    expect(privacyChoices(creator({ privacyLevelOptions: ["FOLLOWER_OF_CREATOR", "SELF_ONLY"] }))).toEqual([
      ["FOLLOWER_OF_CREATOR", "Followers"],
      ["SELF_ONLY", "Only me"],
    ]);
    expect(privacyChoices(null).map(([level]) => level)).toEqual(["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]);
  });

  it("changes nothing when the options already fit what the creator allows", () => {
    expect(enforcedTiktokOptions(creator(), { privacyLevel: "SELF_ONLY" })).toBeNull();
    expect(enforcedTiktokOptions(null, { privacyLevel: "SELF_ONLY" })).toBeNull();
  });

  it("sends a switch the creator turned off as disabled", () => {
    expect(enforcedTiktokOptions(creator({ commentDisabled: true, stitchDisabled: true }), { disableComment: false })).toEqual({ disableComment: true, disableStitch: true });
  });

  it("forces an inbox draft without Direct Post, and drops the privacy level the creator will choose in the app", () => {
    expect(enforcedTiktokOptions(creator({ directPostAvailable: false }), { privacyLevel: "SELF_ONLY" })).toEqual({ postMode: "inbox", privacyLevel: undefined });
    expect(enforcedTiktokOptions(creator(), { postMode: "inbox", privacyLevel: "SELF_ONLY" })).toEqual({ privacyLevel: undefined });
  });

  it("drops a privacy level TikTok no longer offers, so the person picks again", () => {
    expect(enforcedTiktokOptions(creator({ privacyLevelOptions: ["SELF_ONLY"] }), { privacyLevel: "PUBLIC_TO_EVERYONE" })).toEqual({ privacyLevel: undefined });
  });

  it("reads the post mode as direct unless inbox was chosen", () => {
    expect(postModeOf({})).toBe("direct");
    expect(postModeOf({ postMode: "inbox" })).toBe("inbox");
    expect(postModeOf({ postMode: "something" })).toBe("direct");
  });

  it("warns when the video is longer than this creator may post", () => {
    expect(durationWarning(creator({ maxVideoPostDurationSec: 60 }), 75_000)).toBe("This video is 1 min 15 s long; Acme Bakery can post videos of at most 1 min on TikTok.");
    expect(durationWarning(creator({ maxVideoPostDurationSec: 60 }), 60_000)).toBeNull();
    expect(durationWarning(creator(), null)).toBeNull();
    expect(durationWarning(null, 900_000)).toBeNull();
    expect(formatSeconds(42)).toBe("42 s");
    expect(formatSeconds(600)).toBe("10 min");
  });
});
