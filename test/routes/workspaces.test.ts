import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows, firstRow, rowsOf, tableCounts } from "../helpers/d1";
import { addMember, type Client, createWorkspace, makeClient, problemOf, signUp, type TestUser } from "../helpers/client";
import { imageUpload, jpegBytes, oversizedPngBytes, pngBytes } from "../helpers/images";

const logoKey = (workspaceId: string) => `ws/${workspaceId}/logo`;
const workspaceRow = (id: string) => firstRow<{ name: string; timezone: string; logo_key: string | null }>("SELECT * FROM workspaces WHERE id = ?", id);

/** An owner's workspace with an admin and an editor in it. */
async function team(client: Client) {
  const owner = await signUp(client, { name: "Olive Owner" });
  const admin = await signUp(client, { name: "Adam Admin" });
  const editor = await signUp(client, { name: "Eddie Editor" });
  const workspace = await createWorkspace(client, owner, { name: "Team Space" });
  await addMember(client, workspace.id, owner, admin, "admin");
  await addMember(client, workspace.id, owner, editor, "editor");
  return { owner, admin, editor, workspace };
}

const uploadLogo = (client: Client, user: TestUser, workspaceId: string, bytes = pngBytes(), type = "image/png") =>
  client.call("PUT", `/api/workspaces/${workspaceId}/logo`, { cookie: user.cookie, ...imageUpload(bytes, type) });

describe("POST /api/workspaces", () => {
  it("creates the workspace with the caller as owner, a membership row and a workspace.created audit row", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("POST", "/api/workspaces", { cookie: user.cookie, body: { name: "  Acme Social ", timezone: "America/New_York" } });

    expect(response.status).toBe(201);
    const workspace = (await response.json()) as { id: string };
    expect(workspace).toEqual({
      id: expect.stringMatching(/^[\w-]{22}$/),
      name: "Acme Social",
      timezone: "America/New_York",
      logoUrl: null,
      role: "owner",
      mediaLimits: { maxFileBytes: 2 * 1024 ** 3, quotaBytes: 50 * 1024 ** 3 },
      createdAt: new Date(client.clock.now).toISOString(),
    });
    expect(await workspaceRow(workspace.id)).toMatchObject({ name: "Acme Social", timezone: "America/New_York", logo_key: null });
    expect(await rowsOf("SELECT user_id, role FROM memberships WHERE workspace_id = ?", workspace.id)).toEqual([{ user_id: user.id, role: "owner" }]);
    expect(await rowsOf("SELECT actor_id, action, target_type, target_id, detail FROM audit_log WHERE workspace_id = ?", workspace.id)).toEqual([
      { actor_id: user.id, action: "workspace.created", target_type: "workspace", target_id: workspace.id, detail: JSON.stringify({ name: "Acme Social", timezone: "America/New_York" }) },
    ]);
  });

  it.each([
    { label: "a time zone that does not exist", body: { name: "Space", timezone: "Mars/Olympus" }, path: "timezone" },
    { label: "a UTC offset instead of a zone", body: { name: "Space", timezone: "+02:00" }, path: "timezone" },
    { label: "a blank name", body: { name: "  ", timezone: "Europe/Paris" }, path: "name" },
    { label: "an unknown field", body: { name: "Space", timezone: "Europe/Paris", plan: "pro" }, path: "plan" },
  ])("refuses $label with 400 errors[path=$path] and writes nothing", async ({ body, path }) => {
    const client = makeClient();
    const user = await signUp(client);
    const before = await tableCounts();
    const response = await client.call("POST", "/api/workspaces", { cookie: user.cookie, body });

    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("/problems/validation");
    expect(problem.errors).toEqual([{ path, message: expect.any(String) }]);
    expect(await tableCounts()).toEqual(before);
  });

  it("requires a session", async () => {
    const client = makeClient();
    const before = await tableCounts();
    const response = await client.call("POST", "/api/workspaces", { body: { name: "Space", timezone: "UTC" } });
    expect(response.status).toBe(401);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/unauthenticated" });
    expect(await tableCounts()).toEqual(before);
  });
});

describe("GET /api/workspaces", () => {
  it("lists only the caller's workspaces, by name, with the caller's role in each", async () => {
    const client = makeClient();
    const me = await signUp(client);
    const other = await signUp(client);
    const zebra = await createWorkspace(client, me, { name: "Zebra" });
    const alpha = await createWorkspace(client, me, { name: "Alpha" });
    const shared = await createWorkspace(client, other, { name: "Middle" });
    await createWorkspace(client, other, { name: "Not Mine" });
    await addMember(client, shared.id, other, me, "viewer");

    const response = await client.call("GET", "/api/workspaces", { cookie: me.cookie });
    expect(response.status).toBe(200);
    const { workspaces } = (await response.json()) as { workspaces: { id: string; name: string; role: string }[] };
    expect(workspaces.map((w) => [w.id, w.name, w.role])).toEqual([
      [alpha.id, "Alpha", "owner"],
      [shared.id, "Middle", "viewer"],
      [zebra.id, "Zebra", "owner"],
    ]);
  });
});

