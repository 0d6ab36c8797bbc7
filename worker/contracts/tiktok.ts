import { z } from "zod";
import { TIKTOK_PRIVACY_LEVELS } from "../domain/capabilities/tiktok";

/**
 * What TikTok says a creator may post right now (`POST /v2/post/publish/creator_info/query/`,
 * tiktok.md §4), queried when the composer shows a TikTok channel: TikTok's UX rules require the
 * composer to offer only these privacy levels and to show the interaction switches the creator has
 * turned off as disabled.
 */
export const TiktokCreatorInfo = z.object({
  nickname: z.string(),
  username: z.string(),
  avatarUrl: z.string().nullable(),
  privacyLevelOptions: z.array(z.enum(TIKTOK_PRIVACY_LEVELS)),
  commentDisabled: z.boolean(),
  duetDisabled: z.boolean(),
  stitchDisabled: z.boolean(),
  maxVideoPostDurationSec: z.number().int(),
  /** False when TikTok refuses new posts for now (e.g. too many posts in 24 h); `cannotPostReason` says why in plain words. */
  canPost: z.boolean(),
  cannotPostReason: z.string().nullable(),
  /** Whether this connection can Direct Post (the `video.publish` scope was granted); otherwise videos go to the creator's TikTok inbox as drafts. */
  directPostAvailable: z.boolean(),
});
export type TiktokCreatorInfo = z.infer<typeof TiktokCreatorInfo>;
