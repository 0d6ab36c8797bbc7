import { describe, expect, it } from "vitest";
import type { Rule } from "../../worker/contracts/inbox-rules";
import { RuleInput } from "../../worker/contracts/inbox-rules";
import { addKeywords, blankRuleForm, errorsByField, fieldFor, formToInput, reorder, ruleToForm } from "../../web/src/features/rules/rule-form.ts";
import { duration, ruleLimits, ruleSummary, type SummaryNames } from "../../web/src/features/rules/rule-summary.ts";
import { fillSavedReply, insertAt, matchesQuery } from "../../web/src/features/inbox/saved-replies-fill.ts";

const IG = "conn_instagram01";
const FB = "conn_facebook001";
const ANA = "user_ana_00001";
const NAMES: SummaryNames = {
  channels: new Map([
    [IG, { name: "Atelier Studio", platform: "instagram" }],
    [FB, { name: "Atelier Page", platform: "facebook" }],
  ]),
  members: new Map([[ANA, "Ana Alves"]]),
};

function rule(patch: Partial<Rule> = {}): Rule {
  return {
    id: "rule_000000001",
    name: "Prices",
    enabled: true,
    priority: 100,
    stopAfterMatch: false,
    cooldownSeconds: 0,
    quietHours: null,
    conditions: { channels: [IG], kinds: ["comments"], keywords: { any: ["price", "cost"], all: [], none: [] }, regex: null, excludeOwn: true },
    actions: [{ type: "reply", text: "Hi {first_name}, check your DMs!" }, { type: "tag", tag: "pricing" }],
    createdBy: null,
    createdAt: "2026-11-29T12:00:00.000Z",
    updatedAt: "2026-11-29T12:00:00.000Z",
    ...patch,
  };
}

describe("rule summary", () => {
  it("reads a comment rule on one channel as one sentence", () => {
    expect(ruleSummary(rule(), NAMES)).toBe("When a comment on Instagram contains price or cost → reply “Hi {first_name}, check your DMs!”, tag “pricing”");
  });

  it("names several channels, every keyword list, the regex, and each kind of action", () => {
    const summary = ruleSummary(
      rule({
        conditions: { channels: [IG, FB, "conn_gone_00001"], kinds: [], keywords: { any: ["a", "b", "c"], all: ["x", "y"], none: ["spam"] }, regex: { pattern: "\\d+ ?€", flags: "i" }, excludeOwn: true },
        actions: [{ type: "private_reply", text: "x".repeat(60) }, { type: "like" }, { type: "hide" }, { type: "assign", userId: ANA }, { type: "assign", userId: "user_gone_0001" }],
      }),
      NAMES,
    );
    expect(summary).toBe(
      `When a comment or direct message on Atelier Studio (Instagram), Atelier Page (Facebook) or a removed channel contains a, b or c, contains x and y, does not contain spam and matches /\\d+ ?€/ → reply privately “${"x".repeat(39)}…”, like it, hide it, assign to Ana Alves, assign to a former member`,
    );
  });

  it("says 'arrives' when nothing narrows the rule, and covers DMs on any channel", () => {
    expect(ruleSummary(rule({ conditions: { channels: [], kinds: ["dm"], keywords: { any: [], all: [], none: [] }, regex: null, excludeOwn: true }, actions: [{ type: "dm", text: "Back soon" }] }), NAMES)).toBe(
      "When a direct message on any channel arrives → answer “Back soon”",
    );
  });

  it("lists the limits in whole units", () => {
    expect(ruleLimits(rule({ cooldownSeconds: 3600, quietHours: { from: "22:00", to: "07:00" }, stopAfterMatch: true }))).toEqual(["Waits 1 hour per person", "Quiet 22:00–07:00", "Stops later rules"]);
    expect(ruleLimits(rule())).toEqual([]);
    expect([duration(90), duration(5400), duration(172_800), duration(60)]).toEqual(["90 seconds", "90 minutes", "2 days", "1 minute"]);
  });
});