describe("GET and PATCH /api/workspaces/{id}", () => {
  it("shows a member the workspace with their own role", async () => {
    const client = makeClient();
    const { editor, workspace } = await team(client);
    const response = await client.call("GET", `/api/workspaces/${workspace.id}`, { cookie: editor.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: workspace.id, name: "Team Space", timezone: "Europe/Paris", role: "editor" });
  });

  it("lets an admin rename it and change its time zone, with an audit row", async () => {
    const client = makeClient();
    const { admin, workspace } = await team(client);
    const response = await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: admin.cookie, body: { name: " Renamed ", timezone: "Asia/Tokyo" } });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: workspace.id, name: "Renamed", timezone: "Asia/Tokyo", role: "admin" });
    expect(await workspaceRow(workspace.id)).toMatchObject({ name: "Renamed", timezone: "Asia/Tokyo" });
    expect(await rowsOf("SELECT actor_id, detail FROM audit_log WHERE workspace_id = ? AND action = 'workspace.updated'", workspace.id)).toEqual([
      { actor_id: admin.id, detail: JSON.stringify({ name: "Renamed", timezone: "Asia/Tokyo" }) },
    ]);
  });

  it("refuses an editor with 403 and changes nothing", async () => {
    const client = makeClient();
    const { editor, workspace } = await team(client);
    const before = await tableCounts();
    const response = await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: editor.cookie, body: { name: "Hijacked" } });

    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden", detail: "Only owners and admins can change workspace settings." });
    expect(await workspaceRow(workspace.id)).toMatchObject({ name: "Team Space" });
    expect(await tableCounts()).toEqual(before);
  });

  it.each([
    { label: "an empty change", body: {}, path: "" },
    { label: "an invalid time zone", body: { timezone: "Mars/Olympus" }, path: "timezone" },
  ])("refuses $label with 400 and changes nothing", async ({ body, path }) => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    const before = await tableCounts();
    const response = await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie, body });

    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/validation", errors: [{ path }] });
    expect(await workspaceRow(workspace.id)).toMatchObject({ name: "Acme Social", timezone: "Europe/Paris" });
    expect(await tableCounts()).toEqual(before);
  });
});

describe("DELETE /api/workspaces/{id}", () => {
  it("lets the owner delete it with its memberships, invites, logo and audit rows, leaving a user-level audit row", async () => {
    const client = makeClient();
    const { owner, admin, workspace } = await team(client);
    const keep = await createWorkspace(client, owner, { name: "Keep Me" });
    expect((await uploadLogo(client, owner, workspace.id)).status).toBe(200);
    expect((await uploadLogo(client, owner, keep.id)).status).toBe(200);
    expect((await client.call("POST", `/api/workspaces/${workspace.id}/invites`, { cookie: owner.cookie, body: { role: "viewer" } })).status).toBe(201);
    expect(await countRows("audit_log", "workspace_id = ?", workspace.id)).toBeGreaterThan(0);

    const response = await client.call("DELETE", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie });
    expect(response.status).toBe(204);

    expect(await countRows("workspaces", "id = ?", workspace.id)).toBe(0);
    expect(await countRows("memberships", "workspace_id = ?", workspace.id)).toBe(0);
    expect(await countRows("invites", "workspace_id = ?", workspace.id)).toBe(0);
    expect(await countRows("audit_log", "workspace_id = ?", workspace.id)).toBe(0);
    expect(await env.MEDIA.head(logoKey(workspace.id))).toBeNull();
    expect(await rowsOf("SELECT workspace_id, actor_id, target_type, target_id, detail FROM audit_log WHERE action = 'workspace.deleted' AND target_id = ?", workspace.id)).toEqual([
      { workspace_id: null, actor_id: owner.id, target_type: "workspace", target_id: workspace.id, detail: JSON.stringify({ name: "Team Space" }) },
    ]);
    // The owner's other workspace is untouched.
    expect(await countRows("workspaces", "id = ?", keep.id)).toBe(1);
    expect(await env.MEDIA.head(logoKey(keep.id))).not.toBeNull();
    // Former members now get 404, like for any workspace they cannot see.
    const asAdmin = await client.call("GET", `/api/workspaces/${workspace.id}`, { cookie: admin.cookie });
    expect(asAdmin.status).toBe(404);
    expect(await problemOf(asAdmin)).toMatchObject({ type: "/problems/not-found" });
  });

  it("refuses an admin with 403 and deletes nothing", async () => {
    const client = makeClient();
    const { admin, owner, workspace } = await team(client);
    expect((await uploadLogo(client, owner, workspace.id)).status).toBe(200);
    const before = await tableCounts();
    const response = await client.call("DELETE", `/api/workspaces/${workspace.id}`, { cookie: admin.cookie });

    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden", detail: "Only an owner can delete the workspace." });
    expect(await tableCounts()).toEqual(before);
    expect(await env.MEDIA.head(logoKey(workspace.id))).not.toBeNull();
  });
});

