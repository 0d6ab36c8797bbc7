// Auto-reply rule patterns: how long RE2JS takes to match the classic catastrophic shapes on their
// 10,000-character adversarial texts (worker/domain/rules/rule-pattern.ts, as the inbound consumer and
// dry runs call it), and for contrast how JavaScript's backtracking RegExp grows on the same shapes at
// a few dozen characters. Printed, never asserted; runs in this Node process, no stack needed.
import { buildSync } from "esbuild";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../scripts/local-stack.mjs";
import { summarize } from "./stats.mjs";

/** The Worker's module and the tests' table, bundled the way wrangler would (TypeScript, extensionless imports). */
async function load() {
  const outfile = join(tmpdir(), `atelier-rule-patterns-${process.pid}.mjs`);
  buildSync({
    stdin: { contents: 'export * from "./worker/domain/rules/rule-pattern.ts"; export * from "./test/domain/catastrophic-patterns.ts";', resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    outfile,
    logLevel: "warning",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}

function timeRuns(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

export async function rulePatternsBench({ runs = 20 } = {}) {
  const { compileRulePattern, CATASTROPHIC } = await load();
  console.log(`Rule patterns (RE2JS, linear time): one match of each catastrophic shape on its 10,000-character adversarial text, ${runs} runs each:`);
  let worst = 0;
  for (const [pattern, label, expected, text] of CATASTROPHIC) {
    const compiled = compileRulePattern(pattern, "");
    let result = null;
    const samples = timeRuns(() => (result = compiled.test(text)), runs);
    worst = Math.max(worst, ...samples);
    const s = summarize(samples);
    console.log(`  ${pattern.padEnd(18)} on ${label.padEnd(22)} ${JSON.stringify({ p50: s.p50, max: s.max, result, right: result === expected })}`);
  }
  console.log(`  worst single match: ${worst.toFixed(2)} ms`);
  console.log("JavaScript RegExp (backtracking) on the same shapes, for contrast: one match at n characters, ms:");
  // Sizes where it still finishes within seconds: each step multiplies the time, and a real comment is far longer.
  for (const [pattern, make, sizes] of [
    ["^(a+)+$", (n) => "a".repeat(n) + "!", [16, 20, 24, 28]],
    ["^((.|..))+#$", (n) => "x".repeat(n), [24, 30, 36, 40]],
    ["(x+x+)+y", (n) => "x".repeat(n), [16, 20, 24, 28]],
  ]) {
    const re = new RegExp(pattern);
    const row = [];
    for (const n of sizes) {
      const [ms] = timeRuns(() => re.test(make(n)), 1);
      row.push(`n=${n}: ${ms.toFixed(1)}`);
      if (ms > 2_000) break;
    }
    console.log(`  ${pattern.padEnd(18)} ${row.join("  ")}`);
  }
}
