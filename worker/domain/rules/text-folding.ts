/**
 * Text folding for rule keywords: "Café" and "CAFE" are the same word to a person typing a rule.
 *
 * Decisions (documented because every choice here is visible to users):
 * - NFKD, not only NFD: compatibility forms fold too (the "ﬁ" ligature, full-width "ＳＡＬＥ", "²").
 * - Combining marks are stripped after decomposition (é → e, ñ → n, "İ" → "I" + dot → i).
 * - Lower-casing is locale-independent (`toLowerCase`, not a Turkish or Lithuanian locale), so a
 *   rule behaves the same in every workspace. Turkish dotless "ı" folds to "i" as well: people who
 *   type on a keyboard without it write "i", and a keyword search should forgive that.
 * - Letters that Unicode does not decompose but people commonly write without their stroke or
 *   ligature fold explicitly: ß → ss, ø → o, ł → l, đ → d, æ → ae, œ → oe.
 * Marks are stripped on both sides, so scripts whose vowel signs are marks (Devanagari, Thai) still
 * match consistently, only a little more loosely.
 */
const EXTRA_FOLDS: Record<string, string> = { ß: "ss", ı: "i", ø: "o", ł: "l", đ: "d", æ: "ae", œ: "oe" };
const EXTRA_FOLD_PATTERN = /[ßıøłđæœ]/g;

export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(EXTRA_FOLD_PATTERN, (letter) => EXTRA_FOLDS[letter] ?? letter);
}

/**
 * Scripts written without spaces between words: a keyword in them can only be found as a substring
 * (价格 inside 这个价格多少), since there is no word boundary to look for.
 */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Escapes the characters that mean something in a pattern. Only these may be escaped under the `u`
 * flag: an identity escape of anything else (`\-`, `\#`) is a syntax error there.
 */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * A matcher for one keyword, applied to already-folded text. A "word" is a run of Unicode letters
 * and digits (`\p{L}\p{N}`): "price" matches "Price?" and "the price," but not "priceless" or
 * "2price". A keyword of several words matches them as a phrase, whatever whitespace separates them.
 * A keyword starting or ending with a symbol (#sale, 🔥) only needs a boundary on its letter side.
 */
export function keywordMatcher(keyword: string): (foldedText: string) => boolean {
  const folded = foldText(keyword).trim();
  if (folded.length === 0) return () => false;
  if (UNSPACED_SCRIPT.test(folded)) return (text) => text.includes(folded);
  const phrase = folded.split(/\s+/).map(escapeRegExp).join("\\s+");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${phrase}(?![\\p{L}\\p{N}])`, "u");
  return (text) => pattern.test(text);
}
