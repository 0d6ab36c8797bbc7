// Prints one plain closing line ("N passed, N failed, N skipped") from the JSON reports `npm test` wrote.
import { existsSync, readFileSync } from "node:fs";

const reports = [".test-results/worker.json", ".test-results/browser.json"];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of reports) {
  if (!existsSync(path)) {
    console.error(`missing test report ${path}`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(path, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
