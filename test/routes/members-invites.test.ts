import { describe, expect, it } from "vitest";
import type { Role } from "../../worker/contracts/common";
import { countRows, firstRow, rowsOf, tableCounts } from "../helpers/d1";
import { addMember, type Client, createWorkspace, makeClient, ORIGIN, problemOf, signUp, TestClock, type TestUser, uniqueEmail } from "../helpers/client";

const DAY = 24 * 60 * 60 * 1000;

type CreatedInvite = { invite: { id: string; role: Role; email: string | null; expiresAt: string }; url: string; token: string };
type InviteRow = { id: string; token_hash: string; role: string; email: string | null; accepted_at: number | null; accepted_by: string | null; revoked_at: number | null };

const inviteRow = (id: string) => firstRow<InviteRow>("SELECT * FROM invites WHERE id = ?", id);
const roleOf = async (workspaceId: string, userId: string) =>
  (await firstRow<{ role: Role }>("SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ?", workspaceId, userId))?.role ?? null;

async function sha256Base64Url(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function invite(client: Client, workspaceId: string, by: TestUser, body: { role?: Role; email?: string } = { role: "editor" }): Promise<CreatedInvite> {
  const response = await client.call("POST", `/api/workspaces/${workspaceId}/invites`, { cookie: by.cookie, body });
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedInvite;
}

/** Everything an invite or role refusal must leave untouched. */
async function snapshot(workspaceId: string) {
  return {
    counts: await tableCounts(),
    memberships: await rowsOf("SELECT user_id, role FROM memberships WHERE workspace_id = ? ORDER BY user_id", workspaceId),
    invites: await rowsOf("SELECT * FROM invites WHERE workspace_id = ? ORDER BY id", workspaceId),
  };
}

/** A workspace whose founder is its owner, plus one member per requested role ("owner" members are promoted by the founder). */
async function workspaceWith(client: Client, roles: Role[]) {
  const founder = await signUp(client, { name: "Fran Founder" });
  const workspace = await createWorkspace(client, founder, { name: "Roles Inc" });
  const members: TestUser[] = [];
  for (const role of roles) {
    // Members join a second apart so "oldest first" has one right answer.
    client.clock.advance(1000);
    const user = await signUp(client, { name: `Member ${role}` });
    await addMember(client, workspace.id, founder, user, role === "owner" ? "admin" : role);
    if (role === "owner") {
      const promoted = await client.call("PATCH", `/api/workspaces/${workspace.id}/members/${user.id}`, { cookie: founder.cookie, body: { role: "owner" } });
      expect(promoted.status).toBe(200);
    }
    members.push(user);
  }
  return { founder, workspace, members };
}

describe("creating invites", () => {
  it.each(["owner", "admin"] as const)("lets an %s create a link at <origin>/invite/<token>, storing only the token's SHA-256", async (role) => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, role === "owner" ? [] : ["admin"]);
    const inviter = role === "owner" ? founder : members[0]!;
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/invites`, { cookie: inviter.cookie, body: { role: "contributor", email: " Someone@Example.com " } });

    expect(response.status).toBe(201);
    const created = (await response.json()) as CreatedInvite;
    expect(created.token).toMatch(/^[\w-]{43}$/);
    expect(created.url).toBe(`${ORIGIN}/invite/${created.token}`);
    expect(created.invite).toMatchObject({
      role: "contributor",
      email: "someone@example.com",
      expiresAt: new Date(client.clock.now + 7 * DAY).toISOString(),
      createdBy: { id: inviter.id, name: inviter.name, avatarUrl: null },
    });

    const row = await inviteRow(created.invite.id);
    expect(row).toMatchObject({ role: "contributor", email: "someone@example.com", accepted_at: null, revoked_at: null, token_hash: await sha256Base64Url(created.token) });
    const everyInviteColumn = JSON.stringify(await rowsOf("SELECT * FROM invites"));
    expect(everyInviteColumn).not.toContain(created.token);
    expect(JSON.stringify(await rowsOf("SELECT * FROM audit_log WHERE workspace_id = ?", workspace.id))).not.toContain(created.token);
    expect(await countRows("audit_log", "workspace_id = ? AND action = 'invite.created' AND actor_id = ? AND target_id = ?", workspace.id, inviter.id, created.invite.id)).toBe(1);

    const list = await client.call("GET", `/api/workspaces/${workspace.id}/invites`, { cookie: inviter.cookie });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ invites: [created.invite] });
  });

  it.each(["editor", "contributor", "viewer"] as const)("refuses a %s with 403 and writes nothing (create, list and revoke)", async (role) => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, [role]);
    const member = members[0]!;
    const pending = await invite(client, workspace.id, founder);
    const before = await snapshot(workspace.id);

    for (const [method, path] of [
      ["POST", `/api/workspaces/${workspace.id}/invites`],
      ["GET", `/api/workspaces/${workspace.id}/invites`],
      ["DELETE", `/api/workspaces/${workspace.id}/invites/${pending.invite.id}`],
    ] as const) {
      const response = await client.call(method, path, { cookie: member.cookie, ...(method === "POST" ? { body: { role: "viewer" } } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden", detail: "Only owners and admins can invite people." });
    }
    expect(await snapshot(workspace.id)).toEqual(before);
  });

  it("refuses an invite for the owner role with 400 errors[path=role]", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, []);
    const before = await snapshot(workspace.id);
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/invites`, { cookie: founder.cookie, body: { role: "owner" } });
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/validation", errors: [{ path: "role" }] });
    expect(await snapshot(workspace.id)).toEqual(before);
  });
});

