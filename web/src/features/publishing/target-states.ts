import type { Platform } from "../../../../worker/contracts/connections.ts";
import type { Target } from "../../../../worker/contracts/posts.ts";
import type { TargetState } from "../../../../worker/publishing/states.ts";

/** The words a person reads for each ledger state (the badge text; the colour only repeats it). */
export const STATE_LABEL: Record<TargetState, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  preparing: "Preparing",
  ready: "Ready",
  committing: "Publishing…",
  published: "Published",
  failed: "Failed",
  needs_reconnect: "Needs reconnect",
  unconfirmed: "Unconfirmed",
  cancelled: "Cancelled",
};

export const PLATFORM_NAME: Record<Platform, string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  threads: "Threads",
  tiktok: "TikTok",
  linkedin: "LinkedIn",
  youtube: "YouTube",
  airtable: "Airtable",
};

/** The one action that moves a stuck channel on. */
export type Fix = "retry" | "reconnect" | "review";

/**
 * What fixes a channel in `state`. A needs-reconnect channel whose connection is active again (someone
 * reconnected it since) is fixed by a retry, not by another trip to the Accounts page.
 */
export function fixFor(state: TargetState, connectionStatus?: "active" | "needs_reconnect" | "disconnected"): Fix | null {
  switch (state) {
    case "failed":
      return "retry";
    case "needs_reconnect":
      return connectionStatus === "active" ? "retry" : "reconnect";
    case "unconfirmed":
      return "review";
    default:
      return null;
  }
}

/** Whether the channel is live on the platform right now (published and not deleted there since). */
export const isLive = (t: Pick<Target, "state" | "remoteDeletedAt">): boolean => t.state === "published" && !t.remoteDeletedAt;
