/**
 * LinkedIn's "little text" commentary format (shared/platforms/linkedin.md §4.1). These characters are
 * markup: `\ | { } @ [ ] ( ) < > # * _ ~`. Unescaped, LinkedIn does not refuse the post: it answers 201
 * and silently drops the text from the first stray character on. Atelier sends plain text (no mention
 * or hashtag markup), so every reserved character is escaped.
 */
const RESERVED = /[\\|{}@[\]()<>#*_~]/g;
const ESCAPED = /\\([\\|{}@[\]()<>#*_~])/g;

/** Plain text → little text that LinkedIn shows exactly as written. */
export function escapeCommentary(text: string): string {
  return text.replace(RESERVED, "\\$&");
}

/** Little text → what readers see (escapes resolved; markup such as mentions is left as written). */
export function unescapeCommentary(littleText: string): string {
  return littleText.replace(ESCAPED, "$1");
}

const normalise = (s: string) => s.replace(/\r\n?/g, "\n").trim();

/**
 * Whether a commentary LinkedIn lists is the text Atelier sent. Whether the Posts API returns
 * commentary escaped (as sent) or plain is unverified, so both forms are accepted.
 */
export function sameCommentary(listed: string | undefined, sentText: string): boolean {
  if (listed === undefined) return normalise(sentText) === "";
  const sent = normalise(sentText);
  return normalise(listed) === normalise(escapeCommentary(sentText)) || normalise(unescapeCommentary(listed)) === sent;
}
