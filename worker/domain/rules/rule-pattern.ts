import { RE2JS } from "re2js";
import { patternShapeRefusal } from "./pattern-shape";

/**
 * Rule patterns run inside the Worker on every inbound message and in dry runs, where workerd has no
 * regex timeout: with a backtracking engine (JavaScript's RegExp), one pattern like `^((.|..))+#$` on a
 * long comment pins the CPU for seconds to hours and stalls everything else on the isolate. They are
 * matched with RE2JS instead, a port of RE2: time proportional to the text's length whatever the
 * pattern, so no pattern needs to be refused for its shape, and `(a+)+$` gives the right answer on a
 * 10,000-character comment in about a millisecond.
 */

/**
 * The longest text a pattern is matched against: more than any platform's comment or message (YouTube
 * comments, the longest, allow 10,000 characters). Linear matching makes this cheap; the cap only
 * bounds what a forged webhook could send.
 */
export const PATTERN_MAX_INPUT = 20_000;

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

export type CompiledPattern = { ok: true; test: (text: string) => boolean } | { ok: false; refusal: string };

/** Compiled patterns by flags and text: the same few rules run on every message of a workspace. */
const compiled = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 512;

function compile(pattern: string, flags: string): CompiledPattern {
  const refusal = patternShapeRefusal(pattern, flags);
  if (refusal) return { ok: false, refusal };
  try {
    const bits = [...flags].reduce((sum, flag) => sum | (FLAG_BITS[flag] ?? 0), 0);
    const re = RE2JS.compile(pattern, bits);
    return { ok: true, test: (text) => re.test(text.slice(0, PATTERN_MAX_INPUT)) };
  } catch (error) {
    // RE2JS quotes the pattern with the flags it prepended as a group, e.g. `(?i)(price`: show the person's own text.
    const detail = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp:\s*/, "").replace(/`\(\?[imsU]+\)/g, "`");
    return { ok: false, refusal: `This is not a valid pattern: ${detail}.` };
  }
}

/** The pattern ready to test texts with, or why it cannot run (in words for the rule editor). Never throws. */
export function compileRulePattern(pattern: string, flags: string): CompiledPattern {
  const key = `${flags}/${pattern}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const result = compile(pattern, flags);
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, result);
  return result;
}

/** Why the pattern cannot be saved, or null: the server-side check of a rule (the contract checks only the text's shape). */
export function patternRefusal(pattern: string, flags: string): string | null {
  const result = compileRulePattern(pattern, flags);
  return result.ok ? null : result.refusal;
}
