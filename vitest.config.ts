import { mkdirSync } from "node:fs";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// wrangler.toml points static assets at dist/client; tests never read them, but the folder must exist.
mkdirSync("dist/client", { recursive: true });

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          SESSION_SECRET: "test-session-secret-0123456789abcdef0123456789abcdef",
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
        },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    setupFiles: ["./test/helpers/apply-migrations.ts"],
    testTimeout: 20_000,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/worker.json" },
  },
});
