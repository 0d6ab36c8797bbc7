import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../worker/contracts/connections";
import { addMember, createWorkspace, makeClient, problemOf, signUp, TestClock } from "../helpers/client";
import { authorizeUrl, connectPlatform, consent, landing, lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { connectLive } from "../helpers/live";

async function ownerWithWorkspace(clock = new TestClock(Date.now())) {
  const client = makeClient(clock);
  const owner = await signUp(client, { name: "Olivia Owner" });
  const workspace = await createWorkspace(client, owner);
  return { client, owner, workspace, clock };
}

type ApiConnection = { id: string; platform: string; name: string; status: string; externalId: string; kind: string; scopes: string[] };

async function listConnections(client: ReturnType<typeof makeClient>, cookie: string, workspaceId: string): Promise<ApiConnection[]> {
  const response = await client.call("GET", `/api/workspaces/${workspaceId}/connections`, { cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { connections: ApiConnection[] }).connections;
}

const SANDBOX_PLATFORM: Record<string, string> = { facebook: "meta", instagram: "meta", threads: "threads", tiktok: "tiktok", linkedin: "linkedin", youtube: "google", airtable: "airtable" };

describe("connecting each platform through the sandbox", () => {
  it("lists all seven platforms as available, each with the permissions it asks for and why", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const response = await client.call("GET", `/api/workspaces/${workspace.id}/platforms`, { cookie: owner.cookie });
    const { platforms } = (await response.json()) as { platforms: { platform: string; available: boolean; scopes: { purpose: string }[] }[] };
    expect(platforms.map((p) => p.platform)).toEqual([...PLATFORMS]);
    for (const p of platforms) {
      expect(p.available, p.platform).toBe(true);
      expect(p.scopes.length, p.platform).toBeGreaterThan(0);
      for (const s of p.scopes) expect(s.purpose.length, p.platform).toBeGreaterThan(10);
    }
  });

  for (const platform of PLATFORMS) {
    it(`connects ${platform}: consent, callback, channel selection when several, active connections without tokens`, async () => {
      const { client, owner, workspace } = await ownerWithWorkspace();
      const { landing: result, connectionIds } = await connectPlatform(client, owner, workspace.id, platform);
      expect(["connected", "select"]).toContain(result.searchParams.get("connect"));
      expect(result.pathname).toBe(`/w/${workspace.id}/accounts`);
      expect(connectionIds.length).toBeGreaterThan(0);
      const connections = (await listConnections(client, owner.cookie, workspace.id)).filter((c) => c.platform === platform);
      expect(connections.map((c) => c.id).sort()).toEqual([...connectionIds].sort());
      for (const c of connections) {
        expect(c.status).toBe("active");
        expect(c.name.length).toBeGreaterThan(0);
        expect(JSON.stringify(c)).not.toMatch(/sbx_/);
      }
      const rows = await env.DB.prepare("SELECT access_token_sealed FROM connections WHERE workspace_id = ?").bind(workspace.id).all<{ access_token_sealed: string }>();
      for (const row of rows.results) expect(row.access_token_sealed).toMatch(/^v1\.k1\./);
    });
  }

  it("updates a channel that is connected again instead of adding a duplicate", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const first = await connectPlatform(client, owner, workspace.id, "tiktok");
    const second = await connectPlatform(client, owner, workspace.id, "tiktok");
    expect(second.connectionIds).toEqual(first.connectionIds);
    expect((await listConnections(client, owner.cookie, workspace.id)).filter((c) => c.platform === "tiktok")).toHaveLength(1);
  });

  it("offers only the assets the person shared on the consent screen", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const all = await connectPlatform(client, owner, workspace.id, "linkedin");
    const { client: c2, owner: o2, workspace: w2 } = await ownerWithWorkspace();
    const allRows = await listConnections(client, owner.cookie, workspace.id);
    const member = allRows.find((c) => c.kind === "linkedin_member");
    expect(member).toBeDefined();
    expect(all.connectionIds.length).toBeGreaterThan(1);
    const partial = await connectPlatform(c2, o2, w2.id, "linkedin", { assets: [] });
    const partialRows = await listConnections(c2, o2.cookie, w2.id);
    expect(partialRows.length).toBeLessThan(allRows.length);
    expect(partial.connectionIds.length).toBe(partialRows.length);
  });
});

