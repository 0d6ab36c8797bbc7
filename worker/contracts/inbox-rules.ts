import { z } from "zod";
import { RULE_HIT_OUTCOMES } from "../inbox/states";
import { patternShapeRefusal } from "../domain/rules/pattern-shape";
import { templateRefusal } from "../domain/rules/templates";
import { Id, IsoDateTime } from "./common";
import { ConversationKind } from "./inbox";

/**
 * Auto-reply rules (issue 7 §5), shared with the rules editor. A rule says *when* (conditions) and
 * *what* (an ordered list of actions); the engine is worker/domain/rules/engine.ts.
 */

const Keyword = z.string().trim().min(1, "A keyword cannot be empty.").max(100, "A keyword may have at most 100 characters.");
const Keywords = z.array(Keyword).max(50, "Use at most 50 keywords per list.").default([]);

/** Keywords are matched on whole words (letters and digits), ignoring case and accents; several words match as a phrase. */
export const RuleKeywords = z
  .object({
    /** At least one of these appears (an empty list does not restrict). */
    any: Keywords,
    /** Every one of these appears. */
    all: Keywords,
    /** None of these appears. */
    none: Keywords,
  })
  .strict();

/**
 * RE2 syntax, matched in linear time (worker/domain/rules/rule-pattern.ts): its text is checked here,
 * its syntax when the rule is saved. Unlike keywords, the pattern sees the message's original text (no
 * accent folding), so it can be exact; `i` (the default) ignores case.
 */
export const RuleRegex = z
  .object({ pattern: z.string(), flags: z.string().max(4).default("i") })
  .strict()
  .superRefine((regex, ctx) => {
    const refusal = patternShapeRefusal(regex.pattern, regex.flags);
    if (refusal) ctx.addIssue({ code: "custom", path: ["pattern"], message: refusal });
  });

export const RuleConditions = z
  .object({
    /** Connection ids; empty means every channel. */
    channels: z.array(Id).max(100).default([]),
    /** Comments, DMs or both; empty means both. */
    kinds: z.array(ConversationKind).max(2).default([]),
    keywords: RuleKeywords.default({ any: [], all: [], none: [] }),
    regex: RuleRegex.nullable().default(null),
    /** Always true: a rule never acts on our own messages or its own replies. Present to say so. */
    excludeOwn: z.literal(true, "Rules always ignore your own replies; this cannot be turned off.").default(true),
  })
  .strict();
export type RuleConditions = z.infer<typeof RuleConditions>;

const Template = z
  .string()
  .trim()
  .min(1, "Write the message.")
  .max(2000, "A message may have at most 2,000 characters.")
  .superRefine((text, ctx) => {
    const refusal = templateRefusal(text);
    if (refusal) ctx.addIssue({ code: "custom", message: refusal });
  });

/** What a rule does, in order. Replies, likes and hides go to the platform through the publish queue. */
export const RuleAction = z.discriminatedUnion("type", [
  /** A public reply under the comment (comments only). */
  z.object({ type: z.literal("reply"), text: Template }).strict(),
  /** A private message to the person who commented (comments only). */
  z.object({ type: z.literal("private_reply"), text: Template }).strict(),
  /** An answer in the direct-message conversation (DMs only). */
  z.object({ type: z.literal("dm"), text: Template }).strict(),
  z.object({ type: z.literal("like") }).strict(),
  z.object({ type: z.literal("hide") }).strict(),
  z.object({ type: z.literal("assign"), userId: Id }).strict(),
  z.object({ type: z.literal("tag"), tag: z.string().trim().min(1, "Write the tag.").max(40, "A tag may have at most 40 characters.") }).strict(),
]);
export type RuleAction = z.infer<typeof RuleAction>;
export type RuleActionType = RuleAction["type"];

/** Actions that only make sense on comments, or only on DMs. */
export const COMMENT_ONLY_ACTIONS: readonly RuleActionType[] = ["reply", "private_reply", "like", "hide"];
export const DM_ONLY_ACTIONS: readonly RuleActionType[] = ["dm"];

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time such as 22:00.");
/** Local time in the workspace's time zone; `to` before `from` wraps midnight (22:00 → 07:00). */
export const QuietHours = z
  .object({ from: HHMM, to: HHMM })
  .strict()
  .refine((q) => q.from !== q.to, { message: "Quiet hours must start and end at different times.", path: ["to"] });

export const MAX_COOLDOWN_SECONDS = 30 * 24 * 3600;

const ruleFields = {
  name: z.string().trim().min(1, "Give the rule a name.").max(100, "A name may have at most 100 characters."),
  enabled: z.boolean(),
  /** Lower runs first. */
  priority: z.number().int("Use a whole number.").min(0).max(10_000),
  /** When this rule matches, rules after it are not evaluated for that message. */
  stopAfterMatch: z.boolean(),
  /** Per author: after acting for a person, the rule waits this long before acting for them again. */
  cooldownSeconds: z.number().int("Use a whole number of seconds.").min(0).max(MAX_COOLDOWN_SECONDS, "The cooldown can be at most 30 days."),
  quietHours: QuietHours.nullable(),
  conditions: RuleConditions,
  actions: z.array(RuleAction).min(1, "Add at least one action.").max(10, "A rule may have at most 10 actions."),
};

