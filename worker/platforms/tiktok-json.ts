/**
 * TikTok writes some int64 ids as bare JSON numbers (`publicaly_available_post_id: [7335123456789012345]`,
 * tiktok.md §4.5). `JSON.parse` turns 19 digits into a rounded double before any schema sees them, so
 * the raw text is rewritten first: every integer literal outside a string that is too long to be a safe
 * JS integer (16+ digits) becomes a JSON string with the same digits. Everything else is untouched.
 */
export function quoteLongIntegers(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // Copy the string literal verbatim, honouring escapes.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let j = i + 1;
      while (j < text.length && /[0-9eE.+-]/.test(text[j]!)) j += 1;
      const literal = text.slice(i, j);
      out += /^-?\d{16,}$/.test(literal) ? `"${literal}"` : literal;
      i = j;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** The body as JSON with long integers kept as exact digit strings; undefined when it is not JSON. */
export function parseJsonKeepingIds(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(quoteLongIntegers(text));
  } catch {
    return undefined;
  }
}
