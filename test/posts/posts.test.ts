import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { STALE_REVISION_MARK, updatePost } from "../../worker/db/queries/post-writes";
import { problemOf } from "../helpers/client";
import { connectLive } from "../helpers/live";
import { channel, countRows, json, ownerWithWorkspace, seedMedia, type ApiPost } from "./fixtures";

const TIKTOK = { privacyLevel: "PUBLIC_TO_EVERYONE" };
const posts = (ws: string) => `/api/workspaces/${ws}/posts`;

async function withThreads() {
  const ctx = await ownerWithWorkspace();
  const threads = await channel(ctx.client, ctx.owner, ctx.workspace.id, "threads");
  return { ...ctx, threads };
}

describe("creating posts", () => {
  it("saves an invalid draft and reports each channel's problems", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const ig = await channel(client, owner, workspace.id, "instagram");
    const tall = await seedMedia(workspace.id, { width: 1000, height: 3000 });
    const live = await connectLive(client, owner, workspace.id);
    await live.next((f) => f.type === "hello");
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Autumn menu", timezone: "Europe/Paris", mediaIds: [tall], targets: [{ connectionId: ig, format: "feed" }] } }), 201);
    expect(post).toMatchObject({ status: "draft", baseText: "Autumn menu", mediaIds: [tall], scheduledAt: null, scheduledLocal: null, revision: 1, createdBy: { id: owner.id, name: "Olivia Owner" } });
    expect(post.targets).toEqual([expect.objectContaining({ connectionId: ig, platform: "instagram", format: "feed", state: "draft", options: {} })]);
    expect(post.validation).toEqual({ valid: false, post: [], targets: [{ connectionId: ig, problems: [{ path: "media.0", message: "Instagram needs an aspect ratio between 4:5 and 1.91:1; this image is 1:3." }] }] });
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND workspace_id = ? AND status = 'draft'", post.id, workspace.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_media WHERE post_id = ? AND media_id = ? AND position = 0", post.id, tall)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ? AND workspace_id = ?", post.id, workspace.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'post.created' AND target_id = ?", workspace.id, post.id)).toBe(1);
    expect((await live.event("post.changed")).event).toEqual({ kind: "post.changed", postId: post.id, deleted: false });
    live.close();
  });

  it("schedules a valid post at the UTC instant of its wall-clock time", async () => {
    const { client, owner, workspace, threads } = await withThreads();
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Doors open at nine", status: "scheduled", scheduledLocal: "2026-12-01T09:00", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } }), 201);
    expect(post).toMatchObject({ status: "scheduled", scheduledAt: "2026-12-01T08:00:00.000Z", scheduledLocal: "2026-12-01T09:00", timezone: "Europe/Paris", validation: { valid: true } });
    expect(post.targets[0]?.state).toBe("scheduled");
    const row = await env.DB.prepare("SELECT scheduled_at, timezone FROM posts WHERE id = ?").bind(post.id).first();
    expect(row).toEqual({ scheduled_at: Date.UTC(2026, 11, 1, 8), timezone: "Europe/Paris" });
  });

  it.each([
    ["a channel's rules are not met", { baseText: "x".repeat(501), scheduledLocal: "2026-12-01T09:00" }, [{ path: "targets.0.text", message: "Threads allows at most 500 characters here; this text has 501." }]],
    ["no time is given", { baseText: "Hi" }, [{ path: "scheduledLocal", message: "Choose a date and time to schedule this post." }]],
    ["the time has passed", { baseText: "Hi", scheduledLocal: "2026-11-29T12:30" }, [{ path: "scheduledLocal", message: "Choose a time in the future to schedule this post." }]],
  ])("refuses to schedule when %s, and writes nothing", async (_name, body, errors) => {
    const { client, owner, workspace, threads } = await withThreads();
    const response = await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { ...body, status: "scheduled", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual(errors);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE workspace_id = ?", workspace.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action LIKE 'post.%'", workspace.id)).toBe(0);
  });

  it("refuses a local time that the clocks skip, even on a draft", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const response = await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Hi", scheduledLocal: "2027-03-28T02:30", timezone: "Europe/Paris" } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([{ path: "scheduledLocal", message: "02:30 does not exist on 28 March 2027 in Europe/Paris because clocks go forward; choose another time, such as 03:30." }]);
  });

  it("schedules a time that happens twice at its first occurrence", async () => {
    const { client, owner, workspace, threads } = await withThreads();
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Hi", status: "scheduled", scheduledLocal: "2027-10-31T02:30", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } }), 201);
    expect(post.scheduledAt).toBe("2027-10-31T00:30:00.000Z");
    expect(post.scheduledLocal).toBe("2027-10-31T02:30");
  });

  it("stores the target options and text override", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const tiktok = await channel(client, owner, workspace.id, "tiktok");
    const clip = await seedMedia(workspace.id, { kind: "video", durationMs: 15_000 });
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Base", timezone: "Europe/Paris", mediaIds: [clip], targets: [{ connectionId: tiktok, format: "video", textOverride: "For TikTok", options: { ...TIKTOK, disableDuet: true } }] } }), 201);
    expect(post.targets[0]).toMatchObject({ textOverride: "For TikTok", options: { privacyLevel: "PUBLIC_TO_EVERYONE", disableDuet: true } });
    expect(post.validation?.valid).toBe(true);
  });
});