/** Cross-field checks shared by create and the merged result of an edit. */
export function ruleShapeProblems(rule: { conditions: RuleConditions; actions: RuleAction[] }): { path: string; message: string }[] {
  const kinds = rule.conditions.kinds.length === 0 ? ["comments", "dm"] : rule.conditions.kinds;
  const problems: { path: string; message: string }[] = [];
  rule.actions.forEach((action, index) => {
    if (COMMENT_ONLY_ACTIONS.includes(action.type) && kinds.includes("dm")) {
      problems.push({ path: `actions.${index}`, message: "This action only works on comments: limit the rule to comments (in “Kinds”), or make a separate rule for direct messages." });
    }
    if (DM_ONLY_ACTIONS.includes(action.type) && kinds.includes("comments")) {
      problems.push({ path: `actions.${index}`, message: "A DM answer only works in direct-message conversations: limit the rule to DMs, or use a private reply for comments." });
    }
  });
  return problems;
}

export const RuleInput = z
  .object({ ...ruleFields, enabled: ruleFields.enabled.default(true), priority: ruleFields.priority.default(100), stopAfterMatch: ruleFields.stopAfterMatch.default(false), cooldownSeconds: ruleFields.cooldownSeconds.default(0), quietHours: ruleFields.quietHours.default(null) })
  .strict();
export type RuleInput = z.infer<typeof RuleInput>;

/** `PATCH`: only the fields sent change (conditions and actions are replaced as a whole). */
export const RulePatch = z.object(ruleFields).partial().strict();
export type RulePatch = z.infer<typeof RulePatch>;

export const Rule = z.object({
  id: Id,
  ...ruleFields,
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Rule = z.infer<typeof Rule>;
/** How often a rule has matched (every outcome in its hit log) and when it last did. */
export const RuleHitStats = z.object({ count: z.number().int().min(0), lastAt: IsoDateTime.nullable() });
export type RuleHitStats = z.infer<typeof RuleHitStats>;
/** A rule as the list shows it: with its hit count, so the list needs no request per rule. */
export const ListedRule = Rule.extend({ hits: RuleHitStats });
export type ListedRule = z.infer<typeof ListedRule>;
export const RuleList = z.object({ rules: z.array(ListedRule) });

/** An action with its template filled in for one message. */
export const PlannedAction = z.discriminatedUnion("type", [
  z.object({ type: z.enum(["reply", "private_reply", "dm"]), text: z.string() }),
  z.object({ type: z.enum(["like", "hide"]) }),
  z.object({ type: z.literal("assign"), userId: Id }),
  z.object({ type: z.literal("tag"), tag: z.string() }),
]);
export type PlannedAction = z.infer<typeof PlannedAction>;

/** `POST /{id}/inbox/rules/dry-run`: try a saved rule, or an unsaved one, against recent messages. */
export const DryRunBody = z
  .object({
    ruleId: Id.optional(),
    rule: RuleInput.optional(),
    /** How many of the workspace's latest inbound messages to try. */
    last: z.number().int().min(1).max(500, "A dry run looks at most at the last 500 messages.").default(50),
  })
  .strict()
  .refine((body) => (body.ruleId === undefined) !== (body.rule === undefined), { message: "Send either a saved rule's id or an unsaved rule, not both.", path: ["ruleId"] });

export const DryRunMatch = z.object({
  messageId: Id,
  conversationId: Id,
  kind: ConversationKind,
  channelName: z.string(),
  authorName: z.string().nullable(),
  /** The start of the message. */
  snippet: z.string(),
  at: IsoDateTime,
  why: z.string(),
  /** What the rule would do (templates filled in); empty when it would be skipped. */
  actions: z.array(PlannedAction),
  /** Why the rule would match but not act (cooldown for this person, quiet hours), or null. */
  skipped: z.object({ reason: z.enum(["cooldown", "quiet_hours"]), detail: z.string() }).nullable(),
});
/** Matches newest first. Cooldowns and quiet hours are simulated at each message's own time. */
export const DryRunResult = z.object({ examined: z.number().int(), matched: z.number().int(), matches: z.array(DryRunMatch) });

export const HitQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const RuleHit = z.object({
  id: Id,
  messageId: Id,
  conversationId: Id,
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  snippet: z.string(),
  outcome: z.enum(RULE_HIT_OUTCOMES),
  detail: z.string().nullable(),
  at: IsoDateTime,
});
export const RuleHitList = z.object({ hits: z.array(RuleHit) });
