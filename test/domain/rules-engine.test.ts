import { describe, expect, it } from "vitest";
import { RuleConditions, type RuleAction } from "../../worker/contracts/inbox-rules";
import { matchRule, planActions, type EngineContext, type EngineMessage, type EngineRule } from "../../worker/domain/rules/engine";
import { inQuietHours } from "../../worker/domain/rules/quiet-hours";

const NOON_PARIS = Date.UTC(2026, 5, 10, 10, 0); // 12:00 in Paris (CEST)

function rule(overrides: Partial<Omit<EngineRule, "conditions">> & { conditions?: Record<string, unknown> } = {}): EngineRule {
  const { conditions, ...rest } = overrides;
  return {
    id: "rule-a",
    name: "Prices",
    priority: 100,
    stopAfterMatch: false,
    cooldownSeconds: 0,
    quietHours: null,
    actions: [{ type: "reply", text: "Hi {first_name}, check your DMs!" }],
    ...rest,
    conditions: RuleConditions.parse(conditions ?? {}),
  };
}

function message(overrides: Partial<EngineMessage> = {}): EngineMessage {
  return { id: "msg-1", connectionId: "conn-ig", kind: "comments", direction: "in", ruleId: null, authorId: "person-1", authorName: "Marie Curie", text: "What's the price?", ...overrides };
}

const context = (overrides: Partial<EngineContext> = {}): EngineContext => ({ now: NOON_PARIS, timeZone: "Europe/Paris", channelName: "Atelier", lastActedAt: {}, ...overrides });

describe("matchRule: conditions", () => {
  it.each([
    ["any: one of them appears", { keywords: { any: ["price", "cost"] } }, "How much does it cost", true],
    ["any: none appears", { keywords: { any: ["price", "cost"] } }, "Lovely photo", false],
    ["all: every one appears", { keywords: { all: ["price", "list"] } }, "Price and the list?", true],
    ["all: one missing", { keywords: { all: ["price", "list"] } }, "price please", false],
    ["none: excluded word present", { keywords: { any: ["price"], none: ["spam"] } }, "price SPAM", false],
    ["none: excluded word absent", { keywords: { any: ["price"], none: ["spam"] } }, "price please", true],
    ["folding: accents and case", { keywords: { any: ["precio"] } }, "¿PRÉCIO?", true],
    ["word boundary", { keywords: { any: ["price"] } }, "priceless", false],
    ["phrase", { keywords: { any: ["price list"] } }, "Send me the price list", true],
    ["regex", { regex: { pattern: "order #\\d{4,8}", flags: "i" } }, "ORDER #12345 late", true],
    ["regex no match", { regex: { pattern: "order #\\d{4,8}", flags: "i" } }, "order 12", false],
    ["channel filter, other channel", { channels: ["conn-fb0000000"] }, "price", false],
    ["kind filter, other kind", { kinds: ["dm"] }, "price", false],
    ["no keyword: everything on its channels", {}, "anything", true],
  ])("%s", (_label, conditions, text, expected) => {
    expect(matchRule(rule({ conditions }), message({ text })).matched).toBe(expected);
  });

  it("says why, in words", () => {
    expect(matchRule(rule({ conditions: { keywords: { any: ["price", "cost"] } } }), message()).why).toBe("The message contains “price”.");
    expect(matchRule(rule({ conditions: { keywords: { all: ["price", "list"] } } }), message()).why).toBe("“list” does not appear.");
    expect(matchRule(rule({ conditions: { kinds: ["comments"] } }), message({ kind: "dm" })).why).toBe("The rule is for comments; this is a direct message.");
  });

  it.each([
    ["our own outbound message", { direction: "out" as const }],
    ["a rule's own reply coming back as an echo", { direction: "out" as const, ruleId: "rule-a" }],
    ["a message some rule sent, even marked inbound", { ruleId: "rule-b" }],
  ])("never matches %s (no loops)", (_label, overrides) => {
    const loop = message({ text: "Hi Marie, check your DMs! price", ...overrides });
    expect(matchRule(rule({ conditions: { keywords: { any: ["price", "dms"] } } }), loop)).toEqual({ matched: false, why: "Rules never act on your own messages or their own replies." });
    expect(planActions([rule()], loop, context())).toEqual([]);
  });
});

