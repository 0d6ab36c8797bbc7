import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { refreshConnection, type RefreshDeps } from "../../worker/connections/refresh";
import { refreshDue } from "../../worker/connections/proactive-refresh";
import { createDb } from "../../worker/db/client";
import { runCron } from "../../worker/cron";
import { createWorkspace, makeClient, signUp, TestClock } from "../helpers/client";
import { connectPlatform, landing, consent, lastCallId, sandboxCalls, SANDBOX } from "../helpers/connect";

const MINUTE = 60_000;

function deps(now = Date.now()): RefreshDeps {
  return { env, db: createDb(env.DB), now: () => now, appOrigin: "http://atelier.test", wait: (ms) => scheduler.wait(ms) };
}

async function connected(platform: string) {
  const client = makeClient(new TestClock(Date.now()));
  const owner = await signUp(client);
  const workspace = await createWorkspace(client, owner);
  const { connectionIds } = await connectPlatform(client, owner, workspace.id, platform);
  return { client, owner, workspace, connectionId: connectionIds[0] as string };
}

async function row(id: string) {
  return env.DB.prepare("SELECT status, status_reason, refresh_token_sealed, token_expires_at, last_refreshed_at, refresh_lease_until FROM connections WHERE id = ?").bind(id).first<{ status: string; status_reason: string | null; refresh_token_sealed: string; token_expires_at: number; last_refreshed_at: number; refresh_lease_until: number | null }>();
}

describe("refreshing tokens", () => {
  it("serializes two concurrent refreshes of a rotating token: one platform call, both succeed, nothing is locked out", async () => {
    const { connectionId } = await connected("tiktok");
    const since = await lastCallId();
    const [a, b] = await Promise.all([refreshConnection(deps(), connectionId), refreshConnection(deps(), connectionId)]);
    expect(a.ok && b.ok).toBe(true);
    const tokenCalls = (await sandboxCalls("tiktok", since)).filter((c) => c.path.startsWith("/v2/oauth/token"));
    expect(tokenCalls).toHaveLength(1);
    // The stored (rotated) refresh token still works: a later refresh succeeds.
    const again = await refreshConnection(deps(), connectionId);
    expect(again.ok).toBe(true);
    expect((await row(connectionId))?.status).toBe("active");
  });

  it("also serializes Airtable's single-use refresh tokens", async () => {
    const { connectionId } = await connected("airtable");
    const results = await Promise.all([1, 2, 3].map(() => refreshConnection(deps(), connectionId)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await refreshConnection(deps(), connectionId)).ok).toBe(true);
  });

  it("marks the connection needs_reconnect, with the platform's reason, when the grant was revoked", async () => {
    const { client, owner, workspace, connectionId } = await connected("tiktok");
    const grants = (await (await fetch(`${SANDBOX}/_sandbox/grants?platform=tiktok`)).json()) as { grants: { id: string; revoked_at: number | null }[] };
    // Revoke the newest live grant: the one this test just created.
    const newest = grants.grants.filter((g) => g.revoked_at === null).at(-1);
    await fetch(`${SANDBOX}/_sandbox/tokens/revoke`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grantId: newest?.id }) });
    const result = await refreshConnection(deps(), connectionId);
    expect(result.ok).toBe(false);
    const after = await row(connectionId);
    expect(after?.status).toBe("needs_reconnect");
    expect(after?.status_reason).toMatch(/TikTok/);

    // Reconnecting brings it back to active with new tokens.
    const started = await client.call("POST", `/api/workspaces/${workspace.id}/connections/${connectionId}/reconnect`, { cookie: owner.cookie });
    expect(started.status).toBe(200);
    const { url } = (await started.json()) as { url: string };
    const result2 = landing(await client.call("GET", await consent(url), { cookie: owner.cookie }));
    expect(result2.searchParams.get("connect")).toBe("connected");
    expect((await row(connectionId))?.status).toBe("active");
  });
});

