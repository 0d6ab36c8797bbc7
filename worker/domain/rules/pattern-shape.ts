/**
 * What can be told about a rule's pattern from its text alone, without compiling it: the checks the
 * rule contract runs (and the UI with it, which must not carry the matching engine). Compiling and
 * matching live in rule-pattern.ts.
 *
 * Rule patterns run on RE2's syntax (linear-time matching): the JavaScript features that need
 * backtracking, backreferences and lookaround, have no equivalent there, so they are named in plain
 * words here rather than left to the engine's parse error.
 */
export const PATTERN_MAX_LENGTH = 200;
const ALLOWED_FLAGS = /^[imsu]*$/;

/** Why this pattern cannot be saved, as a sentence for the rule editor, or null when its text is fine. */
export function patternShapeRefusal(pattern: string, flags: string): string | null {
  if (pattern.length === 0) return "Write a pattern, or remove the regular expression.";
  if (pattern.length > PATTERN_MAX_LENGTH) return `A pattern may have at most ${PATTERN_MAX_LENGTH} characters; this one has ${pattern.length}.`;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) return "Only the flags i, m, s and u are allowed, each at most once.";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\") {
      const next = pattern[i + 1] ?? "";
      if (!inClass && (/[1-9]/.test(next) || next === "k")) return "Backreferences (such as \\1 or \\k<name>) are not supported: rule patterns are matched in time proportional to the message's length, which backreferences would break.";
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      continue;
    }
    if (char === "[") inClass = true;
    else if (char === "(" && /^\(\?(?:=|!|<=|<!)/.test(pattern.slice(i))) {
      return "Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: rule patterns are matched in time proportional to the message's length. Match the words themselves, or use the keyword lists.";
    }
  }
  return null;
}