describe("editing, rescheduling and deleting", () => {
  async function scheduled() {
    const ctx = await withThreads();
    const post = await json<ApiPost>(await ctx.client.call("POST", posts(ctx.workspace.id), { cookie: ctx.owner.cookie, body: { baseText: "Hi", status: "scheduled", scheduledLocal: "2027-03-27T09:00", timezone: "Europe/Paris", targets: [{ connectionId: ctx.threads, format: "text" }] } }), 201);
    return { ...ctx, post };
  }

  it("reschedules across the DST change: 09:00 Paris stays 09:00, the instant moves by a day less an hour", async () => {
    const { client, owner, workspace, post } = await scheduled();
    expect(post.scheduledAt).toBe("2027-03-27T08:00:00.000Z");
    const moved = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, scheduledLocal: "2027-03-28T09:00" } }), 200);
    expect(moved).toMatchObject({ revision: 2, status: "scheduled", scheduledLocal: "2027-03-28T09:00", scheduledAt: "2027-03-28T07:00:00.000Z" });
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'post.rescheduled' AND target_id = ?", workspace.id, post.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND revision = 2 AND scheduled_at = ?", post.id, Date.UTC(2027, 2, 28, 7))).toBe(1);
  });

  it("keeps the wall-clock time when only the zone changes", async () => {
    const { client, owner, workspace, post } = await scheduled();
    const moved = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, timezone: "America/New_York" } }), 200);
    expect(moved).toMatchObject({ scheduledLocal: "2027-03-27T09:00", timezone: "America/New_York", scheduledAt: "2027-03-27T13:00:00.000Z" });
  });

  it("re-runs validation on edit: a scheduled post cannot become invalid", async () => {
    const { client, owner, workspace, post } = await scheduled();
    const response = await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, baseText: "x".repeat(501) } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([{ path: "targets.0.text", message: "Threads allows at most 500 characters here; this text has 501." }]);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND revision = 1 AND base_text = 'Hi'", post.id)).toBe(1);
  });

  it("turns a scheduled post back into a draft, which may then be invalid", async () => {
    const { client, owner, workspace, post } = await scheduled();
    const draft = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, status: "draft", baseText: "x".repeat(501) } }), 200);
    expect(draft).toMatchObject({ status: "draft", revision: 2, validation: { valid: false } });
    expect(draft.targets[0]?.state).toBe("draft");
  });

  it("cancels a scheduled post", async () => {
    const { client, owner, workspace, post } = await scheduled();
    const cancelled = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, status: "cancelled" } }), 200);
    expect(cancelled).toMatchObject({ status: "cancelled", revision: 2 });
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ? AND state = 'cancelled'", post.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'post.cancelled'", workspace.id)).toBe(1);
  });

  it("refuses a stale revision with 409 and changes nothing", async () => {
    const { client, owner, workspace, post } = await scheduled();
    await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, baseText: "First editor" } }), 200);
    const stale = await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, baseText: "Second editor" } });
    expect(stale.status).toBe(409);
    expect((await problemOf(stale)).detail).toMatch(/changed by someone else/);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND revision = 2 AND base_text = 'First editor'", post.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'post.updated'", workspace.id)).toBe(1);
  });

  it("rolls back every row of an edit that loses the race on the revision", async () => {
    const { workspace, post } = await scheduled();
    const db = createDb(env.DB);
    const [row] = await db.query.posts.findMany({ where: (p, { eq }) => eq(p.id, post.id) });
    if (!row) throw new Error("post missing");
    const { id: _a, workspaceId: _b, createdBy: _c, createdAt: _d, ...fields } = row;
    const statements = updatePost(db, workspace.id, post.id, { row: { ...fields, baseText: "lost", revision: 2 }, expectedRevision: 7, mediaIds: [], targets: [], existingTargetIds: [] });
    await expect(db.batch(statements)).rejects.toThrow(STALE_REVISION_MARK);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ?", post.id)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ? AND base_text = 'Hi'", post.id)).toBe(1);
  });

  it("replaces targets and media when sent, keeping the ids of targets that stay", async () => {
    const { client, owner, workspace, post, threads } = await scheduled();
    const linkedin = await channel(client, owner, workspace.id, "linkedin");
    const updated = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, targets: [{ connectionId: threads, format: "text" }, { connectionId: linkedin, format: "text", options: { visibility: "PUBLIC" } }] } }), 200);
    expect(updated.targets.map((t) => t.connectionId).sort()).toEqual([threads, linkedin].sort());
    expect(updated.targets.find((t) => t.connectionId === threads)?.id).toBe(post.targets[0]?.id);
    const photo = await seedMedia(workspace.id);
    const withMedia = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 2, status: "draft", mediaIds: [photo], targets: [{ connectionId: linkedin, format: "image" }] } }), 200);
    expect(withMedia).toMatchObject({ mediaIds: [photo], revision: 3, validation: { valid: true } });
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ?", post.id)).toBe(1);
  });

  it("deletes a post at once; its files stay in the library", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const photo = await seedMedia(workspace.id);
    const fb = await channel(client, owner, workspace.id, "facebook");
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Hi", timezone: "Europe/Paris", mediaIds: [photo], targets: [{ connectionId: fb, format: "photo" }] } }), 201);
    const live = await connectLive(client, owner, workspace.id);
    await live.next((f) => f.type === "hello");
    const response = await client.call("DELETE", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie });
    expect(response.status).toBe(204);
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE id = ?", post.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_media WHERE post_id = ?", post.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ?", post.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM media WHERE id = ?", photo)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'post.deleted' AND target_id = ?", workspace.id, post.id)).toBe(1);
    expect((await live.event("post.changed")).event).toEqual({ kind: "post.changed", postId: post.id, deleted: true });
    expect((await client.call("GET", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie })).status).toBe(404);
    live.close();
  });

  it("gets a post with its validation report", async () => {
    const { client, owner, workspace, post } = await scheduled();
    const got = await json<ApiPost>(await client.call("GET", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie }), 200);
    expect(got).toMatchObject({ id: post.id, scheduledLocal: "2027-03-27T09:00", validation: { valid: true, post: [] } });
  });
});

