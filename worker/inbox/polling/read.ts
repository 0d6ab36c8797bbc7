import type { PlatformFailure } from "../../platforms/types";
import type { NormalizedItem } from "../inbound/types";
import type { PollChannel } from "./channel";
import type { PolledTarget } from "./cursor";

/**
 * What one poll of one post read: the comments at or after the cursor, normalized; the newest
 * platform time seen (in this sweep); and whether the read reached the cursor (only then may the
 * cursor move, or comments between the last page read and the cursor would never be looked at).
 * An unfinished read says where to go on next time (`resumeAt`), or null to start again at the top.
 */
export type PollRead =
  | { ok: true; items: NormalizedItem[]; newestSeenAt: number | null; complete: true }
  | { ok: true; items: NormalizedItem[]; newestSeenAt: number | null; complete: false; resumeAt: string | null }
  | { ok: false; failure: PlatformFailure };

/** Spends the run's call budget for a platform; false when it is used up. */
export type CallBudget = { take: () => boolean };

export type PostReader = (channel: PollChannel, target: PolledTarget, budget: CallBudget, pagesPerPost: number) => Promise<PollRead>;

/** The fields every polled comment shares. */
export function commentItem(channel: PollChannel, target: PolledTarget, comment: Pick<NormalizedItem, "externalId" | "parentExternalId" | "direction" | "author" | "text" | "platformAt">): NormalizedItem {
  return {
    connectionId: channel.connectionId,
    workspaceId: target.workspaceId,
    platform: channel.platform,
    conversation: { kind: "comments", postId: target.remoteId, permalink: target.remoteUrl },
    attachments: [],
    verb: "add",
    ...comment,
  };
}

/** Comments from this time on are read again (platform times repeat within a second; dedupe absorbs the overlap). */
export const readsFrom = (target: PolledTarget) => target.cursor.lastSeenAt ?? 0;
