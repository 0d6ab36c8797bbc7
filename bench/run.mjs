// `npm run bench`: starts a fresh local stack (the deploy bundle under workerd, or wrangler dev) and prints latency figures.
// Not part of `npm test`; nothing here asserts a threshold. Only loopback is targeted.
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "../scripts/local-stack.mjs";
import { stackClient } from "../scripts/stack-client.mjs";
import { summarize } from "./stats.mjs";
import { publishingBench } from "./publish-lateness.mjs";
import { webhooksBench } from "./webhooks.mjs";

const PORT = Number(process.env.BENCH_PORT ?? 18987);
const HOST = `http://127.0.0.1:${PORT}`;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const SOCKETS = (process.env.BENCH_SOCKETS ?? "100,500").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
// Which parts to run: `api` (latency and live fan-out), `publish` (lateness of scheduled posts),
// `reels`, `webhooks` (acknowledgement), `inbox` (webhook → sockets fan-out).
// How the app runs: `bundle` (default) is what `wrangler deploy` uploads, under Miniflare with a socket
// of its own (scripts/serve-bundle.mjs); `wrangler` is `wrangler dev`, as `npm start` runs it.
const APP = process.env.BENCH_APP ?? "bundle";
const SUITES = new Set((process.env.BENCH_SUITES ?? "patterns,api,publish,reels,webhooks,inbox").split(","));

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function load(label, request) {
  const samples = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        samples.push(await timed(request));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(38)} ${JSON.stringify({ ...summarize(samples), rps: Math.round(samples.length / seconds) })}`);
}

const { json, signUp } = stackClient(HOST);

function openSocket(url, cookie) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { cookie, origin: HOST } });
    const timer = setTimeout(() => reject(new Error("socket did not open")), 10_000);
    socket.addEventListener("open", () => (clearTimeout(timer), resolve(socket)));
    socket.addEventListener("error", (e) => (clearTimeout(timer), reject(e.error ?? new Error("socket error"))));
  });
}

async function fanOut(cookie, workspaceId, count) {
  const url = `${HOST.replace("http", "ws")}/api/workspaces/${workspaceId}/live`;
  const sockets = [];
  for (let i = 0; i < count; i++) sockets.push(await openSocket(url, cookie));
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const name = `Bench ${count}/${round}`;
    const arrivals = sockets.map(
      (socket) =>
        new Promise((resolve) => {
          const onMessage = (event) => {
            const frame = JSON.parse(event.data);
            if ((frame.type === "event" ? [frame] : frame.type === "events" ? frame.events : []).some((e) => e.event.kind === "workspace.updated")) {
              socket.removeEventListener("message", onMessage);
              resolve(performance.now());
            }
          };
          socket.addEventListener("message", onMessage);
        }),
    );
    const t0 = performance.now();
    await json(`/api/workspaces/${workspaceId}`, { method: "PATCH", headers: { cookie }, body: JSON.stringify({ name }) });
    const last = Math.max(...(await Promise.all(arrivals)));
    samples.push(last - t0);
  }
  for (const socket of sockets) socket.close();
  console.log(`${`PATCH → last of ${count} sockets`.padEnd(38)} ${JSON.stringify(summarize(samples))}`);
}

/**
 * Runs `measure` on a stack of its own (new workerd, empty local state), then stops it. The inbox and
 * webhook suites each get one: measured on a stack that had just run another suite (500 sockets and a
 * hundred fan-outs, or a publishing burst), the webhook p99 at 200/s was 3–4x worse than on a fresh one.
 */
async function onFreshStack(measure) {
  const persistTo = await mkdtemp(join(tmpdir(), "atelier-bench-"));
  const stack = await startStack({ port: PORT, sandboxPort: PORT + 1, persistTo, quiet: true, app: APP });
  try {
    return await measure(stack);
  } finally {
    await stack.stop();
    await rm(persistTo, { recursive: true, force: true });
  }
}

const RUNTIME = APP === "bundle" ? "the deploy bundle under Miniflare (workerd, local D1/R2/Queues/DO)" : "wrangler dev (workerd, local D1/R2/Queues/DO)";
if (SUITES.has("patterns")) {
  const { rulePatternsBench } = await import("./rule-patterns.mjs");
  await rulePatternsBench();
}
console.log(`Conditions: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, ${RUNTIME}, ${REQUESTS} requests at concurrency ${CONCURRENCY}, loopback.`);
if (SUITES.has("api") || SUITES.has("publish") || SUITES.has("reels")) {
  await onFreshStack(async () => {
    if (SUITES.has("api")) {
      const cookie = await signUp("bench");
      const workspace = await (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "Bench", timezone: "UTC" }) })).json();
      await load("GET /healthz (baseline)", () => fetch(`${HOST}/healthz`).then((r) => r.arrayBuffer()));
      await load("GET /api/me (session + D1)", () => fetch(`${HOST}/api/me`, { headers: { cookie } }).then((r) => r.arrayBuffer()));
      await load("GET /api/workspaces/{id}/members", () => fetch(`${HOST}/api/workspaces/${workspace.id}/members`, { headers: { cookie } }).then((r) => r.arrayBuffer()));
      for (const count of SOCKETS) await fanOut(cookie, workspace.id, count);
    }
    const publishing = publishingBench({ host: HOST, sandbox: `http://127.0.0.1:${PORT + 1}`, json, signUp });
    if (SUITES.has("publish")) {
      console.log("Publishing lateness = sandbox receive time of the go-live call − due time (Facebook text posts; alarms, queue and consumer as in production, locally):");
      await publishing.spread({ posts: Number(process.env.BENCH_POSTS ?? 1000), workspaces: 10, spreadSeconds: Number(process.env.BENCH_SPREAD_SECONDS ?? 180) });
      await publishing.burst({ posts: Number(process.env.BENCH_BURST ?? 500) });
    }
    if (SUITES.has("reels")) {
      const { mp4 } = await import("../test/e2e/media-files.ts");
      await publishing.reels({ count: Number(process.env.BENCH_REELS ?? 10), mp4 });
    }
  });
}
// The webhook and inbox figures are taken with no dev layer in front of the Worker (its own socket).
if (SUITES.has("inbox")) {
  await onFreshStack(async (stack) => {
    const { inboxFanoutBench } = await import("./inbox-fanout.mjs");
    await inboxFanoutBench({ host: HOST, directHost: await stack.directAppUrl(), layers: stack.layers, sandbox: `http://127.0.0.1:${PORT + 1}`, json, signUp }).run({ sockets: SOCKETS, rounds: Number(process.env.BENCH_INBOX_ROUNDS ?? 100) });
  });
}
if (SUITES.has("webhooks")) {
  await onFreshStack(async (stack) => {
    await webhooksBench({ host: HOST, directHost: await stack.directAppUrl(), layers: stack.layers }).run({ rate: Number(process.env.BENCH_WEBHOOK_RATE ?? 200), seconds: Number(process.env.BENCH_WEBHOOK_SECONDS ?? 20) });
  });
}