describe("invite links", () => {
  it("preview without signing in shows the workspace, the role and who invited", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, []);
    const created = await invite(client, workspace.id, founder, { role: "viewer" });

    const response = await client.call("GET", `/api/invites/${created.token}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      workspace: { id: workspace.id, name: "Roles Inc", logoUrl: null },
      role: "viewer",
      email: null,
      invitedBy: { name: "Fran Founder" },
      expiresAt: new Date(client.clock.now + 7 * DAY).toISOString(),
    });
  });

  it("accept adds the membership with the invite's role, once: a second person with the same link gets 410", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, []);
    const created = await invite(client, workspace.id, founder, { role: "contributor" });
    const first = await signUp(client);
    const second = await signUp(client);

    const accepted = await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: first.cookie });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ id: workspace.id, name: "Roles Inc", role: "contributor" });
    expect(await roleOf(workspace.id, first.id)).toBe("contributor");
    expect(await inviteRow(created.invite.id)).toMatchObject({ accepted_at: client.clock.now, accepted_by: first.id });
    expect(await countRows("audit_log", "workspace_id = ? AND action = 'invite.accepted' AND actor_id = ?", workspace.id, first.id)).toBe(1);

    const before = await snapshot(workspace.id);
    const reused = await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: second.cookie });
    expect(reused.status).toBe(410);
    expect(await problemOf(reused)).toMatchObject({ type: "/problems/gone", detail: expect.stringContaining("already been used") });
    expect(await roleOf(workspace.id, second.id)).toBeNull();
    expect(await snapshot(workspace.id)).toEqual(before);
    expect((await client.call("GET", `/api/invites/${created.token}`)).status).toBe(410);
  });

  it("expires after 7 days: 410 on preview and accept, nothing written", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const { founder, workspace } = await workspaceWith(client, []);
    const created = await invite(client, workspace.id, founder);
    const late = await signUp(client);

    clock.advance(7 * DAY - 1);
    expect((await client.call("GET", `/api/invites/${created.token}`)).status).toBe(200);

    clock.advance(2);
    const before = await snapshot(workspace.id);
    const preview = await client.call("GET", `/api/invites/${created.token}`);
    expect(preview.status).toBe(410);
    expect(await problemOf(preview)).toMatchObject({ type: "/problems/gone", detail: expect.stringContaining("expired") });
    const accept = await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: late.cookie });
    expect(accept.status).toBe(410);
    expect(await roleOf(workspace.id, late.id)).toBeNull();
    expect(await snapshot(workspace.id)).toEqual(before);
    // Expired invites leave the pending list.
    expect(await (await client.call("GET", `/api/workspaces/${workspace.id}/invites`, { cookie: founder.cookie })).json()).toEqual({ invites: [] });
  });

  it("revoked by an admin: 204, revoked_at set, then 410 on preview and accept", async () => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, ["admin"]);
    const admin = members[0]!;
    const created = await invite(client, workspace.id, founder);
    const invitee = await signUp(client);

    const revoked = await client.call("DELETE", `/api/workspaces/${workspace.id}/invites/${created.invite.id}`, { cookie: admin.cookie });
    expect(revoked.status).toBe(204);
    expect(await inviteRow(created.invite.id)).toMatchObject({ revoked_at: client.clock.now, accepted_at: null });
    expect(await countRows("audit_log", "workspace_id = ? AND action = 'invite.revoked' AND actor_id = ? AND target_id = ?", workspace.id, admin.id, created.invite.id)).toBe(1);

    const preview = await client.call("GET", `/api/invites/${created.token}`);
    expect(preview.status).toBe(410);
    expect(await problemOf(preview)).toMatchObject({ type: "/problems/gone", detail: expect.stringContaining("revoked") });
    expect((await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: invitee.cookie })).status).toBe(410);
    expect(await roleOf(workspace.id, invitee.id)).toBeNull();
  });

  it("revoking an invite that is no longer pending answers 404 and records nothing", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, []);
    const created = await invite(client, workspace.id, founder);
    expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/invites/${created.invite.id}`, { cookie: founder.cookie })).status).toBe(204);

    const before = await snapshot(workspace.id);
    for (const inviteId of [created.invite.id, "NoSuchInvite0000000000"]) {
      const response = await client.call("DELETE", `/api/workspaces/${workspace.id}/invites/${inviteId}`, { cookie: founder.cookie });
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toMatchObject({ type: "/problems/not-found" });
    }
    expect(await snapshot(workspace.id)).toEqual(before);
  });

  it("answers 404 for a well-formed token that matches no invite, and 400 for a malformed one", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const unknown = "A".repeat(43);
    const preview = await client.call("GET", `/api/invites/${unknown}`);
    expect(preview.status).toBe(404);
    expect(await problemOf(preview)).toMatchObject({ type: "/problems/not-found" });
    const before = await tableCounts();
    expect((await client.call("POST", `/api/invites/${unknown}/accept`, { cookie: user.cookie })).status).toBe(404);
    const malformed = await client.call("GET", "/api/invites/short!");
    expect(malformed.status).toBe(400);
    expect(await problemOf(malformed)).toMatchObject({ type: "/problems/validation", errors: [{ path: "token" }] });
    expect(await tableCounts()).toEqual(before);
  });

  it("requires a session to accept", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, []);
    const created = await invite(client, workspace.id, founder);
    const response = await client.call("POST", `/api/invites/${created.token}/accept`);
    expect(response.status).toBe(401);
    expect(await inviteRow(created.invite.id)).toMatchObject({ accepted_at: null });
  });

  it("binds an invite to its email: another address gets 403 and the link stays usable by the right one", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, []);
    const intendedEmail = uniqueEmail("intended");
    const created = await invite(client, workspace.id, founder, { role: "viewer", email: intendedEmail.toUpperCase() });
    const wrong = await signUp(client);
    const intended = await signUp(client, { email: intendedEmail });

    const before = await snapshot(workspace.id);
    const refused = await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: wrong.cookie });
    expect(refused.status).toBe(403);
    expect(await problemOf(refused)).toMatchObject({ type: "/problems/forbidden", detail: expect.stringContaining(intendedEmail) });
    expect(await snapshot(workspace.id)).toEqual(before);

    const accepted = await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: intended.cookie });
    expect(accepted.status).toBe(200);
    expect(await roleOf(workspace.id, intended.id)).toBe("viewer");
  });

  it("accepting when already a member answers 200 with the current role and changes nothing", async () => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, ["editor"]);
    const editor = members[0]!;
    const created = await invite(client, workspace.id, founder, { role: "viewer" });

    const before = await snapshot(workspace.id);
    const response = await client.call("POST", `/api/invites/${created.token}/accept`, { cookie: editor.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: workspace.id, role: "editor" });
    expect(await snapshot(workspace.id)).toEqual(before);
  });
});

