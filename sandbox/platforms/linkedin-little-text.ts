/**
 * LinkedIn's "little text" commentary format (linkedin.md §4.1): `\ | { } @ [ ] ( ) < > # * _ ~` are
 * markup and must be backslash-escaped to appear as text. The real API does not refuse a stray reserved
 * character: it answers 201 and silently drops the commentary from that character on (reported by an
 * independent client). The sandbox does the same, so an adapter that forgets to escape loses text in tests.
 */
const RESERVED = new Set(["\\", "|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "*", "_", "~"]);

/** A mention: `@[Visible name](urn:li:person:…)` or `…(urn:li:organization:…)`. */
const MENTION = /^@\[([^\][\\]*)\]\((urn:li:(?:person|organization):[A-Za-z0-9_-]+)\)/;

export type LittleText = {
  /** What readers see (escapes resolved, mentions as their names), cut at the first stray reserved character. */
  text: string;
  /** The part of the commentary LinkedIn kept, still in little-text form (what the posts finder returns). */
  commentary: string;
  /** Whether a stray reserved character cut the commentary short. */
  truncated: boolean;
};

export function parseLittleText(raw: string): LittleText {
  let text = "";
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i] as string;
    if (ch === "\\" && i + 1 < raw.length && RESERVED.has(raw[i + 1] as string)) {
      text += raw[i + 1];
      i += 2;
      continue;
    }
    if (ch === "@") {
      const mention = MENTION.exec(raw.slice(i));
      if (mention) {
        text += mention[1];
        i += mention[0].length;
        continue;
      }
    }
    if (RESERVED.has(ch)) return { text, commentary: raw.slice(0, i), truncated: true };
    text += ch;
    i += 1;
  }
  return { text, commentary: raw, truncated: false };
}
