import type { PlannedAction, RuleAction, RuleConditions } from "../../contracts/inbox-rules";
import { COMMENT_ONLY_ACTIONS, DM_ONLY_ACTIONS } from "../../contracts/inbox-rules";
import type { ConversationKind } from "../../inbox/states";
import { inQuietHours, type QuietHours } from "./quiet-hours";
import { compileRulePattern } from "./rule-pattern";
import { renderTemplate, templateValues } from "./templates";
import { foldText, keywordMatcher } from "./text-folding";

/** A rule as the engine needs it (already parsed from its row). */
export type EngineRule = {
  id: string;
  name: string;
  priority: number;
  stopAfterMatch: boolean;
  cooldownSeconds: number;
  quietHours: QuietHours | null;
  conditions: RuleConditions;
  actions: RuleAction[];
};

export type EngineMessage = {
  id: string;
  connectionId: string;
  kind: ConversationKind;
  direction: "in" | "out";
  /** Set on messages a rule sent: they never trigger rules, which is what prevents reply loops. */
  ruleId: string | null;
  authorId: string | null;
  authorName: string | null;
  text: string;
};

export type EngineContext = {
  now: number;
  /** The workspace's IANA zone, for quiet hours. */
  timeZone: string;
  /** The channel's display name, for `{channel}`. */
  channelName: string;
  /** When each rule last acted for this message's author (epoch ms), by rule id. */
  lastActedAt: Readonly<Record<string, number>>;
};

export type MatchResult = { matched: boolean; why: string };

export type RulePlan = {
  ruleId: string;
  why: string;
  actions: PlannedAction[];
  /** The rule matched but does not act this time. */
  skipped: { reason: "cooldown" | "quiet_hours"; detail: string } | null;
};

const quote = (words: string[]) => words.map((w) => `“${w}”`).join(", ");

/** Whether the rule's conditions hold for the message, and a sentence saying why (for the dry run and the hit log). */
export function matchRule(rule: Pick<EngineRule, "conditions">, message: EngineMessage): MatchResult {
  const { channels, kinds, keywords, regex } = rule.conditions;
  if (message.direction !== "in" || message.ruleId !== null) return { matched: false, why: "Rules never act on your own messages or their own replies." };
  if (channels.length > 0 && !channels.includes(message.connectionId)) return { matched: false, why: "The message is on a channel this rule does not watch." };
  if (kinds.length > 0 && !kinds.includes(message.kind)) return { matched: false, why: message.kind === "dm" ? "The rule is for comments; this is a direct message." : "The rule is for direct messages; this is a comment." };

  const text = foldText(message.text);
  const found = (list: string[]) => list.filter((keyword) => keywordMatcher(keyword)(text));
  const reasons: string[] = [];
  if (keywords.any.length > 0) {
    const hits = found(keywords.any);
    if (hits.length === 0) return { matched: false, why: `None of ${quote(keywords.any)} appears.` };
    reasons.push(`contains ${quote(hits)}`);
  }
  if (keywords.all.length > 0) {
    const hits = found(keywords.all);
    const missing = keywords.all.filter((k) => !hits.includes(k));
    if (missing.length > 0) return { matched: false, why: `${quote(missing)} ${missing.length === 1 ? "does" : "do"} not appear.` };
    reasons.push(`contains all of ${quote(hits)}`);
  }
  const excluded = found(keywords.none);
  if (excluded.length > 0) return { matched: false, why: `It contains ${quote(excluded)}, which the rule excludes.` };
  if (regex) {
    const compiled = compileRulePattern(regex.pattern, regex.flags);
    // A rule saved before a syntax stopped being supported: it matches nothing until it is edited.
    if (!compiled.ok) return { matched: false, why: `The pattern cannot be used: ${compiled.refusal} Edit the rule to fix it.` };
    if (!compiled.test(message.text)) return { matched: false, why: "The pattern does not match." };
    reasons.push("matches the pattern");
  }
  if (reasons.length === 0) return { matched: true, why: "The rule has no keyword or pattern, so every message on its channels matches." };
  return { matched: true, why: `The message ${reasons.join(" and ")}.` };
}

function fits(action: RuleAction, kind: ConversationKind): boolean {
  if (COMMENT_ONLY_ACTIONS.includes(action.type)) return kind === "comments";
  if (DM_ONLY_ACTIONS.includes(action.type)) return kind === "dm";
  return true;
}

/** The rule's actions with their templates filled in for this message. */
export function renderActions(actions: RuleAction[], message: EngineMessage, channelName: string): PlannedAction[] {
  const values = templateValues({ authorName: message.authorName, channelName, text: message.text });
  return actions
    .filter((action) => fits(action, message.kind))
    .map((action): PlannedAction => {
      switch (action.type) {
        case "reply":
        case "private_reply":
        case "dm":
          return { type: action.type, text: renderTemplate(action.text, values) };
        case "like":
        case "hide":
          return { type: action.type };
        case "assign":
          return { type: "assign", userId: action.userId };
        case "tag":
          return { type: "tag", tag: action.tag };
      }
    });
}

function skipReason(rule: EngineRule, message: EngineMessage, context: EngineContext): RulePlan["skipped"] {
  const last = context.lastActedAt[rule.id];
  if (rule.cooldownSeconds > 0 && message.authorId !== null && last !== undefined && last > context.now - rule.cooldownSeconds * 1000) {
    return { reason: "cooldown", detail: `This rule already acted for this person less than ${describeSeconds(rule.cooldownSeconds)} ago.` };
  }
  if (rule.quietHours && inQuietHours(rule.quietHours, context.now, context.timeZone)) {
    return { reason: "quiet_hours", detail: `It arrived during the rule's quiet hours (${rule.quietHours.from}–${rule.quietHours.to}, ${context.timeZone}).` };
  }
  return null;
}

/**
 * Which rules act on a message, in priority order (lower first; ties keep the given order). A rule
 * that matches but is held back by its cooldown or quiet hours still counts as the match for
 * stop-after-match: a specific rule that is resting must not let a catch-all rule answer instead.
 */
export function planActions(rules: readonly EngineRule[], message: EngineMessage, context: EngineContext): RulePlan[] {
  const ordered = rules.map((rule, index) => ({ rule, index })).sort((a, b) => a.rule.priority - b.rule.priority || a.index - b.index);
  const plans: RulePlan[] = [];
  for (const { rule } of ordered) {
    const match = matchRule(rule, message);
    if (!match.matched) continue;
    const skipped = skipReason(rule, message, context);
    plans.push({ ruleId: rule.id, why: match.why, actions: skipped ? [] : renderActions(rule.actions, message, context.channelName), skipped });
    if (rule.stopAfterMatch) break;
  }
  return plans;
}

function describeSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
