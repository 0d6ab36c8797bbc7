import type { Conversation } from "../../../../worker/contracts/inbox.ts";

export const PLATFORM_NAME: Record<Conversation["platform"], string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  threads: "Threads",
  tiktok: "TikTok",
  linkedin: "LinkedIn",
  youtube: "YouTube",
  airtable: "Airtable",
};

/** "Facebook comments", "Instagram DM". */
export const channelLabel = (c: Pick<Conversation, "platform" | "kind">): string => `${PLATFORM_NAME[c.platform]} ${c.kind === "dm" ? "DM" : "comments"}`;

/**
 * A list row's time in the viewer's zone: the clock time today, the weekday within a week, the date
 * before that (the full instant is in the element's title).
 */
export function listTime(at: string, now: Date, timeZone: string): string {
  const instant = new Date(at);
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  if (day(instant) === day(now)) return new Intl.DateTimeFormat(undefined, { timeZone, hour: "numeric", minute: "2-digit" }).format(instant);
  const ageMs = now.getTime() - instant.getTime();
  if (ageMs >= 0 && ageMs < 6 * 24 * 3600_000) return new Intl.DateTimeFormat(undefined, { timeZone, weekday: "short" }).format(instant);
  return new Intl.DateTimeFormat(undefined, { timeZone, month: "short", day: "numeric" }).format(instant);
}