type Actor = Role;
type RoleCase = { actor: Actor; target: Role; next: Role; status: number };

/** Sets up founder (owner) + actor + target; an owner actor is the founder, an owner target of a non-owner is the founder. */
async function roleScenario(client: Client, actorRole: Actor, targetRole: Role) {
  const needed: Role[] = [];
  if (actorRole !== "owner") needed.push(actorRole);
  const targetIsFounder = targetRole === "owner" && actorRole !== "owner";
  if (!targetIsFounder) needed.push(targetRole);
  const { founder, workspace, members } = await workspaceWith(client, needed);
  const actor = actorRole === "owner" ? founder : members[0]!;
  const target = targetIsFounder ? founder : members.at(-1)!;
  return { founder, workspace, actor, target };
}

describe("changing roles", () => {
  it.each<RoleCase>([
    { actor: "owner", target: "admin", next: "viewer", status: 200 },
    { actor: "owner", target: "viewer", next: "owner", status: 200 },
    { actor: "owner", target: "owner", next: "editor", status: 200 },
    { actor: "admin", target: "editor", next: "viewer", status: 200 },
    { actor: "admin", target: "viewer", next: "editor", status: 200 },
    { actor: "admin", target: "contributor", next: "admin", status: 200 },
    { actor: "admin", target: "editor", next: "owner", status: 403 },
    { actor: "admin", target: "owner", next: "editor", status: 403 },
    { actor: "editor", target: "viewer", next: "contributor", status: 403 },
    { actor: "contributor", target: "viewer", next: "editor", status: 403 },
    { actor: "viewer", target: "editor", next: "viewer", status: 403 },
  ])("$actor changing $target → $next answers $status", async ({ actor: actorRole, target: targetRole, next, status }) => {
    const client = makeClient();
    const { workspace, actor, target } = await roleScenario(client, actorRole, targetRole);
    const before = await snapshot(workspace.id);

    const response = await client.call("PATCH", `/api/workspaces/${workspace.id}/members/${target.id}`, { cookie: actor.cookie, body: { role: next } });
    expect(response.status).toBe(status);
    if (status === 200) {
      expect(await response.json()).toMatchObject({ userId: target.id, name: target.name, email: target.email, role: next });
      expect(await roleOf(workspace.id, target.id)).toBe(next);
      expect(await rowsOf("SELECT actor_id, detail FROM audit_log WHERE workspace_id = ? AND action = 'member.role_changed' AND target_id = ?", workspace.id, target.id)).toContainEqual({
        actor_id: actor.id,
        detail: JSON.stringify({ from: targetRole, to: next }),
      });
    } else {
      expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden", status: 403 });
      expect(await snapshot(workspace.id)).toEqual(before);
    }
  });

  it("refuses an unknown role with 400 and a non-member target with 404", async () => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, ["editor"]);
    const outsider = await signUp(client);
    const before = await snapshot(workspace.id);

    const badRole = await client.call("PATCH", `/api/workspaces/${workspace.id}/members/${members[0]!.id}`, { cookie: founder.cookie, body: { role: "superuser" } });
    expect(badRole.status).toBe(400);
    expect(await problemOf(badRole)).toMatchObject({ type: "/problems/validation", errors: [{ path: "role" }] });
    const notMember = await client.call("PATCH", `/api/workspaces/${workspace.id}/members/${outsider.id}`, { cookie: founder.cookie, body: { role: "viewer" } });
    expect(notMember.status).toBe(404);
    expect(await problemOf(notMember)).toMatchObject({ type: "/problems/not-found" });
    expect(await snapshot(workspace.id)).toEqual(before);
  });
});

