import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rowsOf, tableCounts } from "../helpers/d1";
import { addMember, type CallOptions, type Client, createWorkspace, makeClient, ORIGIN, problemOf, signUp } from "../helpers/client";
import { imageUpload, pngBytes } from "../helpers/images";

/** Owner A's workspace W with a logo, a pending invite and a member M; outsider B with a workspace of their own. */
async function twoTenants(client: Client) {
  const owner = await signUp(client, { name: "Alice Owner" });
  const member = await signUp(client, { name: "Mo Member" });
  const outsider = await signUp(client, { name: "Bob Outsider" });
  const workspace = await createWorkspace(client, owner, { name: "Alice's Space" });
  await addMember(client, workspace.id, owner, member, "editor");
  expect((await client.call("PUT", `/api/workspaces/${workspace.id}/logo`, { cookie: owner.cookie, ...imageUpload(pngBytes(), "image/png") })).status).toBe(200);
  const invited = await client.call("POST", `/api/workspaces/${workspace.id}/invites`, { cookie: owner.cookie, body: { role: "viewer" } });
  const { invite } = (await invited.json()) as { invite: { id: string } };
  const own = await createWorkspace(client, outsider, { name: "Bob's Space" });
  return { owner, member, outsider, workspace, inviteId: invite.id, own };
}

/** Everything stored about W, plus every table's row count and the R2 logo. */
async function stateOf(workspaceId: string) {
  const logo = await env.MEDIA.head(`ws/${workspaceId}/logo`);
  return {
    counts: await tableCounts(),
    workspace: await rowsOf("SELECT * FROM workspaces WHERE id = ?", workspaceId),
    memberships: await rowsOf("SELECT * FROM memberships WHERE workspace_id = ? ORDER BY user_id", workspaceId),
    invites: await rowsOf("SELECT * FROM invites WHERE workspace_id = ? ORDER BY id", workspaceId),
    audit: await rowsOf("SELECT * FROM audit_log WHERE workspace_id = ? ORDER BY id", workspaceId),
    logo: logo ? { size: logo.size, etag: logo.etag } : null,
  };
}

type Attempt = { method: string; path: string; options?: CallOptions };

/** Every route under /api/workspaces/{id}, with a plausible request for each. */
function everyWorkspaceRoute(id: string, ids: { memberId: string; ownerId: string; inviteId: string }): Attempt[] {
  const base = `/api/workspaces/${id}`;
  return [
    { method: "GET", path: base },
    { method: "PATCH", path: base, options: { body: { name: "Taken over" } } },
    { method: "DELETE", path: base },
    { method: "PUT", path: `${base}/logo`, options: imageUpload(pngBytes(), "image/png") },
    { method: "GET", path: `${base}/logo` },
    { method: "DELETE", path: `${base}/logo` },
    { method: "GET", path: `${base}/members` },
    { method: "PATCH", path: `${base}/members/${ids.memberId}`, options: { body: { role: "viewer" } } },
    { method: "DELETE", path: `${base}/members/${ids.memberId}` },
    { method: "DELETE", path: `${base}/members/${ids.ownerId}` },
    { method: "POST", path: `${base}/leave` },
    { method: "GET", path: `${base}/invites` },
    { method: "POST", path: `${base}/invites`, options: { body: { role: "admin" } } },
    { method: "DELETE", path: `${base}/invites/${ids.inviteId}` },
    { method: "GET", path: `${base}/audit` },
    { method: "GET", path: `${base}/live`, options: { headers: { Upgrade: "websocket", Origin: ORIGIN } } },
  ];
}

const NOT_FOUND = { type: "/problems/not-found", title: "Not found", status: 404, detail: "This workspace does not exist, or you do not have access to it." };

describe("tenancy: a workspace is invisible to non-members", () => {
  it("answers 404 not-found on every /api/workspaces/{id}/… route and changes nothing", async () => {
    const client = makeClient();
    const { owner, member, outsider, workspace, inviteId } = await twoTenants(client);
    const before = await stateOf(workspace.id);
    const attempts = everyWorkspaceRoute(workspace.id, { memberId: member.id, ownerId: owner.id, inviteId });
    expect(attempts).toHaveLength(16);

    for (const { method, path, options } of attempts) {
      const response = await client.call(method, path, { ...options, cookie: outsider.cookie });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await problemOf(response), `${method} ${path}`).toMatchObject({ ...NOT_FOUND, instance: new URL(path, ORIGIN).pathname });
    }
    expect(await stateOf(workspace.id)).toEqual(before);
    // The owner still sees everything as it was.
    expect(await (await client.call("GET", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie })).json()).toMatchObject({ name: "Alice's Space" });
  });

  it("answers a workspace id that does not exist with the same 404 body", async () => {
    const client = makeClient();
    const { owner, member, outsider, workspace, inviteId } = await twoTenants(client);
    const missing = "DoesNotExist0000000000";
    const before = await stateOf(workspace.id);

    for (const { method, path, options } of everyWorkspaceRoute(missing, { memberId: member.id, ownerId: owner.id, inviteId })) {
      const asOutsider = await client.call(method, path, { ...options, cookie: outsider.cookie });
      const foreign = await client.call(method, path.replace(missing, workspace.id), { ...options, cookie: outsider.cookie });
      expect(asOutsider.status, `${method} ${path}`).toBe(404);
      const a = await problemOf(asOutsider);
      const b = await problemOf(foreign);
      // Same type, title and detail: nothing tells an existing workspace from a missing one.
      expect({ ...a, instance: undefined, requestId: undefined }).toEqual({ ...b, instance: undefined, requestId: undefined });
    }
    expect(await stateOf(workspace.id)).toEqual(before);
  });

  it("refuses to reach into W through the outsider's own workspace (ids from W in B's URLs)", async () => {
    const client = makeClient();
    const { owner, member, outsider, workspace, inviteId, own } = await twoTenants(client);
    const before = await stateOf(workspace.id);

    const attempts: Attempt[] = [
      { method: "DELETE", path: `/api/workspaces/${own.id}/invites/${inviteId}` },
      { method: "PATCH", path: `/api/workspaces/${own.id}/members/${member.id}`, options: { body: { role: "viewer" } } },
      { method: "DELETE", path: `/api/workspaces/${own.id}/members/${owner.id}` },
    ];
    for (const { method, path, options } of attempts) {
      const response = await client.call(method, path, { ...options, cookie: outsider.cookie });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await problemOf(response)).toMatchObject({ type: "/problems/not-found" });
    }
    expect(await stateOf(workspace.id)).toEqual(before);
  });

  it("answers 401, not 404, when nobody is signed in", async () => {
    const client = makeClient();
    const { owner, member, workspace, inviteId } = await twoTenants(client);
    const before = await stateOf(workspace.id);
    for (const { method, path, options } of everyWorkspaceRoute(workspace.id, { memberId: member.id, ownerId: owner.id, inviteId })) {
      const response = await client.call(method, path, options);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await problemOf(response)).toMatchObject({ type: "/problems/unauthenticated" });
    }
    expect(await stateOf(workspace.id)).toEqual(before);
  });
});
