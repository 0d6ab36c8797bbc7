import type { Rule, RuleAction } from "../../../../worker/contracts/inbox-rules.ts";

/** What a rule's summary needs to know about channels and people, by id. */
export interface SummaryNames {
  channels: ReadonlyMap<string, { name: string; platform: string }>;
  members: ReadonlyMap<string, string>;
}

const PLATFORM_NAME: Record<string, string> = { facebook: "Facebook", instagram: "Instagram", threads: "Threads", tiktok: "TikTok", linkedin: "LinkedIn", youtube: "YouTube" };

const quote = (text: string, max = 40) => `“${text.length > max ? `${text.slice(0, max - 1)}…` : text}”`;

/** "a, b or c" / "a, b and c". */
export function joinWords(words: readonly string[], last: "or" | "and"): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} ${last} ${words[words.length - 1]}`;
}

function kindPhrase(kinds: readonly string[]): string {
  if (kinds.length === 1 && kinds[0] === "comments") return "a comment";
  if (kinds.length === 1 && kinds[0] === "dm") return "a direct message";
  return "a comment or direct message";
}

/** Channels by platform when the rule covers a platform's channels by name is too long: "on Instagram", "on Shop page". */
function channelPhrase(channelIds: readonly string[], names: SummaryNames): string {
  if (channelIds.length === 0) return "on any channel";
  const labels = channelIds.map((id) => {
    const channel = names.channels.get(id);
    if (!channel) return "a removed channel";
    const platform = PLATFORM_NAME[channel.platform] ?? channel.platform;
    return channelIds.length === 1 || channel.name === platform ? platform : `${channel.name} (${platform})`;
  });
  return `on ${joinWords([...new Set(labels)], "or")}`;
}

function conditionPhrases(rule: Pick<Rule, "conditions">): string[] {
  const { keywords, regex } = rule.conditions;
  const parts: string[] = [];
  if (keywords.any.length > 0) parts.push(`contains ${joinWords(keywords.any, "or")}`);
  if (keywords.all.length > 0) parts.push(`contains ${joinWords(keywords.all, "and")}`);
  if (keywords.none.length > 0) parts.push(`does not contain ${joinWords(keywords.none, "or")}`);
  if (regex) parts.push(`matches /${regex.pattern}/`);
  return parts;
}

export function actionPhrase(action: RuleAction, names: SummaryNames): string {
  switch (action.type) {
    case "reply":
      return `reply ${quote(action.text)}`;
    case "private_reply":
      return `reply privately ${quote(action.text)}`;
    case "dm":
      return `answer ${quote(action.text)}`;
    case "like":
      return "like it";
    case "hide":
      return "hide it";
    case "assign":
      return `assign to ${names.members.get(action.userId) ?? "a former member"}`;
    case "tag":
      return `tag ${quote(action.tag)}`;
  }
}

/** One sentence a person can check a rule against: "When a comment on Instagram contains price or cost → reply “Hi…”, tag “pricing”". */
export function ruleSummary(rule: Pick<Rule, "conditions" | "actions">, names: SummaryNames): string {
  const conditions = conditionPhrases(rule);
  const when = `When ${kindPhrase(rule.conditions.kinds)} ${channelPhrase(rule.conditions.channels, names)} ${conditions.length > 0 ? joinWords(conditions, "and") : "arrives"}`;
  return `${when} → ${rule.actions.map((a) => actionPhrase(a, names)).join(", ")}`;
}

/** The limits under the summary: "Waits 1 hour per person · Quiet 22:00–07:00 · Stops later rules". */
export function ruleLimits(rule: Pick<Rule, "cooldownSeconds" | "quietHours" | "stopAfterMatch">): string[] {
  const limits: string[] = [];
  if (rule.cooldownSeconds > 0) limits.push(`Waits ${duration(rule.cooldownSeconds)} per person`);
  if (rule.quietHours) limits.push(`Quiet ${rule.quietHours.from}–${rule.quietHours.to}`);
  if (rule.stopAfterMatch) limits.push("Stops later rules");
  return limits;
}

/** Whole units only: 90 s reads "90 seconds", 3600 s "1 hour", 5400 s "90 minutes". */
export function duration(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (seconds % 86_400 === 0) return unit(seconds / 86_400, "day");
  if (seconds % 3600 === 0) return unit(seconds / 3600, "hour");
  if (seconds % 60 === 0) return unit(seconds / 60, "minute");
  return unit(seconds, "second");
}
