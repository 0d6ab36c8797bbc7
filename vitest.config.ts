import { mkdirSync } from "node:fs";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { buildSync } from "esbuild";
import { defineConfig } from "vitest/config";
import { sandboxCredentialVars } from "./scripts/sandbox-credentials.mjs";

const SANDBOX_CREDENTIALS = sandboxCredentialVars();

// wrangler.toml points static assets at dist/client; tests never read them, but the folder must exist.
mkdirSync("dist/client", { recursive: true });

// The platform sandbox runs as a second worker beside the app (with its own Durable Object state),
// bundled here the way wrangler would. The app's outbound fetches are routed to it, so adapters talk
// to the sandbox over real HTTP requests while keeping the real platform hosts in code.
const SANDBOX_BUNDLE = "dist/test-sandbox/index.js";
buildSync({
  entryPoints: ["sandbox/index.ts"],
  outfile: SANDBOX_BUNDLE,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
  logLevel: "warning",
});

export const TEST_SANDBOX_ORIGIN = "http://sandbox.test";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          SESSION_SECRET: "test-session-secret-0123456789abcdef0123456789abcdef",
          SANDBOX_ORIGIN: TEST_SANDBOX_ORIGIN,
          // Signed media URLs handed to platforms use this origin; the tests' "browser" origin is the same.
          APP_ORIGIN: "http://atelier.test",
          TOKEN_KEYS: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8,k0:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA",
          ...SANDBOX_CREDENTIALS,
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
        },
        outboundService: "sandbox",
        // Tests drive the publish consumer themselves (built batches, injected time), so the app's
        // producer points at a queue nobody consumes: a real alarm firing during a test enqueues into it
        // harmlessly instead of racing the test. Local development and production consume "publish".
        // The same for webhook entries: tests run the inbound consumer on the messages they capture.
        queueProducers: { PUBLISH_QUEUE: { queueName: "publish-test" }, INBOUND_QUEUE: { queueName: "inbound-test" } },
        workers: [
          {
            name: "sandbox",
            modules: true,
            scriptPath: SANDBOX_BUNDLE,
            compatibilityDate: "2026-10-01",
            durableObjects: { SANDBOX_STATE: { className: "SandboxState", useSQLite: true } },
            // The sandbox's own outbound requests (a platform fetching a media URL, later webhooks) reach
            // the app: the runner worker of the project named "worker" below serves the app's fetch handler.
            outboundService: "vitest-plugin-runner-worker",
          },
        ],
      },
    })),
  ],
  test: {
    name: "worker",
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    setupFiles: ["./test/helpers/apply-migrations.ts"],
    testTimeout: 20_000,
    // The sandbox worker's state (faults, grants, clock) is shared by every test file, so files run one
    // at a time: a fault injected by one file can never be consumed by another file's OAuth flow.
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/worker.json" },
  },
});