describe("Facebook Pages and webhooks", () => {
  it("subscribes each connected Page to the app's webhooks and unsubscribes it on disconnect", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const since = await lastCallId();
    const { connectionIds } = await connectPlatform(client, owner, workspace.id, "facebook");
    const pages = (await listConnections(client, owner.cookie, workspace.id)).filter((c) => c.platform === "facebook");
    const subscribed = (await sandboxCalls("meta", since)).filter((c) => c.method === "POST" && c.path.endsWith("/subscribed_apps") && c.status === 200);
    expect(subscribed.map((c) => c.path).sort()).toEqual(pages.map((p) => `/v23.0/${p.externalId}/subscribed_apps`).sort());

    const before = await lastCallId();
    expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/connections/${connectionIds[0]}`, { cookie: owner.cookie })).status).toBe(204);
    const page = pages.find((p) => p.id === connectionIds[0]);
    expect((await sandboxCalls("meta", before)).some((c) => c.method === "DELETE" && c.path === `/v23.0/${page?.externalId}/subscribed_apps`)).toBe(true);
  });

  it("keeps a Page connected but says so when Facebook refuses the webhook subscription", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    await fetch(`${SANDBOX}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ platform: "meta", method: "POST", path: "/v23.0/*/subscribed_apps", status: 400, body: { error: { message: "(#200) Requires pages_manage_metadata permission", type: "OAuthException", code: 200, fbtrace_id: "sbx" } }, times: 1 }),
    });
    await connectPlatform(client, owner, workspace.id, "facebook");
    const rows = await env.DB.prepare("SELECT status, status_reason FROM connections WHERE workspace_id = ? AND platform = 'facebook'").bind(workspace.id).all<{ status: string; status_reason: string | null }>();
    expect(rows.results.every((r) => r.status === "active")).toBe(true);
    const refused = rows.results.filter((r) => r.status_reason !== null);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.status_reason).toMatch(/did not finish setting up live comments and messages/);
  });
});

describe("the OAuth callback refuses what it did not start", () => {
  it("lands on an error banner when the person denies consent, and stores nothing", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const callback = await consent(await authorizeUrl(client, owner, workspace.id, "tiktok"), { decision: "deny" });
    const result = landing(await client.call("GET", callback, { cookie: owner.cookie }));
    expect(result.searchParams.get("connect")).toBe("error");
    expect(result.searchParams.get("reason")).toBe("denied");
    expect(result.searchParams.get("message")).toMatch(/declined/);
    expect(await listConnections(client, owner.cookie, workspace.id)).toEqual([]);
  });

  it("refuses a replayed callback (the state is single use)", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const callback = await consent(await authorizeUrl(client, owner, workspace.id, "tiktok"));
    expect(landing(await client.call("GET", callback, { cookie: owner.cookie })).searchParams.get("connect")).toBe("connected");
    const replay = landing(await client.call("GET", callback, { cookie: owner.cookie }));
    expect(replay.searchParams.get("reason")).toBe("state_used");
  });

  it("refuses a state started by another session, then still lets its owner finish", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const admin = await signUp(client, { name: "Ada Admin" });
    await addMember(client, workspace.id, owner, admin, "admin");
    const callback = await consent(await authorizeUrl(client, owner, workspace.id, "tiktok"));
    const stolen = landing(await client.call("GET", callback, { cookie: admin.cookie }));
    expect(stolen.searchParams.get("reason")).toBe("session_mismatch");
    const signedOut = landing(await client.call("GET", callback));
    expect(signedOut.searchParams.get("reason")).toBe("session_mismatch");
    expect(landing(await client.call("GET", callback, { cookie: owner.cookie })).searchParams.get("connect")).toBe("connected");
  });

  it("refuses a state older than 10 minutes", async () => {
    const { client, owner, workspace, clock } = await ownerWithWorkspace();
    const callback = await consent(await authorizeUrl(client, owner, workspace.id, "tiktok"));
    clock.advance(10 * 60 * 1000 + 1);
    const result = landing(await client.call("GET", callback, { cookie: owner.cookie }));
    expect(result.searchParams.get("reason")).toBe("state_expired");
    expect(await listConnections(client, owner.cookie, workspace.id)).toEqual([]);
  });

  it("answers an unknown or missing state with a page that says what happened", async () => {
    const { client, owner } = await ownerWithWorkspace();
    for (const path of ["/oauth/tiktok/callback?code=abc&state=not-a-real-state", "/oauth/tiktok/callback?code=abc", "/oauth/myspace/callback?code=abc&state=x"]) {
      const response = await client.call("GET", path, { cookie: owner.cookie });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/not completed/);
    }
  });

  it("explains a permission the person unticked and connects nothing", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const platforms = (await (await client.call("GET", `/api/workspaces/${workspace.id}/platforms`, { cookie: owner.cookie })).json()) as { platforms: { platform: string; scopes: { scope: string; required: boolean; purpose: string }[] }[] };
    const tiktokScopes = platforms.platforms.find((p) => p.platform === "tiktok")?.scopes ?? [];
    const dropped = tiktokScopes.find((s) => s.required);
    expect(dropped).toBeDefined();
    const kept = tiktokScopes.filter((s) => s.scope !== dropped?.scope).map((s) => s.scope);
    const callback = await consent(await authorizeUrl(client, owner, workspace.id, "tiktok"), { scopes: kept });
    const result = landing(await client.call("GET", callback, { cookie: owner.cookie }));
    expect(result.searchParams.get("reason")).toBe("missing_scopes");
    expect(result.searchParams.get("message")).toContain(dropped?.purpose ?? "?");
    expect(await listConnections(client, owner.cookie, workspace.id)).toEqual([]);
  });
});

