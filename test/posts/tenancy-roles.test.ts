import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { problemOf, signUp } from "../helpers/client";
import { channel, countRows, json, memberWithRole, ownerWithWorkspace, seedMedia, type ApiPost } from "./fixtures";

const posts = (ws: string) => `/api/workspaces/${ws}/posts`;

async function twoWorkspaces() {
  const a = await ownerWithWorkspace();
  const threadsA = await channel(a.client, a.owner, a.workspace.id, "threads");
  const postA = await json<ApiPost>(await a.client.call("POST", posts(a.workspace.id), { cookie: a.owner.cookie, body: { baseText: "A's", timezone: "Europe/Paris", targets: [{ connectionId: threadsA, format: "text" }] } }), 201);
  const mediaA = await seedMedia(a.workspace.id);
  const b = await ownerWithWorkspace();
  const threadsB = await channel(b.client, b.owner, b.workspace.id, "threads");
  return { a, b, threadsA, threadsB, postA, mediaA };
}

describe("tenancy", () => {
  it("answers 404 for another workspace's post on every route, and changes nothing", async () => {
    const { a, b, postA } = await twoWorkspaces();
    const url = `${posts(b.workspace.id)}/${postA.id}`;
    expect((await b.client.call("GET", url, { cookie: b.owner.cookie })).status).toBe(404);
    expect((await b.client.call("PATCH", url, { cookie: b.owner.cookie, body: { revision: 1, baseText: "hijack" } })).status).toBe(404);
    expect((await b.client.call("DELETE", url, { cookie: b.owner.cookie })).status).toBe(404);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND revision = 1 AND base_text = ?", postA.id, "A's")).toBe(1);
    expect((await json<{ posts: ApiPost[] }>(await b.client.call("GET", posts(b.workspace.id), { cookie: b.owner.cookie }), 200)).posts).toEqual([]);
    // The owner of A still sees it.
    expect((await a.client.call("GET", `${posts(a.workspace.id)}/${postA.id}`, { cookie: a.owner.cookie })).status).toBe(200);
  });

  it("answers 404 for a workspace the caller is not a member of", async () => {
    const { a, b } = await twoWorkspaces();
    expect((await b.client.call("GET", posts(a.workspace.id), { cookie: b.owner.cookie })).status).toBe(404);
    expect((await b.client.call("POST", posts(a.workspace.id), { cookie: b.owner.cookie, body: { timezone: "Europe/Paris" } })).status).toBe(404);
    expect((await b.client.call("POST", `${posts(a.workspace.id)}/validate`, { cookie: b.owner.cookie, body: { timezone: "Europe/Paris" } })).status).toBe(404);
  });

  it.each(["POST", "VALIDATE", "PATCH"])("refuses another workspace's channel with 400 at its path (%s), writing nothing", async (how) => {
    const { a, b, threadsA, threadsB } = await twoWorkspaces();
    const body = { baseText: "Hi", timezone: "Europe/Paris", targets: [{ connectionId: threadsB, format: "text" }, { connectionId: threadsA, format: "text" }] };
    let response: Response;
    if (how === "PATCH") {
      const own = await json<ApiPost>(await b.client.call("POST", posts(b.workspace.id), { cookie: b.owner.cookie, body: { timezone: "Europe/Paris" } }), 201);
      response = await b.client.call("PATCH", `${posts(b.workspace.id)}/${own.id}`, { cookie: b.owner.cookie, body: { revision: 1, targets: body.targets } });
    } else {
      response = await b.client.call("POST", how === "VALIDATE" ? `${posts(b.workspace.id)}/validate` : posts(b.workspace.id), { cookie: b.owner.cookie, body });
    }
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([{ path: "targets.1.connectionId", message: "This channel is not connected to this workspace." }]);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE connection_id = ? AND workspace_id = ?", threadsA, b.workspace.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE workspace_id = ? AND revision > 1", b.workspace.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE workspace_id = ? AND base_text = 'Hi'", b.workspace.id)).toBe(0);
    void a;
  });

  it("refuses another workspace's file, and a file still uploading, with 400 at their paths", async () => {
    const { b, mediaA } = await twoWorkspaces();
    const uploading = await seedMedia(b.workspace.id, { status: "uploading" });
    const response = await b.client.call("POST", posts(b.workspace.id), { cookie: b.owner.cookie, body: { timezone: "Europe/Paris", mediaIds: [uploading, mediaA] } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      { path: "mediaIds.0", message: "image.bin has not finished uploading." },
      { path: "mediaIds.1", message: "This file is not in this workspace's library." },
    ]);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE workspace_id = ?", b.workspace.id)).toBe(0);
  });

  it("refuses a channel that needs reconnecting or was disconnected, and the same channel twice", async () => {
    const { b, threadsB } = await twoWorkspaces();
    const linkedin = await channel(b.client, b.owner, b.workspace.id, "linkedin");
    const youtube = await channel(b.client, b.owner, b.workspace.id, "youtube");
    await env.DB.prepare("UPDATE connections SET status = 'needs_reconnect' WHERE id = ?").bind(linkedin).run();
    await env.DB.prepare("UPDATE connections SET status = 'disconnected' WHERE id = ?").bind(youtube).run();
    const response = await b.client.call("POST", posts(b.workspace.id), { cookie: b.owner.cookie, body: { timezone: "Europe/Paris", targets: [{ connectionId: linkedin, format: "text" }, { connectionId: youtube, format: "video" }, { connectionId: threadsB, format: "text" }, { connectionId: threadsB, format: "text" }] } });
    expect(response.status).toBe(400);
    const errors = (await problemOf(response)).errors ?? [];
    expect(errors.map((e) => e.path)).toEqual(["targets.0.connectionId", "targets.1.connectionId", "targets.3.connectionId"]);
    expect(errors[0]?.message).toMatch(/needs to be reconnected/);
    expect(errors[2]?.message).toBe("This channel is already a target of this post.");
  });

  it("refuses an Airtable connection as a channel", async () => {
    const { b } = await twoWorkspaces();
    const airtable = await channel(b.client, b.owner, b.workspace.id, "airtable");
    const response = await b.client.call("POST", posts(b.workspace.id), { cookie: b.owner.cookie, body: { timezone: "Europe/Paris", targets: [{ connectionId: airtable, format: "post" }] } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]).toMatchObject({ path: "targets.0.connectionId", message: expect.stringMatching(/content source/) });
  });
});

