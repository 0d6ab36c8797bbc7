import { describe, expect, it } from "vitest";
import { RuleInput } from "../../worker/contracts/inbox-rules";
import { REGEX_MAX_INPUT, regexRefusal, safeRegexTest } from "../../worker/domain/rules/safe-regex";
import { renderTemplate, templateRefusal, templateValues } from "../../worker/domain/rules/templates";
import { foldText, keywordMatcher } from "../../worker/domain/rules/text-folding";

const matches = (keyword: string, text: string) => keywordMatcher(keyword)(foldText(text));

describe("folding", () => {
  it.each([
    ["Café", "cafe"],
    ["CAFÉ", "cafe"],
    ["Straße", "strasse"],
    ["İstanbul", "istanbul"],
    ["ıspanak", "ispanak"],
    ["ﬁnal", "final"],
    ["ＳＡＬＥ", "sale"],
    ["Ørsted Łódź", "orsted lodz"],
  ])("%s folds to %s", (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });
});

describe("keywords match whole words and phrases, ignoring case and accents", () => {
  it.each([
    ["price", "What's the PRICE?", true],
    ["price", "priceless", false],
    ["price", "2price", false],
    ["price", "price.", true],
    ["cafe", "Best café in town", true],
    ["CAFÉ", "best cafe", true],
    ["strasse", "Hauptstraße", false],
    ["straße", "die STRASSE", true],
    ["istanbul", "İSTANBUL trip", true],
    ["price list", "send the price   list please", true],
    ["price list", "price of the list", false],
    ["price list", "price listing", false],
    ["#sale", "big #sale today", true],
    ["#sale", "big #sales today", false],
    ["🔥", "so good🔥🔥", true],
    ["цена", "Какая ЦЕНА?", true],
    ["цена", "ценами", false],
    ["价格", "这个价格多少", true],
    ["مرحبا", "مرحبا بك", true],
  ])("%s in %s → %s", (keyword, text, expected) => {
    expect(matches(keyword, text)).toBe(expected);
  });
});

describe("regex guard", () => {
  it.each([
    ["(a+)+$", /repeated group/],
    ["(a*)*b", /repeated group/],
    ["(a|ab)*c", /repeated group/],
    ["(\\w+\\s?){1,10}$", /repeated group/],
    ["(a)\\1", /Backreferences/],
    ["(?<x>a)\\k<x>", /Backreferences/],
    [".*a.*b", /one open-ended repetition/],
    ["\\w*\\w*x", /one open-ended repetition/],
    ["a?b?c?d?e?", /at most 4 repetitions/],
    ["x".repeat(201), /at most 200 characters; this one has 201/],
    ["(", /not a valid regular expression/],
    ["", /Write a pattern/],
  ])("refuses %s", (pattern, sentence) => {
    expect(regexRefusal(pattern, "i")).toMatch(sentence);
  });

  it.each(["price|cost", "\\b(price|cost)\\b", "order #\\d{4,8}", "(?:hi|hello)?\\s*there", "[a-z]+@example\\.com", "colou?r", "(ab)+c", "(?=.*x)y"])("accepts %s", (pattern) => {
    expect(regexRefusal(pattern, "i")).toBeNull();
  });

  it("refuses flags other than i, m, s and u", () => {
    expect(regexRefusal("a", "g")).toMatch(/Only the flags i, m, s and u/);
    expect(regexRefusal("a", "ii")).toMatch(/each at most once/);
  });

  it("refuses a catastrophic pattern before running it, and never runs it", () => {
    const evil = "a".repeat(5000) + "!";
    const started = Date.now();
    expect(safeRegexTest("^(a+)+$", "", evil)).toBe(false);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it("cuts the text before matching", () => {
    const text = "a".repeat(REGEX_MAX_INPUT) + "needle";
    expect(safeRegexTest("needle", "i", text)).toBe(false);
    expect(safeRegexTest("needle", "i", "a needle")).toBe(true);
  });

  it("keeps the worst accepted shape fast on a long comment", () => {
    const started = Date.now();
    safeRegexTest("\\w+x", "", "a".repeat(REGEX_MAX_INPUT));
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("reports the refusal on the pattern field when a rule is saved", () => {
    const parsed = RuleInput.safeParse({ name: "r", conditions: { regex: { pattern: "(x+)+y" } }, actions: [{ type: "like" }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["conditions", "regex", "pattern"], message: expect.stringMatching(/repeated group/) });
  });
});

describe("templates", () => {
  const values = templateValues({ authorName: "Marie Curie", channelName: "Atelier Café", text: "How much is it?" });

  it.each([
    ["Hi {first_name}!", "Hi Marie!"],
    ["Thanks {name}, from {channel}", "Thanks Marie Curie, from Atelier Café"],
    ["You asked: {text}", "You asked: How much is it?"],
    ["{first_name}{first_name}", "MarieMarie"],
    ["Braces { stay } as text", "Braces { stay } as text"],
  ])("%s → %s", (template, rendered) => {
    expect(renderTemplate(template, values)).toBe(rendered);
  });

  it("tidies the text when the author's name is unknown", () => {
    expect(renderTemplate("Hi {first_name}, check your DMs!", templateValues({ authorName: null, channelName: "x", text: "" }))).toBe("Hi, check your DMs!");
  });

  it("quotes at most 200 characters of the message", () => {
    expect(templateValues({ authorName: null, channelName: "x", text: "y".repeat(500) }).text).toHaveLength(200);
  });

  it("refuses unknown variables with a sentence naming them", () => {
    expect(templateRefusal("Hi {firstname} and {first_name} {Name}")).toBe("These variables do not exist: {firstname}, {Name}. Use {first_name}, {name}, {channel} or {text}.");
    expect(templateRefusal("Hi {first_name}")).toBeNull();
    const parsed = RuleInput.safeParse({ name: "r", conditions: { kinds: ["comments"] }, actions: [{ type: "reply", text: "Hi {nom}" }] });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["actions", 0, "text"], message: "This variable does not exist: {nom}. Use {first_name}, {name}, {channel} or {text}." });
  });
});