describe("removing members", () => {
  it.each<{ actor: Actor; target: Role; status: number }>([
    { actor: "owner", target: "admin", status: 204 },
    { actor: "owner", target: "owner", status: 204 },
    { actor: "admin", target: "editor", status: 204 },
    { actor: "admin", target: "admin", status: 204 },
    { actor: "admin", target: "owner", status: 403 },
    { actor: "editor", target: "viewer", status: 403 },
    { actor: "contributor", target: "viewer", status: 403 },
    { actor: "viewer", target: "editor", status: 403 },
  ])("$actor removing $target answers $status", async ({ actor: actorRole, target: targetRole, status }) => {
    const client = makeClient();
    const { workspace, actor, target } = await roleScenario(client, actorRole, targetRole);
    const before = await snapshot(workspace.id);

    const response = await client.call("DELETE", `/api/workspaces/${workspace.id}/members/${target.id}`, { cookie: actor.cookie });
    expect(response.status).toBe(status);
    if (status === 204) {
      expect(await roleOf(workspace.id, target.id)).toBeNull();
      expect(await countRows("audit_log", "workspace_id = ? AND action = 'member.removed' AND actor_id = ? AND target_id = ?", workspace.id, actor.id, target.id)).toBe(1);
      const afterwards = await client.call("GET", `/api/workspaces/${workspace.id}`, { cookie: target.cookie });
      expect(afterwards.status).toBe(404);
      expect(await problemOf(afterwards)).toMatchObject({ type: "/problems/not-found" });
    } else {
      expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden" });
      expect(await snapshot(workspace.id)).toEqual(before);
    }
  });

  it("lets any member leave, through /leave or by removing themselves, recorded as member.left", async () => {
    const client = makeClient();
    const { workspace, members } = await workspaceWith(client, ["viewer", "contributor"]);
    const [viewer, contributor] = members as [TestUser, TestUser];

    expect((await client.call("POST", `/api/workspaces/${workspace.id}/leave`, { cookie: viewer.cookie })).status).toBe(204);
    expect((await client.call("DELETE", `/api/workspaces/${workspace.id}/members/${contributor.id}`, { cookie: contributor.cookie })).status).toBe(204);

    expect(await roleOf(workspace.id, viewer.id)).toBeNull();
    expect(await roleOf(workspace.id, contributor.id)).toBeNull();
    expect(await rowsOf("SELECT actor_id FROM audit_log WHERE workspace_id = ? AND action = 'member.left' ORDER BY actor_id", workspace.id)).toEqual(
      [{ actor_id: viewer.id }, { actor_id: contributor.id }].sort((a, b) => (a.actor_id < b.actor_id ? -1 : 1)),
    );
    expect((await client.call("GET", `/api/workspaces/${workspace.id}`, { cookie: viewer.cookie })).status).toBe(404);
  });
});