describe("roles", () => {
  async function team() {
    const ctx = await ownerWithWorkspace();
    const threads = await channel(ctx.client, ctx.owner, ctx.workspace.id, "threads");
    const post = await json<ApiPost>(await ctx.client.call("POST", posts(ctx.workspace.id), { cookie: ctx.owner.cookie, body: { baseText: "Owner's", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } }), 201);
    return { ...ctx, threads, post };
  }

  it("lets viewers read but not create, validate, edit or delete (403, nothing written)", async () => {
    const { client, owner, workspace, threads, post } = await team();
    const viewer = await memberWithRole(client, workspace.id, owner, "viewer");
    expect((await client.call("GET", posts(workspace.id), { cookie: viewer.cookie })).status).toBe(200);
    expect((await client.call("GET", `${posts(workspace.id)}/${post.id}`, { cookie: viewer.cookie })).status).toBe(200);
    const body = { baseText: "Viewer's", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] };
    for (const [method, path, payload] of [
      ["POST", posts(workspace.id), body],
      ["POST", `${posts(workspace.id)}/validate`, body],
      ["PATCH", `${posts(workspace.id)}/${post.id}`, { revision: 1, baseText: "Viewer's" }],
      ["DELETE", `${posts(workspace.id)}/${post.id}`, undefined],
    ] as const) {
      const response = await client.call(method, path, { cookie: viewer.cookie, ...(payload ? { body: payload } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect((await problemOf(response)).detail).toBe("Viewers can read posts but not create, change or delete them.");
    }
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE workspace_id = ?", workspace.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND revision = 1", post.id)).toBe(1);
  });

  it.each(["contributor", "editor", "admin"])("lets a %s create, edit and delete", async (role) => {
    const { client, owner, workspace, threads, post } = await team();
    const member = await memberWithRole(client, workspace.id, owner, role);
    const own = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: member.cookie, body: { baseText: "Mine", status: "scheduled", scheduledLocal: "2026-12-02T10:00", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } }), 201);
    expect(own.status).toBe("scheduled");
    await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: member.cookie, body: { revision: 1, baseText: "Edited" } }), 200);
    expect((await client.call("DELETE", `${posts(workspace.id)}/${own.id}`, { cookie: member.cookie })).status).toBe(204);
    const actors = await env.DB.prepare("SELECT action FROM audit_log WHERE workspace_id = ? AND actor_id = ? AND action LIKE 'post.%' ORDER BY created_at, rowid").bind(workspace.id, member.id).all<{ action: string }>();
    expect(actors.results.map((r) => r.action)).toEqual(["post.created", "post.updated", "post.deleted"]);
  });

  it("requires a session", async () => {
    const { client, workspace } = await team();
    const response = await client.call("GET", posts(workspace.id));
    expect(response.status).toBe(401);
    void signUp;
  });
});
