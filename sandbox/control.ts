import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "./app";
import { updatePublishingSettings } from "./platforms/meta-publish-common";
import { updateCreatorSettings } from "./platforms/tiktok-jobs";

const Fault = z.object({
  platform: z.string().optional(),
  method: z.string().optional(),
  /** Glob over the path after the host: `*` within a segment, `**` across segments. */
  path: z.string().min(1),
  /** `respond`: answer with this instead of acting. `after`: act, then answer with this (response "lost"). */
  mode: z.enum(["respond", "after"]).default("respond"),
  status: z.number().int().min(100).max(599).default(500),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().int().min(0).max(120_000).default(0),
  times: z.number().int().min(1).max(100_000).default(1),
  /** Let this many matching calls through before the fault applies. */
  skip: z.number().int().min(0).max(100_000).default(0),
});

const TokenTarget = z.object({ token: z.string().optional(), grantId: z.string().optional(), platform: z.string().optional() }).refine((t) => t.token || t.grantId || t.platform, "Give token, grantId or platform.");

/** The sandbox's own API for tests and demos: reset, call log, faults, token expiry/revocation, clock. */
export const controlRoutes = new Hono<SandboxEnv>()
  .get("/", (c) => c.html(controlPage(c.var.store.calls(null, 0).slice(-200), c.var.store.faults())))
  .post("/reset", (c) => {
    c.var.store.reset();
    return c.json({ ok: true });
  })
  .get("/calls", (c) => {
    const platform = c.req.query("platform") ?? null;
    const since = Number(c.req.query("since") ?? "0") || 0;
    return c.json({ calls: c.var.store.calls(platform, since) });
  })
  /** What actually went live (newest first), so tests and benchmarks can count duplicates and misses. */
  .get("/posts", (c) => {
    const posts = c.var.store.publishing.posts({ platform: c.req.query("platform") ?? null, accountId: c.req.query("account") ?? null, includeDeleted: c.req.query("deleted") === "include" });
    return c.json({ posts });
  })
  /** `{processingScale?, igPublishLimitPerDay?}`: media processing speed (0 instant, 1 realistic) and Instagram's 24 h limit. */
  .post("/publishing/settings", async (c) => {
    const result = updatePublishingSettings(c.var.store, await c.req.json().catch(() => ({})));
    return result.ok ? c.json({ settings: result.settings }) : c.json({ error: result.issues }, 400);
  })
  .post("/tiktok/creator", async (c) => { const result = updateCreatorSettings(c.var.store, await c.req.json().catch(() => ({}))); return result.ok ? c.json({ settings: result.settings }) : c.json({ error: result.issues }, 400); })
  .get("/faults", (c) => c.json({ faults: c.var.store.faults() }))
  .delete("/faults", (c) => {
    c.var.store.clearFaults();
    return c.json({ ok: true });
  })
  .post("/faults", async (c) => {
    const parsed = Fault.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
    const f = parsed.data;
    const id = c.var.store.addFault({
      platform: f.platform ?? null,
      method: f.method ?? null,
      pathPattern: f.path,
      mode: f.mode,
      status: f.status,
      body: f.body === undefined ? null : typeof f.body === "string" ? f.body : JSON.stringify(f.body),
      headers: f.headers ? JSON.stringify(f.headers) : null,
      delayMs: f.delayMs,
      times: f.times,
      skip: f.skip,
    });
    return c.json({ id }, 201);
  })
  .get("/grants", (c) => c.json({ grants: c.var.store.grantsOf(c.req.query("platform") ?? null) }))
  .post("/tokens/expire", async (c) => {
    const grants = grantsFor(c.var.store, TokenTarget.parse(await c.req.json()));
    let changed = 0;
    for (const id of grants) changed += c.var.store.expireGrantTokens(id, "access");
    return c.json({ grants, tokensExpired: changed });
  })
  .post("/tokens/revoke", async (c) => {
    const grants = grantsFor(c.var.store, TokenTarget.parse(await c.req.json()));
    for (const id of grants) c.var.store.revokeGrant(id, "revoked by the sandbox control API");
    return c.json({ grants });
  })
  .post("/clock", async (c) => {
    const body = z.object({ advanceMs: z.number().int().min(0) }).parse(await c.req.json());
    return c.json({ now: c.var.store.advanceClock(body.advanceMs) });
  });

function grantsFor(store: SandboxEnv["Variables"]["store"], target: z.infer<typeof TokenTarget>): string[] {
  if (target.grantId) return [target.grantId];
  if (target.token) {
    const grant = store.grantOfToken(target.token);
    return grant ? [grant] : [];
  }
  return store.grantsOf(target.platform ?? null).filter((g) => g.revoked_at === null).map((g) => g.id);
}

const escape = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function controlPage(calls: Record<string, unknown>[], faults: Record<string, unknown>[]): string {
  const rows = calls
    .reverse()
    .map((r) => `<tr><td>${new Date(Number(r.at)).toISOString().slice(11, 23)}</td><td>${escape(r.platform)}</td><td>${escape(r.method)}</td><td><code>${escape(r.host)}${escape(r.path)}</code></td><td>${escape(r.status)}</td></tr>`)
    .join("");
  const faultRows = faults.map((f) => `<tr><td>${escape(f.platform ?? "any")}</td><td>${escape(f.method ?? "any")}</td><td><code>${escape(f.path_pattern)}</code></td><td>${escape(f.mode)}</td><td>${escape(f.status)}</td><td>${escape(f.remaining)}</td></tr>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Atelier sandbox</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left}code{font-size:.85em}</style></head>
<body><h1>Atelier platform sandbox</h1><p>Simulated platforms for local development. Control API: <code>POST /_sandbox/reset</code>, <code>GET /_sandbox/calls?platform=&amp;since=</code>, <code>POST /_sandbox/faults</code> (<code>{path, method, mode, status, body, times, skip}</code>), <code>POST /_sandbox/tokens/expire</code>, <code>POST /_sandbox/tokens/revoke</code>, <code>POST /_sandbox/clock</code>, <code>GET /_sandbox/posts?platform=&amp;account=</code>, <code>POST /_sandbox/publishing/settings</code> (<code>{processingScale, igPublishLimitPerDay}</code>).</p>
<h2>Active faults</h2><table><thead><tr><th>Platform</th><th>Method</th><th>Path</th><th>Mode</th><th>Status</th><th>Remaining</th></tr></thead><tbody>${faultRows || '<tr><td colspan="6">None</td></tr>'}</tbody></table>
<h2>Recent calls</h2><table><thead><tr><th>Time (UTC)</th><th>Platform</th><th>Method</th><th>Path</th><th>Status</th></tr></thead><tbody>${rows || '<tr><td colspan="5">No calls yet</td></tr>'}</tbody></table></body></html>`;
}
