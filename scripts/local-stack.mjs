import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDevVars } from "./dev-vars.mjs";
import { findDirectWorkerUrl } from "./direct-worker.mjs";
import { cronTriggers, manualTriggerCommand, startLocalCron } from "./local-cron.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

function quietEnv() {
  // No telemetry, no update checks, no interactive hotkeys: this is a script, not a terminal session.
  // Wrangler's local observability (on by default since wrangler 4) streams a tail event for every
  // request and queue batch to a collector Worker that stores it, on the same single workerd thread
  // as the app: measured, it halved the webhook route's throughput and took its p99 at 200/s from
  // ~50 ms to 250–550 ms. Production has nothing like it on the Worker's thread, so it is off unless
  // asked for (X_LOCAL_OBSERVABILITY=true npm start, for wrangler's local explorer).
  return { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0", X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false" };
}

/** Applies the D1 migrations in `migrations/` to the local database under `persistTo`. */
export function applyLocalMigrations(persistTo) {
  const result = spawnSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    cwd: ROOT,
    env: quietEnv(),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`Applying D1 migrations failed:\n${result.stdout}\n${result.stderr}`);
}

function startWrangler(args, label, quiet) {
  // "log" is the level of the Worker's own console.log lines (the cron's report among them); "info" hides them.
  const child = spawn(WRANGLER, ["dev", ...args, "--show-interactive-dev-session=false", "--log-level", quiet ? "error" : "log"], {
    cwd: ROOT,
    env: quietEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = (chunk) => chunk.toString().split("\n").filter(Boolean).map((line) => `[${label}] ${line}`).join("\n");
  child.stdout.on("data", (chunk) => quiet || console.log(prefix(chunk)));
  child.stderr.on("data", (chunk) => quiet || console.error(prefix(chunk)));
  return child;
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not ready after ${timeoutMs / 1000} s`);
}

function stopChild(child) {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    child.once("exit", () => resolveStop());
    try {
      process.kill(-child.pid, "SIGINT");
    } catch {
      return resolveStop();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, 5000).unref();
  });
}

/**
 * Points the sandbox's Meta app webhooks (Pages and Instagram) at the app's `/webhooks/meta`, as the
 * App Dashboard would: the sandbox verifies the URL with the challenge before storing it. Never throws:
 * a failure (for instance an app without the route yet) is reported and the stack keeps running.
 */
export async function subscribeMetaWebhooks(sandboxUrl, callbackUrl) {
  try {
    const response = await fetch(`${sandboxUrl}/_sandbox/webhooks/subscribe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ callbackUrl }) });
    const body = await response.json().catch(() => ({}));
    if (response.ok) return { ok: true, detail: `Meta webhooks from the sandbox go to ${callbackUrl}.` };
    const reasons = Object.values(body.results ?? {}).filter((r) => !r.ok).map((r) => r.detail);
    return { ok: false, detail: `The sandbox could not subscribe ${callbackUrl} to Meta webhooks (${reasons.join("; ") || `HTTP ${response.status}`}); comments and DMs from the sandbox will not reach the inbox.` };
  } catch (error) {
    return { ok: false, detail: `The sandbox could not subscribe ${callbackUrl} to Meta webhooks (${error instanceof Error ? error.message : String(error)}).` };
  }
}

/**
 * The production bundle under Miniflare (scripts/serve-bundle.mjs), with the Worker's own socket on
 * `directPort`: what the benchmarks measure, as production has no dev layer in front of the Worker.
 */
