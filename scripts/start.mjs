// `npm start`: build the UI, apply migrations, run the app and the sandbox under workerd, print the URLs.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { ensureDevVars } from "./dev-vars.mjs";
import { ROOT, startStack } from "./local-stack.mjs";

const port = Number(process.env.PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8788);
const persistTo = resolve(ROOT, process.env.PERSIST_TO ?? join(".wrangler", "state"));

const vars = ensureDevVars(ROOT);
if (vars.created) console.log(`Created ${vars.path} with random local secrets.`);
else if (vars.added.length > 0) console.log(`Added ${vars.added.join(", ")} to ${vars.path}.`);

console.log("Building the UI…");
const build = spawnSync(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

console.log("Applying D1 migrations and starting the app and the platform sandbox…");
const stack = await startStack({ port, sandboxPort, persistTo });

console.log(`
  Atelier is running.
    App:      ${stack.appUrl}
    Sandbox:  ${stack.sandboxUrl}  (simulated social platforms)
    Webhooks: ${stack.webhooks.ok ? stack.webhooks.detail : "not subscribed (see the warning above)"}
    Cron:     ${stack.cron.crons.join(", ")} (UTC) fires the scheduled handler on the minute, as in production:
              publishing watchdog, stranded inbox actions, token refresh, retention, LinkedIn/YouTube
              comment polling. Each run logs one "cron done" line. By hand: ${stack.cron.manual.join(" ; ")}
  Data persists in ${persistTo} between runs. Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await stack.stop();
    process.exit(0);
  });
}