describe("planActions", () => {
  it("fills templates and drops nothing that fits the message", () => {
    const actions: RuleAction[] = [{ type: "reply", text: "Hi {first_name}!" }, { type: "private_reply", text: "{name}, prices for {channel}: …" }, { type: "like" }, { type: "tag", tag: "pricing" }];
    expect(planActions([rule({ actions })], message(), context())).toEqual([
      { ruleId: "rule-a", why: "The rule has no keyword or pattern, so every message on its channels matches.", skipped: null, actions: [{ type: "reply", text: "Hi Marie!" }, { type: "private_reply", text: "Marie Curie, prices for Atelier: …" }, { type: "like" }, { type: "tag", tag: "pricing" }] },
    ]);
  });

  it("runs rules in priority order (lower first) and stops after a stop-after-match rule", () => {
    const rules = [rule({ id: "late", priority: 30 }), rule({ id: "first", priority: 10 }), rule({ id: "stopper", priority: 20, stopAfterMatch: true })];
    expect(planActions(rules, message(), context()).map((p) => p.ruleId)).toEqual(["first", "stopper"]);
  });

  it("keeps the given order for rules of equal priority", () => {
    expect(planActions([rule({ id: "x" }), rule({ id: "y" })], message(), context()).map((p) => p.ruleId)).toEqual(["x", "y"]);
  });

  it("a non-matching stop-after-match rule does not stop the others", () => {
    const rules = [rule({ id: "stopper", priority: 1, stopAfterMatch: true, conditions: { keywords: { any: ["refund"] } } }), rule({ id: "after", priority: 2 })];
    expect(planActions(rules, message(), context()).map((p) => p.ruleId)).toEqual(["after"]);
  });

  it("a resting stop-after-match rule still keeps later rules from answering", () => {
    const rules = [rule({ id: "resting", priority: 1, stopAfterMatch: true, quietHours: { from: "11:00", to: "13:00" } }), rule({ id: "catch-all", priority: 2 })];
    const plans = planActions(rules, message(), context());
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ ruleId: "resting", actions: [], skipped: { reason: "quiet_hours" } });
  });

  describe("per-author cooldown", () => {
    const cooling = rule({ cooldownSeconds: 3600 });
    it.each([
      ["acted 59 minutes ago", NOON_PARIS - 59 * 60_000, "cooldown"],
      ["acted exactly an hour ago", NOON_PARIS - 3600_000, null],
      ["acted yesterday", NOON_PARIS - 86_400_000, null],
      ["never acted", undefined, null],
    ])("%s → %s", (_label, last, reason) => {
      const plans = planActions([cooling], message(), context({ lastActedAt: last === undefined ? {} : { "rule-a": last } }));
      expect(plans[0]?.skipped?.reason ?? null).toBe(reason);
    });

    it("says why in the hit log's words", () => {
      const plans = planActions([cooling], message(), context({ lastActedAt: { "rule-a": NOON_PARIS - 60_000 } }));
      expect(plans[0]?.skipped?.detail).toBe("This rule already acted for this person less than 1 hour ago.");
    });

    it("cannot apply to an author the platform does not name", () => {
      expect(planActions([cooling], message({ authorId: null }), context({ lastActedAt: { "rule-a": NOON_PARIS } }))[0]?.skipped).toBeNull();
    });
  });
});

describe("quiet hours in the workspace's time zone", () => {
  it.each([
    ["inside a daytime window", { from: "09:00", to: "17:00" }, "2026-06-10T10:00:00Z", "Europe/Paris", true],
    ["at its end (exclusive)", { from: "09:00", to: "12:00" }, "2026-06-10T10:00:00Z", "Europe/Paris", false],
    ["at its start (inclusive)", { from: "12:00", to: "13:00" }, "2026-06-10T10:00:00Z", "Europe/Paris", true],
    ["across midnight, late evening", { from: "22:00", to: "07:00" }, "2026-06-10T21:30:00Z", "Europe/Paris", true],
    ["across midnight, early morning", { from: "22:00", to: "07:00" }, "2026-06-11T04:59:00Z", "Europe/Paris", true],
    ["across midnight, after it ends", { from: "22:00", to: "07:00" }, "2026-06-11T05:00:00Z", "Europe/Paris", false],
    ["same instant, other zone", { from: "22:00", to: "07:00" }, "2026-06-10T21:30:00Z", "America/New_York", false],
    ["DST day (spring forward): 01:30 CET is quiet", { from: "01:00", to: "03:00" }, "2026-03-29T00:30:00Z", "Europe/Paris", true],
    ["DST day (spring forward): one real hour later it is 03:00 CEST", { from: "01:00", to: "03:00" }, "2026-03-29T01:00:00Z", "Europe/Paris", false],
    ["DST day (fall back): the repeated 02:30 is quiet both times (first)", { from: "02:00", to: "03:00" }, "2026-10-25T00:30:00Z", "Europe/Paris", true],
    ["DST day (fall back): the repeated 02:30 is quiet both times (second)", { from: "02:00", to: "03:00" }, "2026-10-25T01:30:00Z", "Europe/Paris", true],
  ])("%s", (_label, quiet, instant, zone, expected) => {
    expect(inQuietHours(quiet, Date.parse(instant), zone)).toBe(expected);
  });

  it("skips a matching rule during quiet hours, with the window in the sentence", () => {
    const plans = planActions([rule({ quietHours: { from: "22:00", to: "07:00" } })], message(), context({ now: Date.parse("2026-06-10T23:00:00Z") }));
    expect(plans[0]).toMatchObject({ actions: [], skipped: { reason: "quiet_hours", detail: "It arrived during the rule's quiet hours (22:00–07:00, Europe/Paris)." } });
  });
});
