// Fires the Worker's `scheduled` handler on the local stack the way Cloudflare does in production:
// every cron expression of wrangler.toml's [triggers] at its minute (UTC), with that minute as the
// event's scheduledTime. Neither `wrangler dev` nor Miniflare fire cron triggers by themselves, and
// without them nothing the cron does (publishing watchdog, inbox-action redrive, token refresh,
// retention, LinkedIn/YouTube comment polling) happens locally.
//
// The event goes through Miniflare's trigger path `/cdn-cgi/local/scheduled`, which the dev layer
// answers before the static-assets layer (`/__scheduled` is shadowed by the SPA there).
import { createRequire } from "node:module";
import { join } from "node:path";
import { Cron } from "croner";

/** Miniflare's path that dispatches a scheduled event to the Worker (`?cron=&time=&format=json`). */
export const SCHEDULED_PATH = "/cdn-cgi/local/scheduled";

/** The cron expressions wrangler.toml declares, read with wrangler's own config reader. */
export function cronTriggers(root) {
  const require = createRequire(join(root, "package.json"));
  const { unstable_readConfig } = require("wrangler");
  return [...(unstable_readConfig({ config: join(root, "wrangler.toml") }).triggers?.crons ?? [])];
}

/** The URL that fires one scheduled event for `cron` at `scheduledTime` (ms), answering `{ outcome }` as JSON. */
export function scheduledUrl(appOrigin, cron, scheduledTime) {
  const url = new URL(SCHEDULED_PATH, appOrigin);
  url.searchParams.set("cron", cron);
  if (scheduledTime !== undefined) url.searchParams.set("time", String(scheduledTime));
  url.searchParams.set("format", "json");
  return url.href;
}

/** The command a person runs to fire the every-minute cron by hand. */
export function manualTriggerCommand(appOrigin, cron) {
  return `curl '${new URL(SCHEDULED_PATH, appOrigin).href}?cron=${encodeURIComponent(cron).replaceAll("%20", "+")}'`;
}

/** Fires one scheduled event and resolves with Miniflare's outcome ("ok", "exception", …). */
export async function fireScheduled(appOrigin, cron, scheduledTime, timeoutMs = 10 * 60_000) {
  const response = await fetch(scheduledUrl(appOrigin, cron, scheduledTime), { signal: AbortSignal.timeout(timeoutMs) });
  const body = await response.json().catch(() => ({}));
  return typeof body.outcome === "string" ? body.outcome : `HTTP ${response.status}`;
}

/**
 * Starts one timer per cron expression, each firing at the expression's next minute in UTC (as
 * Cloudflare's cron triggers run) and re-arming for the one after. A run that is still going when the
 * next minute comes does not hold that one back, as in production; a minute missed while the machine
 * slept is not made up, as in production. The Worker logs each run's report itself (`cron done`);
 * here only a run that did not complete is reported, through `onProblem`.
 */
export function startLocalCron({ appOrigin, crons, onProblem = (line) => console.error(line) }) {
  let stopped = false;
  // A run cut short because the stack is stopping is not worth a line.
  const report = (line) => stopped || onProblem(line);
  const jobs = crons.map((expression) => {
    const schedule = new Cron(expression, { timezone: "UTC", paused: true });
    let timer = null;
    // From the later of now and the minute just fired, so a timer that wakes a hair early never fires a minute twice.
    const arm = (after = 0) => {
      const next = schedule.nextRun(new Date(Math.max(Date.now(), after)));
      if (!next) return;
      timer = setTimeout(() => {
        const at = next.getTime();
        arm(at);
        fireScheduled(appOrigin, expression, at).then(
          (outcome) => outcome === "ok" || report(`cron ${expression} at ${new Date(at).toISOString()} did not complete: ${outcome}`),
          (error) => report(`cron ${expression} at ${new Date(at).toISOString()} could not reach the app: ${error instanceof Error ? error.message : String(error)}`),
        );
      }, Math.max(0, next.getTime() - Date.now()));
    };
    arm();
    return { stop: () => clearTimeout(timer) };
  });
  return {
    stop: () => {
      stopped = true;
      jobs.forEach((job) => job.stop());
    },
  };
}
