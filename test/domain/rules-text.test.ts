import { describe, expect, it } from "vitest";
import { RuleInput } from "../../worker/contracts/inbox-rules";
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

describe("keywords with characters that mean something in a pattern", () => {
  it.each([
    ["e-mail", "Can I send an E-mail?", "email me"],
    ["c++", "I love C++!", "I love c"],
    ["$5", "only $5 today", "only 5 today"],
    ["a.b", "see a.b now", "see axb now"],
    ["(hi)", "say (hi) there", "say hi there"],
    ["[x]", "tick [x] here", "tick x here"],
    ["{y}", "the {y} part", "the y part"],
    ["a|b", "choose a|b", "choose a"],
    ["x^y", "compute x^y", "compute xy"],
    ["back\\slash", "a back\\slash here", "a backslash here"],
    ["q?", "any q? yes", "any q yes"],
    ["star*", "a star* here", "a starr here"],
    ["a/b", "test a/b now", "test ab now"],
    ["50%", "save 50% today", "save 50 today"],
    ["#sale", "big #sale now", "big sale now"],
  ])("%s matches %s and not %s, and never throws", (keyword, yes, no) => {
    expect(matches(keyword, yes)).toBe(true);
    expect(matches(keyword, no)).toBe(false);
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