describe("refreshing on demand through the API", () => {
  it("refreshes an active connection for an admin, and explains why Meta connections cannot be refreshed", async () => {
    const { client, owner, workspace, connectionId } = await connected("linkedin");
    const since = await lastCallId();
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/connections/${connectionId}/refresh`, { cookie: owner.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: connectionId, status: "active" });
    expect((await sandboxCalls("linkedin", since)).some((c) => c.path === "/oauth/v2/accessToken")).toBe(true);

    const fb = await connectPlatform(client, owner, workspace.id, "facebook");
    const refused = await client.call("POST", `/api/workspaces/${workspace.id}/connections/${fb.connectionIds[0]}/refresh`, { cookie: owner.cookie });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/reconnect/);
  });

  it("answers 503 with the platform's words when it is down, leaving the connection active", async () => {
    const { client, owner, workspace, connectionId } = await connected("tiktok");
    await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "tiktok", method: "POST", path: "/v2/oauth/token/", status: 503, body: { error: "server_error", error_description: "Service unavailable" }, times: 1 }) });
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/connections/${connectionId}/refresh`, { cookie: owner.cookie });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { type: string }).type).toBe("/problems/unavailable");
    expect((await row(connectionId))?.status).toBe("active");
  });
});

describe("the cron", () => {
  it("refreshes a token once 80% of its lifetime has passed, not before", () => {
    const base = { createdAt: 0, lastRefreshedAt: 0, tokenExpiresAt: 100 * MINUTE };
    expect(refreshDue(base, 79 * MINUTE)).toBe(false);
    expect(refreshDue(base, 80 * MINUTE)).toBe(true);
    expect(refreshDue({ ...base, tokenExpiresAt: 12 * MINUTE }, 1 * MINUTE)).toBe(false);
    expect(refreshDue({ ...base, tokenExpiresAt: 12 * MINUTE }, 3 * MINUTE)).toBe(true);
    expect(refreshDue({ ...base, tokenExpiresAt: null }, 10 ** 12)).toBe(false);
  });

  it("refreshes due connections proactively and purges channels disconnected over 30 days ago", async () => {
    const { client, owner, workspace, connectionId } = await connected("youtube");
    const before = await row(connectionId);
    expect(before?.token_expires_at).toBeGreaterThan(Date.now());
    const since = await lastCallId();
    const report = await runCron(env, (before?.token_expires_at ?? 0) - 5 * MINUTE);
    expect(report.refresh?.refreshed).toBeGreaterThanOrEqual(1);
    expect(report.failed).toEqual([]);
    expect((await sandboxCalls("google", since)).some((c) => c.path === "/token")).toBe(true);
    expect((await row(connectionId))?.last_refreshed_at).toBeGreaterThan(before?.last_refreshed_at ?? 0);

    expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/connections/${connectionId}`, { cookie: owner.cookie })).status).toBe(204);
    await runCron(env, Date.now() + 29 * 24 * 60 * MINUTE);
    expect(await row(connectionId)).not.toBeNull();
    await runCron(env, Date.now() + 31 * 24 * 60 * MINUTE);
    expect(await row(connectionId)).toBeNull();
  });
});

describe("no platform token ever leaves the Worker", () => {
  let logged: string[] = [];
  beforeEach(() => {
    logged = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it("is absent from every D1 table, every API response and every log line after connecting all seven platforms", async () => {
    const client = makeClient(new TestClock(Date.now()));
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    const responses: string[] = [];
    for (const platform of ["facebook", "instagram", "threads", "tiktok", "linkedin", "youtube", "airtable"]) {
      await connectPlatform(client, owner, workspace.id, platform);
    }
    for (const path of [`/api/workspaces/${workspace.id}/connections`, `/api/workspaces/${workspace.id}/audit?limit=200`, `/api/workspaces/${workspace.id}/platforms`]) {
      responses.push(await (await client.call("GET", path, { cookie: owner.cookie })).text());
    }
    const { connectionId } = { connectionId: ((JSON.parse(responses[0] ?? "{}") as { connections: { id: string }[] }).connections[0]?.id ?? "") };
    await refreshConnection(deps(), connectionId);
    for (const body of responses) expect(body).not.toMatch(/sbx_/);
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      expect(JSON.stringify(rows.results), `table ${name}`).not.toMatch(/sbx_/);
    }
    expect(logged.join("\n")).not.toMatch(/sbx_/);
  });
});
