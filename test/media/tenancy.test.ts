import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type CallOptions, type Client, ORIGIN, problemOf, signUp, type TestUser } from "../helpers/client";
import { png } from "./fixtures";
import { member, rawUpload, setup, type MediaJson, type UploadJson, uploadSmall } from "./media-client";

type Attempt = { method: string; path: string; options?: CallOptions; mutates: boolean };

/** Every media route under /api/workspaces/{id}, with a plausible request for each. */
function everyMediaRoute(workspaceId: string, mediaId: string, uploadId: string): Attempt[] {
  const base = `/api/workspaces/${workspaceId}/media`;
  return [
    { method: "GET", path: base, mutates: false },
    { method: "GET", path: `${base}/${mediaId}`, mutates: false },
    { method: "GET", path: `${base}/${mediaId}/content`, mutates: false },
    { method: "GET", path: `${base}/${mediaId}/poster`, mutates: false },
    { method: "GET", path: `${base}/uploads/${uploadId}`, mutates: false },
    { method: "PATCH", path: `${base}/${mediaId}`, options: { body: { name: "taken" } }, mutates: true },
    { method: "PUT", path: `${base}/${mediaId}/poster`, options: { rawBody: png(1, 1), headers: { "Content-Type": "image/png" } }, mutates: true },
    { method: "POST", path: `${base}/${mediaId}/public-url`, options: { body: {} }, mutates: true },
    { method: "DELETE", path: `${base}/${mediaId}?confirm=true`, mutates: true },
    { method: "POST", path: base, options: rawUpload(png(2, 2), "x.png"), mutates: true },
    { method: "POST", path: `${base}/uploads`, options: { body: { name: "x.mp4", sizeBytes: 100 } }, mutates: true },
    { method: "PUT", path: `${base}/uploads/${uploadId}/parts/1`, options: rawUpload(new Uint8Array(100)), mutates: true },
    { method: "POST", path: `${base}/uploads/${uploadId}/complete`, mutates: true },
    { method: "DELETE", path: `${base}/uploads/${uploadId}`, mutates: true },
    { method: "POST", path: `${base}/import`, options: { body: { url: "http://sandbox.test/media.example/photo.png" } }, mutates: true },
  ];
}

async function stateOf(workspaceId: string) {
  return {
    media: (await env.DB.prepare("SELECT * FROM media WHERE workspace_id = ? ORDER BY id").bind(workspaceId).all()).results,
    parts: (await env.DB.prepare("SELECT p.* FROM media_parts p JOIN media m ON m.id = p.media_id WHERE m.workspace_id = ?").bind(workspaceId).all()).results,
    audit: (await env.DB.prepare("SELECT id FROM audit_log WHERE workspace_id = ? ORDER BY id").bind(workspaceId).all()).results,
    objects: (await env.MEDIA.list({ prefix: `ws/${workspaceId}/` })).objects.map((o) => o.key),
  };
}

/** W with one ready file (with a poster) and one upload in progress. */
async function libraryWithFiles() {
  const ctx = await setup();
  const media = await uploadSmall(ctx.client, ctx.owner, ctx.workspace.id, png(8, 8), "shared.png");
  await ctx.client.call("PUT", `${ctx.base}/${media.id}/poster`, { cookie: ctx.owner.cookie, rawBody: png(1, 1), headers: { "Content-Type": "image/png" } });
  const upload = (await (await ctx.client.call("POST", `${ctx.base}/uploads`, { cookie: ctx.owner.cookie, body: { name: "big.mp4", sizeBytes: 100 } })).json()) as UploadJson;
  return { ...ctx, media, uploadId: upload.media.id };
}

async function callAll(client: Client, user: TestUser | null, attempts: Attempt[]) {
  const results: { attempt: Attempt; response: Response }[] = [];
  for (const attempt of attempts) results.push({ attempt, response: await client.call(attempt.method, attempt.path, { ...attempt.options, ...(user ? { cookie: user.cookie } : {}) }) });
  return results;
}