describe("rule form ↔ contract", () => {
  it("round-trips a saved rule through the form into a body the contract accepts unchanged", () => {
    const saved = rule({ cooldownSeconds: 1800, quietHours: { from: "22:00", to: "07:00" }, stopAfterMatch: true, conditions: { ...rule().conditions, regex: { pattern: "price", flags: "" } } });
    const input = formToInput(ruleToForm(saved));
    const parsed = RuleInput.parse(input);
    expect(parsed).toEqual({ name: saved.name, enabled: true, priority: 100, stopAfterMatch: true, cooldownSeconds: 1800, quietHours: saved.quietHours, conditions: saved.conditions, actions: saved.actions });
  });

  it("maps 'both kinds' to the empty list, keeps only the chosen action's fields, and drops quiet hours when off", () => {
    const form = { ...blankRuleForm(30), name: "DMs", kinds: "both" as const, actions: [{ type: "assign" as const, text: "leftover", userId: ANA, tag: "t" }], useQuietHours: false };
    const input = formToInput(form);
    expect(input).toMatchObject({ priority: 30, enabled: false, quietHours: null, conditions: { kinds: [], regex: null }, actions: [{ type: "assign", userId: ANA }] });
    expect(RuleInput.safeParse(input).success).toBe(true);
  });

  it("sends a cooldown that is not a number as an invalid one, so the server's sentence shows", () => {
    expect(formToInput({ ...blankRuleForm(10), cooldownMinutes: "soon" }).cooldownSeconds).toBe(-1);
    expect(formToInput({ ...blankRuleForm(10), cooldownMinutes: "" }).cooldownSeconds).toBe(0);
    expect(formToInput({ ...blankRuleForm(10), cooldownMinutes: "1.5" }).cooldownSeconds).toBe(90);
  });

  it("places server errors at their fields, also under a dry run's rule. prefix", () => {
    expect(["name", "actions.2.text", "rule.actions.0", "actions", "cooldownSeconds", "quietHours.to", "conditions.channels.1", "conditions.kinds", "rule.conditions.regex.pattern", "conditions.keywords.none.3", "ruleId", ""].map(fieldFor)).toEqual([
      "name", "actions.2", "actions.0", "actions", "cooldown", "quietHours", "channels", "kinds", "regex", "none", "form", "form",
    ]);
    expect(errorsByField([{ path: "actions.0.text", message: "first" }, { path: "actions.0", message: "second" }, { path: "name", message: "Give the rule a name." }])).toEqual({ "actions.0": "first", name: "Give the rule a name." });
  });

  it("splits typed keywords on commas and new lines, without blanks or case-duplicates", () => {
    expect(addKeywords(["Price"], "price, cost ,\n, shipping\ncost")).toEqual(["Price", "cost", "shipping"]);
  });
});

describe("reordering by priority", () => {
  const rules = [{ id: "a", priority: 10 }, { id: "b", priority: 20 }, { id: "c", priority: 30 }];
  it("moves a rule up and renumbers only what changes", () => {
    expect(reorder(rules, 2, -1)).toEqual([{ id: "c", priority: 20 }, { id: "b", priority: 30 }]);
    expect(reorder(rules, 0, 1)).toEqual([{ id: "b", priority: 10 }, { id: "a", priority: 20 }]);
  });
  it("makes equal priorities explicit, and does nothing past either end", () => {
    expect(reorder([{ id: "a", priority: 100 }, { id: "b", priority: 100 }], 1, -1)).toEqual([{ id: "b", priority: 10 }, { id: "a", priority: 20 }]);
    expect(reorder(rules, 0, -1)).toEqual([]);
    expect(reorder(rules, 2, 1)).toEqual([]);
  });
});

describe("saved replies in the composer", () => {
  it("fills variables from the person and channel, tidying an unknown name", () => {
    expect(fillSavedReply("Hi {first_name}, thanks for writing on {channel} about “{text}”.", { personName: "Zoë Price", channelName: "Atelier Studio", text: " Is it in stock? " })).toBe(
      "Hi Zoë, thanks for writing on Atelier Studio about “Is it in stock?”.",
    );
    expect(fillSavedReply("Hi {first_name}, thanks!", { personName: null, channelName: "Atelier", text: "" })).toBe("Hi, thanks!");
  });

  it("inserts at the caret with a space between words, replacing a selection", () => {
    expect(insertAt("Hello", "thanks", 5, 5)).toEqual({ text: "Hello thanks", caret: 12 });
    expect(insertAt("Hello there", "you", 6, 11)).toEqual({ text: "Hello you", caret: 9 });
    expect(insertAt("", "Hi", 0, 0)).toEqual({ text: "Hi", caret: 2 });
  });

  it("finds replies by every typed word in name or text", () => {
    const reply = { name: "Shipping", text: "We ship worldwide in 3 days" };
    expect(matchesQuery(reply, "ship WORLD")).toBe(true);
    expect(matchesQuery(reply, "ship refund")).toBe(false);
    expect(matchesQuery(reply, "  ")).toBe(true);
  });
});