describe("large posts", () => {
  it("stores 35 files and 12 channels (more than one statement's worth of bound parameters)", async () => {
    const { client, owner, workspace, threads } = await withThreads();
    const columns = (await env.DB.prepare("PRAGMA table_info(connections)").all<{ name: string }>()).results.map((c) => c.name);
    const copy = columns.map((c) => (c === "id" ? "?1" : c === "external_id" ? "?2" : c)).join(", ");
    const ids = Array.from({ length: 11 }, (_, i) => `copy-${i}-${crypto.randomUUID().slice(0, 8)}`);
    for (const id of ids) await env.DB.prepare(`INSERT INTO connections (${columns.join(", ")}) SELECT ${copy} FROM connections WHERE id = ?3`).bind(id, `ext-${id}`, threads).run();
    const mediaIds = [];
    for (let i = 0; i < 35; i++) mediaIds.push(await seedMedia(workspace.id));
    const targets = [threads, ...ids].map((connectionId) => ({ connectionId, format: "carousel" }));
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Album", timezone: "Europe/Paris", mediaIds, targets } }), 201);
    expect(post.mediaIds).toEqual(mediaIds);
    expect(post.targets).toHaveLength(12);
    expect(post.validation?.targets.every((t) => t.problems.some((p) => p.path === "media"))).toBe(true);
    const edited = await json<ApiPost>(await client.call("PATCH", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie, body: { revision: 1, mediaIds: mediaIds.slice(0, 20), targets: targets.map((t) => ({ ...t, options: { replyControl: "followers_only" } })) } }), 200);
    expect(edited.validation?.valid).toBe(true);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_media WHERE post_id = ?", post.id)).toBe(20);
    expect(await countRows("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ? AND options LIKE '%followers_only%'", post.id)).toBe(12);
  });

  it("still shows a post whose channel was disconnected since, reporting the problem", async () => {
    const { client, owner, workspace, threads } = await withThreads();
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: "Hi", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } }), 201);
    await env.DB.prepare("UPDATE connections SET status = 'needs_reconnect' WHERE id = ?").bind(threads).run();
    const got = await json<ApiPost>(await client.call("GET", `${posts(workspace.id)}/${post.id}`, { cookie: owner.cookie }), 200);
    expect(got.validation).toMatchObject({ valid: false, post: [{ path: "targets.0.connectionId", message: expect.stringMatching(/needs to be reconnected/) }] });
  });
});