describe("media tenancy", () => {
  it("answers 404 on every media route to a non-member, and changes nothing", async () => {
    const { client, workspace, media, uploadId } = await libraryWithFiles();
    const outsider = await signUp(client);
    const before = await stateOf(workspace.id);
    const attempts = everyMediaRoute(workspace.id, media.id, uploadId);
    expect(attempts).toHaveLength(15);
    for (const { attempt, response } of await callAll(client, outsider, attempts)) {
      expect(response.status, `${attempt.method} ${attempt.path}`).toBe(404);
      expect(await problemOf(response)).toMatchObject({ type: "/problems/not-found", detail: "This workspace does not exist, or you do not have access to it.", instance: new URL(attempt.path, ORIGIN).pathname });
    }
    expect(await stateOf(workspace.id)).toEqual(before);
  });

  it("does not reach W's files through the outsider's own workspace (404, W unchanged)", async () => {
    const { workspace, media, uploadId } = await libraryWithFiles();
    const other = await setup();
    const before = await stateOf(workspace.id);
    for (const { attempt, response } of await callAll(other.client, other.owner, everyMediaRoute(other.workspace.id, media.id, uploadId))) {
      if (attempt.path.endsWith("/media") || attempt.path.endsWith("/uploads") || attempt.path.endsWith("/import")) continue;
      expect(response.status, `${attempt.method} ${attempt.path}`).toBe(404);
    }
    expect(await stateOf(workspace.id)).toEqual(before);
  });

  it("answers 401 to a signed-out visitor", async () => {
    const { client, workspace, media, uploadId } = await libraryWithFiles();
    for (const { attempt, response } of await callAll(client, null, everyMediaRoute(workspace.id, media.id, uploadId))) {
      expect(response.status, `${attempt.method} ${attempt.path}`).toBe(401);
    }
  });

  it("lets a viewer read everything and change nothing (403)", async () => {
    const { client, owner, workspace, media, uploadId } = await libraryWithFiles();
    const viewer = await member(client, workspace.id, owner, "viewer");
    const before = await stateOf(workspace.id);
    for (const { attempt, response } of await callAll(client, viewer, everyMediaRoute(workspace.id, media.id, uploadId))) {
      expect(response.status, `${attempt.method} ${attempt.path}`).toBe(attempt.mutates ? 403 : 200);
      if (attempt.mutates) expect(await problemOf(response)).toMatchObject({ type: "/problems/forbidden" });
    }
    expect(await stateOf(workspace.id)).toEqual(before);
  });

  it("lets a contributor upload and describe their own files, but not edit or delete others' files", async () => {
    const { client, owner, workspace, base, media, uploadId } = await libraryWithFiles();
    const contributor = await member(client, workspace.id, owner, "contributor");
    const own = await uploadSmall(client, contributor, workspace.id, png(3, 3), "mine.png");
    expect((await client.call("PATCH", `${base}/${own.id}`, { cookie: contributor.cookie, body: { altText: "My picture" } })).status).toBe(200);
    expect((await client.call("PATCH", `${base}/${media.id}`, { cookie: contributor.cookie, body: { altText: "Hijack" } })).status).toBe(403);
    expect((await client.call("DELETE", `${base}/${own.id}`, { cookie: contributor.cookie })).status).toBe(403);
    expect((await client.call("DELETE", `${base}/uploads/${uploadId}`, { cookie: contributor.cookie })).status).toBe(403);
    expect((await client.call("POST", `${base}/${own.id}/public-url`, { cookie: contributor.cookie, body: {} })).status).toBe(403);
    const started = await client.call("POST", `${base}/uploads`, { cookie: contributor.cookie, body: { name: "clip.mp4", sizeBytes: 100 } });
    expect(started.status).toBe(201);
    const { media: pending } = (await started.json()) as { media: MediaJson };
    expect((await client.call("DELETE", `${base}/uploads/${pending.id}`, { cookie: contributor.cookie })).status).toBe(204);
  });

  it("lets an editor edit and delete anyone's files", async () => {
    const { client, owner, workspace, base, media } = await libraryWithFiles();
    const editor = await member(client, workspace.id, owner, "editor");
    expect((await client.call("PATCH", `${base}/${media.id}`, { cookie: editor.cookie, body: { tags: ["ok"] } })).status).toBe(200);
    expect((await client.call("DELETE", `${base}/${media.id}`, { cookie: editor.cookie })).status).toBe(204);
  });
});
