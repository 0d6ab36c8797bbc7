import type { CountingRule } from "./capabilities/types";

const encoder = new TextEncoder();
let segmenter: Intl.Segmenter | undefined;

/** The length of `text` as a platform counts it (see CountingRule). */
export function textLength(text: string, rule: CountingRule): number {
  switch (rule) {
    case "code_points":
      return [...text].length;
    case "utf8_bytes":
      return encoder.encode(text).length;
    case "graphemes": {
      segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
      let n = 0;
      for (const _ of segmenter.segment(text)) n += 1;
      return n;
    }
  }
}

export function unitName(rule: CountingRule, n: number): string {
  const one = rule === "utf8_bytes" ? "byte" : "character";
  return n === 1 ? one : `${one}s`;
}

/** #hashtags and @mentions as Instagram counts them: a # or @ starting a word. */
export function countTags(text: string): { hashtags: number; mentions: number } {
  return { hashtags: (text.match(/(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu) ?? []).length, mentions: (text.match(/(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.]+/gu) ?? []).length };
}
