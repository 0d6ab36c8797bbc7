// Serves the bundle `wrangler deploy` would upload under workerd (Miniflare), with local D1/R2/Queues/
// Durable Objects, for the benchmarks. Unlike `wrangler dev` it can give the Worker a socket of its own
// (`unsafeDirectSockets`): requests and WebSockets reach the Worker with no dev layer in front, as in
// production. Under `wrangler dev` every socket passes through Miniflare's entry worker, which
// negotiates permessage-deflate with the client whatever the Worker's compatibility flags say, and so
// compresses every hub frame once per socket; measured, that was a third of a 500-socket fan-out.
//
// Run as a child process by `startStack({ app: "bundle" })`; prints one JSON line once ready.
// Usage: node scripts/serve-bundle.mjs '{"host":"127.0.0.1","port":18987,"directPort":18989,"persistTo":"…","vars":{…}}'
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "./local-stack.mjs";

const require = createRequire(join(ROOT, "package.json"));
const { Miniflare, Log, LogLevel, NoOpLog, convertV4MiniflareOptions } = require("miniflare");
const { unstable_getMiniflareWorkerOptions } = require("wrangler");

const options = JSON.parse(process.argv[2] ?? "{}");
const { host = "127.0.0.1", port, directPort, inspectorPort, persistTo, vars = {}, quiet = true } = options;
if (!port || !directPort || !persistTo) throw new Error("serve-bundle needs port, directPort and persistTo");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0" } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

/** `wrangler deploy --dry-run` writes exactly what a deploy would upload; it wants the UI built (assets). */
function buildBundle(outdir) {
  if (!existsSync(join(ROOT, "dist", "client", "index.html"))) run(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"]);
  run(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outdir]);
  return join(outdir, "index.js");
}

const outdir = join(persistTo, "bundle");
const bundle = buildBundle(outdir);
// Bindings, queues (producers and consumers with their batch settings), Durable Objects and
// compatibility settings come from wrangler.toml, and the secrets from .dev.vars, as `wrangler dev` reads them.
const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"));
const mf = new Miniflare(
  convertV4MiniflareOptions({
    host,
    port,
    // DevTools (profiling) as under `wrangler dev --inspector-port`.
    ...(inspectorPort ? { inspectorPort } : {}),
    log: quiet ? new NoOpLog() : new Log(LogLevel.INFO),
    // Answers /cdn-cgi/local/scheduled on the entry port: the local cron (scripts/local-cron.mjs) fires
    // the Worker's scheduled handler through it, as it does under `wrangler dev`.
    unsafeTriggerHandlers: true,
    // The Worker's own log lines: when quiet only errors, as `wrangler dev --log-level error` shows.
    handleStructuredLogs: ({ level, message }) => {
      if (level === "error") console.error(message);
      else if (!quiet) (level === "warn" ? console.error : console.log)(message);
    },
    // The same layout as `wrangler dev --persist-to` and `wrangler d1 migrations apply --persist-to`.
    resourcePersistencePath: join(persistTo, "v3"),
    workers: [
      {
        ...workerOptions,
        // The benchmarks drive the API and webhooks; the UI's assets are served by `npm start`.
        assets: undefined,
        modulesRoot: outdir,
        modules: [{ type: "ESModule", path: bundle }],
        bindings: { ...workerOptions.bindings, ...vars },
        unsafeDirectSockets: [{ host, port: directPort }],
      },
    ],
  }),
);
await mf.ready;
console.log(JSON.stringify({ ready: true, appUrl: `http://${host}:${port}`, directUrl: `http://${host}:${directPort}` }));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await mf.dispose().catch(() => {});
    process.exit(0);
  });
}
