import { describe, expect, it } from "vitest";
import { parseLittleText } from "../../sandbox/platforms/linkedin-little-text";
import { escapeCommentary, sameCommentary, unescapeCommentary } from "../../worker/platforms/linkedin-commentary";

const RESERVED = ["\\", "|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "*", "_", "~"];

describe("LinkedIn little-text commentary", () => {
  it("escapes every reserved character with a backslash and leaves other text alone", () => {
    for (const ch of RESERVED) expect(escapeCommentary(`a${ch}b`)).toBe(`a\\${ch}b`);
    expect(escapeCommentary("Plain words, émojis 🎉 and punctuation: ok? yes! 50% & more.")).toBe("Plain words, émojis 🎉 and punctuation: ok? yes! 50% & more.");
    expect(escapeCommentary("#launch (beta) @team")).toBe("\\#launch \\(beta\\) \\@team");
    expect(escapeCommentary("C:\\path")).toBe("C:\\\\path");
  });

  it("round-trips: what LinkedIn shows after parsing the escaped text is the original text", () => {
    const text = "We're hiring! #jobs (remote) @Acme [apply](here) <3 a*b_c~d | {x} back\\slash\nNew line.";
    const parsed = parseLittleText(escapeCommentary(text));
    expect(parsed).toEqual({ text, commentary: escapeCommentary(text), truncated: false });
    expect(unescapeCommentary(escapeCommentary(text))).toBe(text);
  });

  it("shows why escaping matters: a stray reserved character silently cuts the text there", () => {
    expect(parseLittleText("Launch day (finally) is here")).toEqual({ text: "Launch day ", commentary: "Launch day ", truncated: true });
    expect(parseLittleText("Tags: #news")).toMatchObject({ text: "Tags: ", truncated: true });
    // Mention markup is not a stray character.
    expect(parseLittleText("Thanks @[Acme](urn:li:organization:2414183)!")).toEqual({ text: "Thanks Acme!", commentary: "Thanks @[Acme](urn:li:organization:2414183)!", truncated: false });
  });

  it("matches listed commentary in either form against the text sent", () => {
    const text = "Hello (world) #1";
    expect(sameCommentary(escapeCommentary(text), text)).toBe(true);
    expect(sameCommentary(text, text)).toBe(true);
    expect(sameCommentary(" Hello \\(world\\) \\#1\r\n", text)).toBe(true);
    expect(sameCommentary("Hello ", text)).toBe(false);
    expect(sameCommentary(undefined, text)).toBe(false);
    expect(sameCommentary(undefined, "")).toBe(true);
  });
});
