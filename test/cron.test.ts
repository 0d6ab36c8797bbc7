import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../worker/index";
import { describe, expect, it } from "vitest";
import { runRetention } from "../worker/cron";
import { AUDIT_RETENTION_MS } from "../worker/db/queries/audit";
import { makeClient, signUp, TestClock } from "./helpers/client";

const DAY = 24 * 60 * 60 * 1000;

async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("retention cron", () => {
  it("deletes audit entries older than 90 days and keeps newer ones", async () => {
    const clock = new TestClock();
    const user = await signUp(makeClient(clock));
    const now = clock.now;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO audit_log (id, workspace_id, actor_id, action, created_at) VALUES (?, NULL, ?, 'old', ?)").bind(`old-${user.id}`, user.id, now - AUDIT_RETENTION_MS - 1),
      env.DB.prepare("INSERT INTO audit_log (id, workspace_id, actor_id, action, created_at) VALUES (?, NULL, ?, 'recent', ?)").bind(`recent-${user.id}`, user.id, now - AUDIT_RETENTION_MS + DAY),
    ]);
    const report = await runRetention(env, now);
    expect(report.auditEntries).toBeGreaterThanOrEqual(1);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE id = ?", `old-${user.id}`)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE id = ?", `recent-${user.id}`)).toBe(1);
  });

  it("deletes expired sessions, sessions revoked over a day ago and stale rate-limit windows", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(client);
    await client.call("POST", "/api/auth/logout", { cookie: user.cookie });
    expect(await count("SELECT count(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NOT NULL", user.id)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM rate_limits WHERE key LIKE 'signup:email:%' AND key LIKE ?", `%${user.email}`)).toBe(1);

    await runRetention(env, clock.now + 2 * 60 * 60 * 1000);
    expect(await count("SELECT count(*) AS n FROM rate_limits WHERE key LIKE ?", `%${user.email}`)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM sessions WHERE user_id = ?", user.id)).toBe(1);

    await runRetention(env, clock.now + 2 * DAY);
    expect(await count("SELECT count(*) AS n FROM sessions WHERE user_id = ?", user.id)).toBe(0);
  });

  it("runs from the scheduled entry point", async () => {
    const controller = createScheduledController({ scheduledTime: Date.UTC(2026, 10, 29, 12), cron: "* * * * *" });
    const ctx = createExecutionContext();
    await env.DB.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES ('stale-key', 0, 1)").run();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count("SELECT count(*) AS n FROM rate_limits WHERE key = 'stale-key'")).toBe(0);
  });
});