describe("workspace logo", () => {
  it("lets an admin upload a PNG, stored at ws/<id>/logo, served to any member with nosniff", async () => {
    const client = makeClient();
    const { admin, editor, workspace } = await team(client);
    const response = await uploadLogo(client, admin, workspace.id);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { logoUrl: string };
    expect(body).toMatchObject({ id: workspace.id, logoUrl: `/api/workspaces/${workspace.id}/logo?v=${client.clock.now}`, role: "admin" });
    const object = await env.MEDIA.get(logoKey(workspace.id));
    expect(object?.httpMetadata?.contentType).toBe("image/png");
    expect(await workspaceRow(workspace.id)).toMatchObject({ logo_key: logoKey(workspace.id) });
    expect(await countRows("audit_log", "workspace_id = ? AND action = 'workspace.logo_changed' AND actor_id = ?", workspace.id, admin.id)).toBe(1);

    const served = await client.call("GET", body.logoUrl, { cookie: editor.cookie });
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(pngBytes());
  });

  it("refuses an editor's upload with 403 and stores nothing", async () => {
    const client = makeClient();
    const { editor, workspace } = await team(client);
    const before = await tableCounts();
    const response = await uploadLogo(client, editor, workspace.id);
    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden" });
    expect(await env.MEDIA.head(logoKey(workspace.id))).toBeNull();
    expect(await tableCounts()).toEqual(before);
  });

  it.each([
    { label: "JPEG bytes declared as PNG", bytes: jpegBytes(), type: "image/png", status: 415, problem: "/problems/unsupported-media-type" },
    { label: "a PDF", bytes: new TextEncoder().encode("%PDF-1.7\n"), type: "application/pdf", status: 415, problem: "/problems/unsupported-media-type" },
    { label: "an image over 2 MB", bytes: oversizedPngBytes(), type: "image/png", status: 413, problem: "/problems/payload-too-large" },
  ])("refuses $label with $status and stores nothing", async ({ bytes, type, status, problem }) => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    const before = await tableCounts();
    const response = await uploadLogo(client, owner, workspace.id, bytes, type);

    expect(response.status).toBe(status);
    expect(await problemOf(response)).toMatchObject({ type: problem, status });
    expect(await env.MEDIA.head(logoKey(workspace.id))).toBeNull();
    expect(await workspaceRow(workspace.id)).toMatchObject({ logo_key: null });
    expect(await tableCounts()).toEqual(before);
  });

  it("accepts a JPEG declared as JPEG and serves it as image/jpeg", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    expect((await uploadLogo(client, owner, workspace.id, jpegBytes(), "image/jpeg")).status).toBe(200);
    const served = await client.call("GET", `/api/workspaces/${workspace.id}/logo`, { cookie: owner.cookie });
    expect(served.headers.get("Content-Type")).toBe("image/jpeg");
  });

  it("DELETE removes the object and clears logoUrl; the logo then answers 404", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    expect((await uploadLogo(client, owner, workspace.id)).status).toBe(200);

    const response = await client.call("DELETE", `/api/workspaces/${workspace.id}/logo`, { cookie: owner.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: workspace.id, logoUrl: null });
    expect(await env.MEDIA.head(logoKey(workspace.id))).toBeNull();
    expect(await workspaceRow(workspace.id)).toMatchObject({ logo_key: null });
    expect(await countRows("audit_log", "workspace_id = ? AND action = 'workspace.logo_removed'", workspace.id)).toBe(1);
    const gone = await client.call("GET", `/api/workspaces/${workspace.id}/logo`, { cookie: owner.cookie });
    expect(gone.status).toBe(404);
    expect(await problemOf(gone)).toMatchObject({ type: "/problems/not-found" });
  });

  it("refuses an editor's logo removal with 403 and keeps the logo", async () => {
    const client = makeClient();
    const { owner, editor, workspace } = await team(client);
    expect((await uploadLogo(client, owner, workspace.id)).status).toBe(200);
    const before = await tableCounts();
    const response = await client.call("DELETE", `/api/workspaces/${workspace.id}/logo`, { cookie: editor.cookie });
    expect(response.status).toBe(403);
    expect(await env.MEDIA.head(logoKey(workspace.id))).not.toBeNull();
    expect(await tableCounts()).toEqual(before);
  });
});
