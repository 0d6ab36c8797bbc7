import type { Platform } from "../../../../worker/contracts/connections.ts";

/**
 * What "also delete on the platforms" does to a live post, per platform. `deletes` mirrors the adapters'
 * optional `deleteRemote` (Instagram's and TikTok's publishing APIs have no delete call); `outcome` is the
 * sentence the delete dialog shows next to the channel, `permanent` when the platform loses more than the
 * post itself.
 */
export interface RemoteRemoval {
  deletes: boolean;
  outcome: string;
  permanent: boolean;
}

const REMOVAL: Record<Platform, RemoteRemoval> = {
  facebook: { deletes: true, outcome: "Removed from the Page.", permanent: false },
  instagram: { deletes: false, outcome: "Instagram's API cannot delete posts, so it stays live. Delete it in the Instagram app.", permanent: false },
  threads: { deletes: true, outcome: "Removed from the profile.", permanent: false },
  tiktok: { deletes: false, outcome: "TikTok's API cannot delete videos, so it stays live. Delete it in the TikTok app.", permanent: false },
  linkedin: { deletes: true, outcome: "Removed from the feed.", permanent: false },
  youtube: { deletes: true, outcome: "The video is deleted from the channel permanently: its views and comments are lost.", permanent: true },
  // Not a publishing channel: nothing of a post ever goes live there.
  airtable: { deletes: false, outcome: "Nothing was published on Airtable.", permanent: false },
};

export const removalOn = (platform: Platform): RemoteRemoval => REMOVAL[platform];

/** Splits the live channels into those Atelier deletes and those the person must delete in the app. */
export function splitByRemoval<T extends { platform: Platform }>(live: T[]): { deleted: T[]; kept: T[] } {
  return { deleted: live.filter((t) => REMOVAL[t.platform].deletes), kept: live.filter((t) => !REMOVAL[t.platform].deletes) };
}
