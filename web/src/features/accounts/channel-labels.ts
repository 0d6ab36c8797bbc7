import type { Connection, Platform } from "../../../../worker/contracts/connections.ts";

type ChannelKind = Connection["kind"];
type ConnectionStatus = Connection["status"];

/** What a person calls each kind of channel, shown next to its name. */
export const KIND_LABEL: Record<ChannelKind, string> = {
  facebook_page: "Page",
  instagram_account: "Instagram account",
  threads_profile: "Profile",
  tiktok_account: "Account",
  linkedin_member: "Member",
  linkedin_organization: "Organization",
  youtube_channel: "Channel",
  airtable_account: "Account",
};

export const STATUS_LABEL: Record<ConnectionStatus, string> = {
  active: "Active",
  needs_reconnect: "Needs reconnect",
  disconnected: "Disconnected",
};

/** The letter or mark drawn on the platform's coloured tile (brand logos are not ours to ship). */
export const PLATFORM_MARK: Record<Platform, string> = {
  facebook: "f",
  instagram: "IG",
  threads: "@",
  tiktok: "♪",
  linkedin: "in",
  youtube: "▶",
  airtable: "A",
};

/** "1 account", "3 accounts". */
export const accounts = (n: number): string => `${n} ${n === 1 ? "account" : "accounts"}`;
