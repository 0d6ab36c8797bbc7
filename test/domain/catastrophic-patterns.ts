/**
 * The shapes that make a backtracking regex engine take exponential (or high polynomial) time, each with
 * a 10,000-character text built to trigger it and the right answer. Used by the rule-pattern tests and
 * by `npm run bench` (which prints how long each match takes).
 */
export const CATASTROPHIC: [pattern: string, label: string, expected: boolean, text: string][] = [
  ["^(a+)+$", "10,000 a then !", false, "a".repeat(10_000) + "!"],
  ["^(a+)+$", "10,000 a", true, "a".repeat(10_000)],
  ["(a|aa)+$", "10,000 a then !", false, "a".repeat(10_000) + "!"],
  ["(a|aa)+$", "b then 10,000 a", true, "b" + "a".repeat(10_000)],
  ["^((.|..))+#$", "10,000 x", false, "x".repeat(10_000)],
  ["^((.|..))+#$", "9,999 x then #", true, "x".repeat(9_999) + "#"],
  ["^(\\w+\\s?)*$", "2,000 words then !", false, "word ".repeat(2_000) + "!"],
  ["^(\\w+\\s?)*$", "2,000 words", true, "word ".repeat(2_000)],
  ["(x+x+)+y", "10,000 x", false, "x".repeat(10_000)],
  ["(x+x+)+y", "9,999 x then y", true, "x".repeat(9_999) + "y"],
  ["^(a|a?)+$", "10,000 a then b", false, "a".repeat(10_000) + "b"],
  ["(.*a){12}", "10,000 a", true, "a".repeat(10_000)],
  ["(.*a){12}", "11 a then 9,989 b", false, "a".repeat(11) + "b".repeat(9_989)],
  [".*a.*b.*c.*d.*e", "abcd × 2,500", false, "abcd".repeat(2_500)],
  ["^(\\d+)*$", "10,000 digits then x", false, "1".repeat(10_000) + "x"],
  ["(\\s*,\\s*)*z", "3,333 commas then !", false, " , ".repeat(3_333) + "!"],
];