function startBundle({ host, port, directPort, persistTo, vars, quiet }) {
  const options = { host, port, directPort, inspectorPort: port + 10000, persistTo, vars, quiet };
  const child = spawn(process.execPath, [join(ROOT, "scripts", "serve-bundle.mjs"), JSON.stringify(options)], {
    cwd: ROOT,
    env: quietEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout.on("data", (chunk) => quiet || console.log(`[app] ${chunk.toString().trim()}`));
  child.stderr.on("data", (chunk) => console.error(`[app] ${chunk.toString().trim()}`));
  return child;
}

/**
 * Starts the app and the platform sandbox under workerd with local D1/R2/Queues/DOs persisted under
 * `persistTo`, and resolves once both answer /healthz. The app runs under `wrangler dev` (rebuilds on
 * change, serves the UI), or with `app: "bundle"` as the deploy bundle with a socket of its own.
 * Either way the cron triggers of wrangler.toml fire on their minutes, as in production (`cron: false`
 * turns them off).
 */
export async function startStack({ port = 8787, sandboxPort = 8788, persistTo = join(ROOT, ".wrangler", "state"), quiet = false, app: appMode = "wrangler", cron: cronOn = true } = {}) {
  ensureDevVars(ROOT);
  mkdirSync(persistTo, { recursive: true });
  applyLocalMigrations(persistTo);
  const host = "127.0.0.1";
  const sandboxUrl = `http://${host}:${sandboxPort}`;
  const appUrl = `http://localhost:${port}`;
  const sandbox = startWrangler(["-c", "sandbox/wrangler.toml", "--ip", host, "--port", String(sandboxPort), "--inspector-port", String(sandboxPort + 10000), "--persist-to", join(persistTo, "sandbox")], "sandbox", quiet);
  const vars = { SANDBOX_ORIGIN: sandboxUrl, MEDIA_ORIGIN: `http://${host}:${port}` };
  const directPort = sandboxPort + 1;
  // `--test-scheduled` only silences wrangler's "not triggered locally" warning: the cron below fires them
  // (its `/__scheduled` page is shadowed by the UI's assets; /cdn-cgi/local/scheduled is what works).
  const app =
    appMode === "bundle"
      ? startBundle({ host, port, directPort, persistTo, vars, quiet })
      : startWrangler(
          ["-c", "wrangler.toml", "--ip", host, "--port", String(port), "--inspector-port", String(port + 10000), "--persist-to", persistTo, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]), "--test-scheduled"],
          "app",
          quiet,
        );
  let cronTimers = null;
  const stop = async () => {
    cronTimers?.stop();
    await Promise.all([stopChild(app), stopChild(sandbox)]);
  };
  try {
    const appReady = [waitForHealth(`http://${host}:${port}/healthz`, app, 90_000)];
    if (appMode === "bundle") appReady.push(waitForHealth(`http://${host}:${directPort}/healthz`, app, 90_000));
    await Promise.all([waitForHealth(`${sandboxUrl}/healthz`, sandbox, 90_000), ...appReady]);
  } catch (error) {
    await stop();
    throw error;
  }
  const appOrigin = `http://${host}:${port}`;
  const crons = cronTriggers(ROOT);
  if (cronOn) cronTimers = startLocalCron({ appOrigin, crons, onProblem: (line) => console.error(`[cron] ${line}`) });
  const cron = { crons, manual: crons.map((expression) => manualTriggerCommand(appOrigin, expression)) };
  const webhooks = await subscribeMetaWebhooks(sandboxUrl, `http://${host}:${appMode === "bundle" ? directPort : port}/webhooks/meta`);
  if (!webhooks.ok) console.warn(`[sandbox] ${webhooks.detail}`);
  /** The app with no dev layer in front (benchmarks): the Worker's own socket, or under wrangler dev workerd past its proxy (null when not found). */
  const directAppUrl = async () =>
    appMode === "bundle" ? `http://${host}:${directPort}` : findDirectWorkerUrl(app.pid, { exceptPort: port, isApp: (body) => body.includes('"version"') && !body.includes("sandbox") });
  /** Names for the printed figures: what the direct address is, and the dev layer the main port adds. */
  const layers =
    appMode === "bundle"
      ? { direct: "the Worker's own socket (the deploy bundle, no dev layer)", devLayer: "Miniflare's entry worker" }
      : { direct: "workerd's own address, past wrangler's dev proxy", devLayer: "wrangler's dev proxy" };
  return { appUrl, sandboxUrl, webhooks, cron, directAppUrl, layers, stop };
}
