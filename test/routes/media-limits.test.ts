import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addMember, createWorkspace, makeClient, problemOf, signUp } from "../helpers/client";

const MB = 1024 * 1024;

describe("per-workspace media limits", () => {
  it("start at 2 GB per file and 50 GB in total, and owners or admins can change them", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    const before = await (await client.call("GET", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie })).json();
    expect(before).toMatchObject({ mediaLimits: { maxFileBytes: 2048 * MB, quotaBytes: 50 * 1024 * MB } });

    const changed = await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie, body: { mediaMaxFileBytes: 5 * MB, mediaQuotaBytes: 200 * MB } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ mediaLimits: { maxFileBytes: 5 * MB, quotaBytes: 200 * MB } });
    const row = await env.DB.prepare("SELECT media_max_file_bytes AS f, media_quota_bytes AS q FROM workspaces WHERE id = ?").bind(workspace.id).first();
    expect(row).toEqual({ f: 5 * MB, q: 200 * MB });

    // The new limit applies to the next upload, refused before any byte is stored.
    const upload = await client.call("POST", `/api/workspaces/${workspace.id}/media/uploads`, { cookie: owner.cookie, body: { name: "big.mp4", sizeBytes: 6 * MB } });
    expect(upload.status).toBe(413);
    expect((await problemOf(upload)).detail).toMatch(/5 MB/);
    expect((await env.MEDIA.list({ prefix: `ws/${workspace.id}/media/` })).objects).toEqual([]);
  });

  it("refuses limits out of range, a file limit above the quota, and editors", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const editor = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    await addMember(client, workspace.id, owner, editor, "editor");
    for (const [body, path] of [
      [{ mediaMaxFileBytes: 10 }, "mediaMaxFileBytes"],
      [{ mediaQuotaBytes: 20 * 1024 * 1024 * MB }, "mediaQuotaBytes"],
      [{ mediaMaxFileBytes: 300 * MB, mediaQuotaBytes: 200 * MB }, "mediaMaxFileBytes"],
    ] as const) {
      const response = await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: owner.cookie, body });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors?.map((e) => e.path)).toContain(path);
    }
    const refused = await client.call("PATCH", `/api/workspaces/${workspace.id}`, { cookie: editor.cookie, body: { mediaMaxFileBytes: 5 * MB } });
    expect(refused.status).toBe(403);
    const row = await env.DB.prepare("SELECT media_max_file_bytes AS f FROM workspaces WHERE id = ?").bind(workspace.id).first();
    expect(row).toEqual({ f: 2048 * MB });
  });
});
