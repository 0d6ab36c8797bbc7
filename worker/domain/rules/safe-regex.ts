/**
 * Rule regexes run inside the Worker on every inbound message, and workerd has no regex timeout: a
 * pattern like `(a+)+$` against a long comment would pin the CPU until the request is killed. The
 * guard is therefore static, checked when the rule is saved (and again before running it):
 *
 * - the pattern is at most {@link REGEX_MAX_LENGTH} characters, flags only `i`, `m`, `s`, `u`;
 * - no backreferences (`\1`, `\k<name>`): they make matching NP-hard in general;
 * - no repeated group that itself contains a repetition or an alternative (`(a+)+`, `(a|ab)*`):
 *   the classic exponential backtracking shapes
 *   (only `?` may follow such a group);
 * - at most one open-ended repetition (`*`, `+`, `{n,}`, or `{n,m}` with m > 10) and at most
 *   {@link REGEX_MAX_REPETITIONS} repetitions in all: two open-ended ones (`.*a.*b`) already take
 *   seconds on a 2,000-character comment on a slow core, one stays quadratic at worst;
 * - the text is cut to {@link REGEX_MAX_INPUT} characters before matching.
 * Together they bound the work to roughly (input length)² steps, a few milliseconds.
 */
export const REGEX_MAX_LENGTH = 200;
export const REGEX_MAX_INPUT = 2000;
export const REGEX_MAX_REPETITIONS = 4;
const BOUNDED_REPEAT_LIMIT = 10;
const ALLOWED_FLAGS = /^[imsu]*$/;

/** `optional`: the `?` quantifier (zero or one), harmless even around a risky group. */
type Repetition = { openEnded: boolean; optional: boolean };

/** The quantifier starting at `pattern[i]`, with its length, or null. */
function quantifierAt(pattern: string, i: number): (Repetition & { length: number }) | null {
  const char = pattern[i];
  if (char === "*" || char === "+") return { openEnded: true, optional: false, length: pattern[i + 1] === "?" ? 2 : 1 };
  if (char === "?") return { openEnded: false, optional: true, length: pattern[i + 1] === "?" ? 2 : 1 };
  if (char !== "{") return null;
  const match = /^\{(\d+)(,(\d*))?\}\??/.exec(pattern.slice(i));
  if (!match) return null;
  const upper = match[2] === undefined ? Number(match[1]) : match[3] === "" ? Infinity : Number(match[3]);
  return { openEnded: upper > BOUNDED_REPEAT_LIMIT, optional: false, length: match[0].length };
}

/** Why this pattern is refused, as a sentence for the rule editor, or null when it is safe to run. */
export function regexRefusal(pattern: string, flags: string): string | null {
  if (pattern.length === 0) return "Write a pattern, or remove the regular expression.";
  if (pattern.length > REGEX_MAX_LENGTH) return `A pattern may have at most ${REGEX_MAX_LENGTH} characters; this one has ${pattern.length}.`;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) return "Only the flags i, m, s and u are allowed, each at most once.";
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return `This is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}.`;
  }

  // Open groups: whether each contains a repetition or an alternative so far.
  const groups: { risky: boolean }[] = [];
  let inClass = false;
  let repetitions = 0;
  let openEnded = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next) || (next === "k" && pattern[i + 2] === "<")) return "Backreferences (such as \\1 or \\k<name>) are not allowed: they can make matching take forever.";
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      continue;
    }
    if (char === "[") {
      inClass = true;
      continue;
    }
    if (char === "(") {
      groups.push({ risky: false });
      continue;
    }
    if (char === "|") {
      const current = groups.at(-1);
      if (current) current.risky = true;
      continue;
    }
    // `(?`, `(?:`, `(?=` and friends: the `?` right after `(` is group syntax, not a quantifier.
    if (char === "?" && pattern[i - 1] === "(") continue;
    const closesGroup = char === ")";
    const closed = closesGroup ? groups.pop() : undefined;
    const quantifier = quantifierAt(pattern, closesGroup ? i + 1 : i);
    if (!quantifier) continue;
    if (closed?.risky && !quantifier.optional) return "A repeated group may not contain another repetition or an alternative (like (a+)+ or (a|ab)*): such patterns can make matching take forever.";
    repetitions += 1;
    if (quantifier.openEnded) openEnded += 1;
    if (openEnded > 1) return "Use at most one open-ended repetition (*, + or {n,}) in a pattern: more can make matching take far too long on a long comment.";
    if (repetitions > REGEX_MAX_REPETITIONS) return `Use at most ${REGEX_MAX_REPETITIONS} repetitions (*, +, ? or {n,m}) in a pattern.`;
    // A repetition makes every enclosing group risky to repeat.
    for (const group of groups) group.risky = true;
    i += (closesGroup ? 1 : 0) + quantifier.length - 1;
  }
  return null;
}

/** Runs a pattern that passed {@link regexRefusal}; returns false (never throws) for a refused one. */
export function safeRegexTest(pattern: string, flags: string, text: string): boolean {
  if (regexRefusal(pattern, flags) !== null) return false;
  return new RegExp(pattern, flags).test(text.slice(0, REGEX_MAX_INPUT));
}