describe("the validate endpoint", () => {
  it("reports problems per channel and of the post, and writes nothing", async () => {
    const { client, owner, workspace } = await ownerWithWorkspace();
    const tiktok = await channel(client, owner, workspace.id, "tiktok");
    const youtube = await channel(client, owner, workspace.id, "youtube");
    const clip = await seedMedia(workspace.id, { kind: "video", durationMs: 2000 });
    const report = await json<{ valid: boolean; post: unknown[]; targets: unknown[] }>(
      await client.call("POST", `${posts(workspace.id)}/validate`, {
        cookie: owner.cookie,
        body: { baseText: "Teaser", status: "scheduled", scheduledLocal: "2026-03-29T02:30", timezone: "Europe/Paris", mediaIds: [clip], targets: [{ connectionId: tiktok, format: "video" }, { connectionId: youtube, format: "video", options: { title: "Teaser", privacyStatus: "unlisted", madeForKids: false } }] },
      }),
      200,
    );
    expect(report).toEqual({
      valid: false,
      post: [{ path: "scheduledLocal", message: "02:30 does not exist on 29 March 2026 in Europe/Paris because clocks go forward; choose another time, such as 03:30." }],
      targets: [
        { connectionId: tiktok, problems: [{ path: "media.0", message: "TikTok videos must be at least 3 seconds long; this one is 2 seconds." }, { path: "options.privacyLevel", message: "Choose who can watch this TikTok video: everyone, friends, followers or only you." }] },
        { connectionId: youtube, problems: [] },
      ],
    });
    expect(await countRows("SELECT COUNT(*) AS n FROM posts WHERE workspace_id = ?", workspace.id)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action LIKE 'post.%'", workspace.id)).toBe(0);
  });

  it("says valid for a post that could be scheduled", async () => {
    const { client, owner, workspace, threads } = await withThreads();
    const report = await json<{ valid: boolean }>(await client.call("POST", `${posts(workspace.id)}/validate`, { cookie: owner.cookie, body: { baseText: "Hi", status: "scheduled", scheduledLocal: "2026-12-24T18:00", timezone: "Europe/Paris", targets: [{ connectionId: threads, format: "text" }] } }), 200);
    expect(report).toEqual({ valid: true, post: [], targets: [{ connectionId: threads, problems: [] }] });
  });
});
