import { describe, expect, it } from "vitest";
import { rowsOf } from "../helpers/d1";
import { addMember, type Client, createWorkspace, makeClient, problemOf, signUp, type TestUser } from "../helpers/client";
import { imageUpload, pngBytes } from "../helpers/images";

type AuditEntry = {
  id: string;
  at: string;
  actor: { id: string; name: string; avatarUrl: string | null } | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
};
type AuditPage = { entries: AuditEntry[]; nextCursor: string | null };

async function readAudit(client: Client, user: TestUser, workspaceId: string, query = ""): Promise<AuditPage> {
  const response = await client.call("GET", `/api/workspaces/${workspaceId}/audit${query}`, { cookie: user.cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as AuditPage;
}

describe("audit trail of workspace changes", () => {
  it("records every mutating request with its actor, action, target, client IP and user agent", async () => {
    const client = makeClient();
    const owner = await signUp(client, { name: "Olga Owner" });
    const joiner = await signUp(client, { name: "Jo Joiner" });
    const leaver = await signUp(client, { name: "Lee Leaver" });

    // Each step comes from its own IP so every entry can be matched to the request that caused it.
    let step = 0;
    const from = () => `198.51.100.${++step}`;
    const json = async (response: Response, status: number) => {
      expect(response.status).toBe(status);
      return (await response.json()) as Record<string, unknown> & { id: string };
    };

    const created = await json(await client.call("POST", "/api/workspaces", { ip: from(), cookie: owner.cookie, body: { name: "Audited", timezone: "UTC" } }), 201);
    const ws = created.id;
    await json(await client.call("PATCH", `/api/workspaces/${ws}`, { ip: from(), cookie: owner.cookie, body: { name: "Audited Co" } }), 200);
    await json(await client.call("PUT", `/api/workspaces/${ws}/logo`, { ip: from(), cookie: owner.cookie, ...imageUpload(pngBytes(), "image/png") }), 200);
    await json(await client.call("DELETE", `/api/workspaces/${ws}/logo`, { ip: from(), cookie: owner.cookie }), 200);
    const invite = (await json(await client.call("POST", `/api/workspaces/${ws}/invites`, { ip: from(), cookie: owner.cookie, body: { role: "editor" } }), 201)) as unknown as { invite: { id: string }; token: string };
    await json(await client.call("POST", `/api/invites/${invite.token}/accept`, { ip: from(), cookie: joiner.cookie }), 200);
    await json(await client.call("PATCH", `/api/workspaces/${ws}/members/${joiner.id}`, { ip: from(), cookie: owner.cookie, body: { role: "viewer" } }), 200);
    const spare = (await json(await client.call("POST", `/api/workspaces/${ws}/invites`, { ip: from(), cookie: owner.cookie, body: { role: "viewer" } }), 201)) as unknown as { invite: { id: string } };
    expect((await client.call("DELETE", `/api/workspaces/${ws}/invites/${spare.invite.id}`, { ip: from(), cookie: owner.cookie })).status).toBe(204);
    expect((await client.call("DELETE", `/api/workspaces/${ws}/members/${joiner.id}`, { ip: from(), cookie: owner.cookie })).status).toBe(204);
    await addMember(client, ws, owner, leaver, "contributor");
    expect((await client.call("POST", `/api/workspaces/${ws}/leave`, { ip: "198.51.100.99", cookie: leaver.cookie })).status).toBe(204);

    const expected = [
      { ip: "198.51.100.1", actor: owner, action: "workspace.created", targetType: "workspace", targetId: ws },
      { ip: "198.51.100.2", actor: owner, action: "workspace.updated", targetType: "workspace", targetId: ws },
      { ip: "198.51.100.3", actor: owner, action: "workspace.logo_changed", targetType: "workspace", targetId: ws },
      { ip: "198.51.100.4", actor: owner, action: "workspace.logo_removed", targetType: "workspace", targetId: ws },
      { ip: "198.51.100.5", actor: owner, action: "invite.created", targetType: "invite", targetId: invite.invite.id },
      { ip: "198.51.100.6", actor: joiner, action: "invite.accepted", targetType: "invite", targetId: invite.invite.id },
      { ip: "198.51.100.7", actor: owner, action: "member.role_changed", targetType: "user", targetId: joiner.id },
      { ip: "198.51.100.8", actor: owner, action: "invite.created", targetType: "invite", targetId: spare.invite.id },
      { ip: "198.51.100.9", actor: owner, action: "invite.revoked", targetType: "invite", targetId: spare.invite.id },
      { ip: "198.51.100.10", actor: owner, action: "member.removed", targetType: "user", targetId: joiner.id },
      { ip: "198.51.100.99", actor: leaver, action: "member.left", targetType: "user", targetId: leaver.id },
    ];
    const { entries } = await readAudit(client, owner, ws, "?limit=200");
    for (const e of expected) {
      const matching = entries.filter((entry) => entry.ip === e.ip && entry.action === e.action);
      expect(matching, `${e.action} from ${e.ip}`).toEqual([
        expect.objectContaining({
          actor: { id: e.actor.id, name: e.actor.name, avatarUrl: null },
          targetType: e.targetType,
          targetId: e.targetId,
          userAgent: "atelier-tests",
          at: new Date(client.clock.now).toISOString(),
        }),
      ]);
    }
    expect(entries.find((e) => e.action === "member.role_changed")?.detail).toEqual({ from: "editor", to: "viewer" });

    // D1 agrees with the API, and deleting the workspace leaves a user-level entry from the deleting request.
    expect((await rowsOf("SELECT ip FROM audit_log WHERE workspace_id = ? AND action = 'workspace.updated'", ws))).toEqual([{ ip: "198.51.100.2" }]);
    expect((await client.call("DELETE", `/api/workspaces/${ws}`, { ip: "198.51.100.200", cookie: owner.cookie })).status).toBe(204);
    expect(await rowsOf("SELECT workspace_id, actor_id, ip, user_agent FROM audit_log WHERE action = 'workspace.deleted' AND target_id = ?", ws)).toEqual([
      { workspace_id: null, actor_id: owner.id, ip: "198.51.100.200", user_agent: "atelier-tests" },
    ]);
  });
});

describe("GET /api/workspaces/{id}/audit", () => {
  it("pages newest first with nextCursor, with no duplicates or gaps, also across entries of the same millisecond", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner, { name: "Paged" });
    // 9 renames: three bursts of three in the same millisecond, a second apart.
    for (let i = 1; i <= 9; i++) {
      if (i % 3 === 1) client.clock.advance(1000);
      expect((await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie, body: { name: `Name ${i}` } })).status).toBe(200);
    }
    const inD1 = await rowsOf<{ id: string }>("SELECT id FROM audit_log WHERE workspace_id = ? ORDER BY created_at DESC, id DESC", workspace.id);
    expect(inD1).toHaveLength(10);

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await readAudit(client, owner, workspace.id, `?limit=3${cursor ? `&before=${encodeURIComponent(cursor)}` : ""}`);
      sizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
      if (cursor) expect(cursor).toMatch(/^\d+\.[\w-]+$/);
    } while (cursor && sizes.length < 10);

    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(seen).toEqual(inD1.map((r) => r.id));
    expect(new Set(seen).size).toBe(10);
  });

  it("gives a null nextCursor when everything fits, and defaults to 50 entries", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    const page = await readAudit(client, owner, workspace.id);
    expect(page).toEqual({ entries: [expect.objectContaining({ action: "workspace.created" })], nextCursor: null });
    // Exactly `limit` entries and nothing more: no cursor to an empty page.
    expect(await readAudit(client, owner, workspace.id, "?limit=1")).toMatchObject({ nextCursor: null });
  });

  it.each(["viewer", "contributor", "editor"] as const)("refuses a %s with 403", async (role) => {
    const client = makeClient();
    const owner = await signUp(client);
    const member = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    await addMember(client, workspace.id, owner, member, role);
    const response = await client.call("GET", `/api/workspaces/${workspace.id}/audit`, { cookie: member.cookie });
    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden", detail: "Only owners and admins can read the audit log." });
  });

  it("lets an admin read it", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const admin = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    await addMember(client, workspace.id, owner, admin, "admin");
    const page = await readAudit(client, admin, workspace.id);
    expect(page.entries.map((e) => e.action)).toEqual(expect.arrayContaining(["workspace.created", "invite.created", "invite.accepted"]));
  });

  it.each([
    { query: "?before=garbage", path: "before" },
    { query: "?before=123.short", path: "before" },
    { query: `?before=${"9".repeat(16)}.AAAAAAAAAAAAAAAAAAAAAA`, path: "before" },
    { query: `?before=${"x".repeat(65)}`, path: "before" },
    { query: "?limit=0", path: "limit" },
    { query: "?limit=201", path: "limit" },
    { query: "?limit=-5", path: "limit" },
    { query: "?limit=2.5", path: "limit" },
    { query: "?limit=abc", path: "limit" },
  ])("refuses $query with 400 errors[path=$path]", async ({ query, path }) => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    const response = await client.call("GET", `/api/workspaces/${workspace.id}/audit${query}`, { cookie: owner.cookie });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("/problems/validation");
    expect(problem.errors?.map((e) => e.path)).toEqual([path]);
  });

  it("accepts the limit bounds 1 and 200", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    expect((await readAudit(client, owner, workspace.id, "?limit=1")).entries).toHaveLength(1);
    expect((await readAudit(client, owner, workspace.id, "?limit=200")).entries).toHaveLength(1);
  });
});
