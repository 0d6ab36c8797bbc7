import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { listPostsQuery } from "../../worker/db/queries/posts";
import { problemOf } from "../helpers/client";
import { channel, json, ownerWithWorkspace, type ApiPost } from "./fixtures";

const posts = (ws: string) => `/api/workspaces/${ws}/posts`;

async function calendar() {
  const ctx = await ownerWithWorkspace();
  const { client, owner, workspace } = ctx;
  const threads = await channel(client, owner, workspace.id, "threads");
  const linkedin = await channel(client, owner, workspace.id, "linkedin");
  const make = async (label: string, body: Record<string, unknown>) => {
    const post = await json<ApiPost>(await client.call("POST", posts(workspace.id), { cookie: owner.cookie, body: { baseText: label, timezone: "Europe/Paris", ...body } }), 201);
    return post.id;
  };
  const ids = {
    dec1Threads: await make("dec1", { status: "scheduled", scheduledLocal: "2026-12-01T09:00", targets: [{ connectionId: threads, format: "text" }] }),
    dec5Both: await make("dec5", { status: "scheduled", scheduledLocal: "2026-12-05T09:00", targets: [{ connectionId: threads, format: "text" }, { connectionId: linkedin, format: "text" }] }),
    dec10Draft: await make("dec10", { scheduledLocal: "2026-12-10T09:00", targets: [{ connectionId: linkedin, format: "text" }] }),
    jan2LinkedIn: await make("jan2", { status: "scheduled", scheduledLocal: "2027-01-02T09:00", targets: [{ connectionId: linkedin, format: "text" }] }),
    unscheduled: await make("idea", {}),
  };
  return { ...ctx, threads, linkedin, ids };
}

async function list(ctx: Awaited<ReturnType<typeof calendar>>, query: string): Promise<string[]> {
  const body = await json<{ posts: ApiPost[] }>(await ctx.client.call("GET", `${posts(ctx.workspace.id)}${query}`, { cookie: ctx.owner.cookie }), 200);
  return body.posts.map((p) => p.id);
}

describe("listing posts for a calendar", () => {
  it("lists a window [from, to) in time order", async () => {
    const ctx = await calendar();
    expect(await list(ctx, "?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z")).toEqual([ctx.ids.dec1Threads, ctx.ids.dec5Both, ctx.ids.dec10Draft]);
    // `to` is exclusive, `from` inclusive, both instants with offsets.
    expect(await list(ctx, `?from=${encodeURIComponent("2026-12-01T09:00:00+01:00")}&to=${encodeURIComponent("2026-12-05T09:00:00+01:00")}`)).toEqual([ctx.ids.dec1Threads]);
  });

  it("lists everything, unscheduled drafts last, without a window", async () => {
    const ctx = await calendar();
    expect(await list(ctx, "")).toEqual([ctx.ids.dec1Threads, ctx.ids.dec5Both, ctx.ids.dec10Draft, ctx.ids.jan2LinkedIn, ctx.ids.unscheduled]);
  });

  it("filters by state", async () => {
    const ctx = await calendar();
    expect(await list(ctx, "?state=draft")).toEqual([ctx.ids.dec10Draft, ctx.ids.unscheduled]);
    expect(await list(ctx, "?state=scheduled&from=2026-12-02T00:00:00Z")).toEqual([ctx.ids.dec5Both, ctx.ids.jan2LinkedIn]);
  });

  it("filters by channel", async () => {
    const ctx = await calendar();
    expect(await list(ctx, `?channel=${ctx.threads}`)).toEqual([ctx.ids.dec1Threads, ctx.ids.dec5Both]);
    expect(await list(ctx, `?channel=${ctx.linkedin}&from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z`)).toEqual([ctx.ids.dec5Both, ctx.ids.dec10Draft]);
  });

  it("returns the posts with their targets and media, without validation reports", async () => {
    const ctx = await calendar();
    const body = await json<{ posts: ApiPost[] }>(await ctx.client.call("GET", `${posts(ctx.workspace.id)}?channel=${ctx.linkedin}&state=scheduled`, { cookie: ctx.owner.cookie }), 200);
    const dec5 = body.posts.find((p) => p.id === ctx.ids.dec5Both);
    expect(dec5?.targets.map((t) => t.platform).sort()).toEqual(["linkedin", "threads"]);
    expect(dec5?.validation).toBeUndefined();
  });

  it("refuses a malformed window", async () => {
    const ctx = await ownerWithWorkspace();
    const response = await ctx.client.call("GET", `${posts(ctx.workspace.id)}?from=yesterday`, { cookie: ctx.owner.cookie });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("from");
  });

  it.each([
    ["a window", { from: 1, to: 2 }, "posts_workspace_time_idx"],
    // Without ANALYZE statistics SQLite may prefer either posts index here; both are index searches.
    ["a state in a window", { state: "scheduled" as const, from: 1, to: 2 }, "posts_workspace_(status|time)_idx"],
    ["a state", { state: "draft" as const }, "posts_workspace_status_idx"],
    ["a channel", { channel: "c" }, "post_targets_workspace_idx"],
  ])("lists %s through an index, never scanning posts", async (_name, filter, index) => {
    const { sql, params } = listPostsQuery(createDb(env.DB), "w", filter).toSQL();
    const lines = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>()).results.map((r) => r.detail);
    expect(lines.join("\n")).toMatch(new RegExp(index));
    expect(lines.filter((l) => /^SCAN (posts|post_targets)(?! USING)/.test(l)), lines.join("\n")).toEqual([]);
  });
});
