import { defineConfig } from "vitest/config";

/** Browser tests: a real Worker stack (wrangler dev) driven by headless Chromium. Run via `npm run test:browser`. */
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/browser.json" },
  },
});