describe("the last owner", () => {
  it("cannot demote themselves, leave, or remove themselves (409), and nothing changes", async () => {
    const client = makeClient();
    const { founder, workspace } = await workspaceWith(client, ["admin"]);
    const before = await snapshot(workspace.id);

    for (const [method, path, body] of [
      ["PATCH", `/api/workspaces/${workspace.id}/members/${founder.id}`, { role: "admin" }],
      ["POST", `/api/workspaces/${workspace.id}/leave`, undefined],
      ["DELETE", `/api/workspaces/${workspace.id}/members/${founder.id}`, undefined],
    ] as const) {
      const response = await client.call(method, path, { cookie: founder.cookie, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(409);
      expect(await problemOf(response)).toMatchObject({ type: "/problems/conflict", detail: "A workspace needs at least one owner. Make someone else an owner first." });
    }
    expect(await snapshot(workspace.id)).toEqual(before);
    expect(await roleOf(workspace.id, founder.id)).toBe("owner");
  });

  it("with a second owner, one owner may leave; the remaining one then cannot", async () => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, ["owner"]);
    const coOwner = members[0]!;

    expect((await client.call("POST", `/api/workspaces/${workspace.id}/leave`, { cookie: founder.cookie })).status).toBe(204);
    expect(await rowsOf("SELECT user_id, role FROM memberships WHERE workspace_id = ?", workspace.id)).toEqual([{ user_id: coOwner.id, role: "owner" }]);

    const last = await client.call("POST", `/api/workspaces/${workspace.id}/leave`, { cookie: coOwner.cookie });
    expect(last.status).toBe(409);
    expect(await roleOf(workspace.id, coOwner.id)).toBe("owner");
  });
});

describe("GET /api/workspaces/{id}/members", () => {
  it("lists every member, oldest first, to any member", async () => {
    const client = makeClient();
    const { founder, workspace, members } = await workspaceWith(client, ["viewer", "editor"]);
    const [viewer, editor] = members as [TestUser, TestUser];
    const response = await client.call("GET", `/api/workspaces/${workspace.id}/members`, { cookie: viewer.cookie });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { members: { userId: string; role: Role; email: string }[] };
    expect(body.members.map((m) => [m.userId, m.role, m.email])).toEqual([
      [founder.id, "owner", founder.email],
      [viewer.id, "viewer", viewer.email],
      [editor.id, "editor", editor.email],
    ]);
  });
});
