import { describe, expect, it } from "vitest";
import { RuleInput } from "../../worker/contracts/inbox-rules";
import { matchRule, type EngineMessage } from "../../worker/domain/rules/engine";
import { PATTERN_MAX_INPUT, compileRulePattern, patternRefusal } from "../../worker/domain/rules/rule-pattern";
import { CATASTROPHIC } from "./catastrophic-patterns";

const run = (pattern: string, text: string, flags = "") => {
  const compiled = compileRulePattern(pattern, flags);
  if (!compiled.ok) throw new Error(compiled.refusal);
  return compiled.test(text);
};

describe("rule patterns run in linear time", () => {
  it.each(CATASTROPHIC)("%s on %s: %s", (pattern, _label, expected, text) => {
    expect(patternRefusal(pattern, "")).toBeNull();
    expect(run(pattern, text)).toBe(expected);
  });

  it("agrees with JavaScript's RegExp on the same shapes where backtracking is still cheap", () => {
    for (const [pattern, , , text] of CATASTROPHIC) {
      // 8 characters from each end keep the backtracking engine's work small.
      const short = text.length > 16 ? text.slice(0, 8) + text.slice(-8) : text;
      expect(run(pattern, short), `${pattern} on ${short}`).toBe(new RegExp(pattern).test(short));
    }
  });

  it("reads the whole of the longest comment a platform sends, and no further", () => {
    expect(run("needle", "a".repeat(PATTERN_MAX_INPUT - 6) + "needle")).toBe(true);
    expect(run("needle", "a".repeat(PATTERN_MAX_INPUT) + "needle")).toBe(false);
  });

  it("honours the flags i, m, s and u", () => {
    expect(run("price", "PRICE?", "i")).toBe(true);
    expect(run("price", "PRICE?", "")).toBe(false);
    expect(run("^cost$", "price\ncost", "m")).toBe(true);
    expect(run("^cost$", "price\ncost", "")).toBe(false);
    expect(run("a.b", "a\nb", "s")).toBe(true);
    expect(run("a.b", "a\nb", "")).toBe(false);
    expect(run("\\p{L}+é", "café", "u")).toBe(true);
  });

  it.each(["price|cost", "\\b(price|cost)\\b", "order #\\d{4,8}", "(?:hi|hello)?\\s*there", "[a-z]+@example\\.com", "colou?r", "(ab)+c", "(a+)+$", "(?<n>x)\\d", "[(?=]x", "\\(\\?=", "\\\\1"])("accepts %s", (pattern) => {
    expect(patternRefusal(pattern, "i")).toBeNull();
  });
});

describe("patterns that cannot run are refused in plain words", () => {
  it.each([
    ["(a)\\1", /^Backreferences \(such as \\1 or \\k<name>\) are not supported/],
    ["(?<x>a)\\k<x>", /^Backreferences/],
    ["(?=.*x)y", /^Lookahead and lookbehind/],
    ["(?!x)y", /^Lookahead and lookbehind/],
    ["(?<=x)y", /^Lookahead and lookbehind/],
    ["(?<!x)y", /^Lookahead and lookbehind/],
    ["(", /^This is not a valid pattern: missing closing \): `\(`\.$/],
    ["a{1001}", /^This is not a valid pattern: invalid repeat count/],
    ["x".repeat(201), /at most 200 characters; this one has 201/],
    ["", /Write a pattern/],
  ])("refuses %s", (pattern, sentence) => {
    expect(patternRefusal(pattern, "i")).toMatch(sentence);
  });

  it("refuses flags other than i, m, s and u", () => {
    expect(patternRefusal("a", "g")).toMatch(/Only the flags i, m, s and u/);
    expect(patternRefusal("a", "ii")).toMatch(/each at most once/);
  });

  it("reports what the text alone shows on the pattern field of the rule contract (the server checks the syntax on save)", () => {
    const parsed = RuleInput.safeParse({ name: "r", conditions: { regex: { pattern: "(?=x)y" } }, actions: [{ type: "like" }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["conditions", "regex", "pattern"], message: expect.stringMatching(/^Lookahead and lookbehind/) });
    expect(RuleInput.safeParse({ name: "r", conditions: { kinds: ["comments"], regex: { pattern: "(a+)+$" } }, actions: [{ type: "like" }] }).success).toBe(true);
  });

  it("a stored rule whose pattern can no longer run matches nothing and says why", () => {
    const message: EngineMessage = { id: "m", connectionId: "c", kind: "comments", direction: "in", ruleId: null, authorId: "a", authorName: "A", text: "xy" };
    const result = matchRule({ conditions: { channels: [], kinds: [], keywords: { any: [], all: [], none: [] }, regex: { pattern: "(?=x)y", flags: "" }, excludeOwn: true } }, message);
    expect(result).toEqual({ matched: false, why: expect.stringMatching(/^The pattern cannot be used: Lookahead and lookbehind .* Edit the rule to fix it\.$/) });
  });
});