describe("who may connect", () => {
  it("lets only owners and admins start, reconnect or disconnect; others get 403 and nothing changes", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const { connectionIds } = await connectPlatform(client, owner, workspace.id, "tiktok");
    for (const role of ["editor", "contributor", "viewer"]) {
      const member = await signUp(client, { name: `A ${role}` });
      await addMember(client, workspace.id, owner, member, role);
      expect((await client.call("POST", `/api/workspaces/${workspace.id}/connections/tiktok/authorize`, { cookie: member.cookie })).status).toBe(403);
      expect((await client.call("POST", `/api/workspaces/${workspace.id}/connections/${connectionIds[0]}/reconnect`, { cookie: member.cookie })).status).toBe(403);
      expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/connections/${connectionIds[0]}`, { cookie: member.cookie })).status).toBe(403);
      expect((await listConnections(client, member.cookie, workspace.id)).map((c) => c.status)).toEqual(["active"]);
    }
  });

  it("answers 404 for another workspace's connection", async () => {
    const a = await ownerWithWorkspace();
    const { connectionIds } = await connectPlatform(a.client, a.owner, a.workspace.id, "tiktok");
    const b = await ownerWithWorkspace();
    const response = await b.client.call("DELETE", `/api/workspaces/${b.workspace.id}/connections/${connectionIds[0]}`, { cookie: b.owner.cookie });
    expect(response.status).toBe(404);
    expect((await problemOf(response)).type).toBe("/problems/not-found");
    expect((await listConnections(a.client, a.owner.cookie, a.workspace.id)).map((c) => c.status)).toEqual(["active"]);
  });
});

/**
 * The sandbox has one person, so earlier tests in this file left live connections of the same platform
 * account; those would (rightly) keep the grant from being revoked. Retire them for a clean precondition.
 */
async function retireOtherConnections(platforms: string[], keepWorkspaceId: string): Promise<void> {
  for (const platform of platforms) {
    await env.DB.prepare("UPDATE connections SET status = 'disconnected', disconnected_at = ? WHERE platform = ? AND workspace_id <> ?").bind(Date.now(), platform, keepWorkspaceId).run();
  }
}

describe("disconnecting", () => {
  it("revokes at the platform, deletes the tokens at once, and tells the workspace live", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const { connectionIds } = await connectPlatform(client, owner, workspace.id, "tiktok");
    await retireOtherConnections(["tiktok"], workspace.id);
    const live = await connectLive(client, owner, workspace.id);
    await live.next((f) => f.type === "hello");
    const since = await lastCallId();
    const response = await client.call("DELETE", `/api/workspaces/${workspace.id}/connections/${connectionIds[0]}`, { cookie: owner.cookie });
    expect(response.status).toBe(204);
    const calls = await sandboxCalls("tiktok", since);
    expect(calls.some((c) => c.method === "POST" && c.path.includes("revoke"))).toBe(true);
    const row = await env.DB.prepare("SELECT status, access_token_sealed, refresh_token_sealed, disconnected_at FROM connections WHERE id = ?").bind(connectionIds[0]).first();
    expect(row).toMatchObject({ status: "disconnected", access_token_sealed: null, refresh_token_sealed: null });
    expect((await live.event("connection.changed")).event).toEqual({ kind: "connection.changed", connectionId: connectionIds[0], status: "disconnected" });
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE workspace_id = ? AND action = 'connection.disconnected'").bind(workspace.id).all();
    expect(audit.results).toHaveLength(1);
    live.close();
  });

  it("does not revoke an authorization that another workspace's channel still uses", async () => {
    const a = await ownerWithWorkspace();
    const b = await ownerWithWorkspace();
    const inA = await connectPlatform(a.client, a.owner, a.workspace.id, "threads");
    await connectPlatform(b.client, b.owner, b.workspace.id, "threads");
    const since = await lastCallId();
    expect((await a.client.call("DELETE", `/api/workspaces/${a.workspace.id}/connections/${inA.connectionIds[0]}`, { cookie: a.owner.cookie })).status).toBe(204);
    expect((await sandboxCalls("threads", since)).filter((c) => c.method !== "GET")).toEqual([]);
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE workspace_id = ? AND action = 'connection.disconnected'").bind(a.workspace.id).first<{ detail: string }>();
    expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ revokedAtPlatform: false });
    expect((await listConnections(b.client, b.owner.cookie, b.workspace.id)).map((c) => c.status)).toEqual(["active"]);
  });

  it("keeps a Meta grant alive while another connected Page still uses it, and revokes it with the last one", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const { connectionIds } = await connectPlatform(client, owner, workspace.id, "facebook");
    expect(connectionIds.length).toBeGreaterThan(1);
    await retireOtherConnections(["facebook", "instagram"], workspace.id);
    const [first, ...others] = connectionIds;
    let since = await lastCallId();
    expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/connections/${first}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await sandboxCalls("meta", since)).some((c) => c.method === "DELETE" && c.path.endsWith("/permissions"))).toBe(false);
    since = await lastCallId();
    for (const id of others) expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/connections/${id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await sandboxCalls("meta", since)).some((c) => c.method === "DELETE" && c.path.endsWith("/permissions"))).toBe(true);
  });
});
