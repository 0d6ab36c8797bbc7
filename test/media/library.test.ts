import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { problemOf, TestClock } from "../helpers/client";
import { jpeg, mp4, png, webpLossy } from "./fixtures";
import { auditActions, mediaRows, objectsUnder, setup, type MediaJson, uploadSmall } from "./media-client";

type Page = { media: MediaJson[]; nextCursor: string | null };

describe("GET /media (library)", () => {
  it("lists newest first, searches name, alt text and tags, filters by kind and tag, and pages with a cursor", async () => {
    const clock = new TestClock();
    const { client, owner, workspace, base } = await setup(clock);
    const ids: Record<string, string> = {};
    for (const [name, bytes] of [["beach.png", png(10, 10)], ["office.jpg", jpeg(20, 20)], ["teaser.mp4", mp4(20_000)], ["100%_real.webp", webpLossy(5, 5)]] as const) {
      clock.advance(1000);
      ids[name] = (await uploadSmall(client, owner, workspace.id, bytes, name)).id;
    }
    await client.call("PATCH", `${base}/${ids["office.jpg"]}`, { cookie: owner.cookie, body: { altText: "Team at the seaside", tags: ["summer", "team", "team"] } });
    await client.call("PATCH", `${base}/${ids["teaser.mp4"]}`, { cookie: owner.cookie, body: { tags: ["launch"] } });

    const names = async (query: string) => ((await (await client.call("GET", `${base}${query}`, { cookie: owner.cookie })).json()) as Page).media.map((m) => m.name);
    expect(await names("")).toEqual(["100%_real.webp", "teaser.mp4", "office.jpg", "beach.png"]);
    expect(await names("?q=seaside")).toEqual(["office.jpg"]);
    expect(await names("?q=BEACH")).toEqual(["beach.png"]);
    expect(await names("?q=launch")).toEqual(["teaser.mp4"]);
    expect(await names("?q=%25")).toEqual(["100%_real.webp"]);
    expect(await names("?kind=video")).toEqual(["teaser.mp4"]);
    expect(await names("?tag=team")).toEqual(["office.jpg"]);
    expect(await names("?tag=tea")).toEqual([]);

    const first = (await (await client.call("GET", `${base}?limit=3`, { cookie: owner.cookie })).json()) as Page;
    expect(first.media).toHaveLength(3);
    const second = (await (await client.call("GET", `${base}?limit=3&cursor=${first.nextCursor}`, { cookie: owner.cookie })).json()) as Page;
    expect(second).toMatchObject({ media: [{ name: "beach.png" }], nextCursor: null });
    const bad = await client.call("GET", `${base}?cursor=nope`, { cookie: owner.cookie });
    expect(await problemOf(bad)).toMatchObject({ status: 400, errors: [{ path: "cursor" }] });
  });
});

describe("GET / PATCH /media/{mid}", () => {
  it("edits name, alt text and tags (deduplicated), audited and visible on GET", async () => {
    const { client, owner, workspace, base } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, png(3, 3), "a.png");
    const patched = await client.call("PATCH", `${base}/${media.id}`, { cookie: owner.cookie, body: { name: " Hero image ", altText: "A red bicycle", tags: ["bike", "bike", "red"] } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "Hero image", altText: "A red bicycle", tags: ["bike", "red"] });
    expect(await (await client.call("GET", `${base}/${media.id}`, { cookie: owner.cookie })).json()).toMatchObject({ name: "Hero image", tags: ["bike", "red"] });
    expect(await auditActions(workspace.id)).toEqual(["media.uploaded", "media.updated"]);
    const invalid = await client.call("PATCH", `${base}/${media.id}`, { cookie: owner.cookie, body: { kind: "video" } });
    expect(await problemOf(invalid)).toMatchObject({ status: 400, errors: [{ path: "kind" }] });
  });
});

describe("GET /media/{mid}/content", () => {
  it("serves the whole file with Accept-Ranges, nosniff and an encoded inline file name", async () => {
    const { client, owner, workspace, base } = await setup();
    const file = mp4(300_000);
    const media = await uploadSmall(client, owner, workspace.id, file, "clip «final».mp4");
    const response = await client.call("GET", `${base}/${media.id}/content`, { cookie: owner.cookie });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(["Content-Type", "Content-Length", "Accept-Ranges", "X-Content-Type-Options", "Content-Disposition"].map((h) => [h, response.headers.get(h)]))).toEqual({
      "Content-Type": "video/mp4",
      "Content-Length": "300000",
      "Accept-Ranges": "bytes",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline; filename*=UTF-8''clip%20%C2%ABfinal%C2%BB.mp4",
    });
    expect((await response.arrayBuffer()).byteLength).toBe(300_000);
  });

  it.each([
    { range: "bytes=0-99", offset: 0, length: 100 },
    { range: "bytes=150000-150999", offset: 150_000, length: 1000 },
    { range: "bytes=-100", offset: 299_900, length: 100 },
    { range: "bytes=299990-", offset: 299_990, length: 10 },
    { range: "bytes=299990-999999", offset: 299_990, length: 10 },
  ])("answers $range with 206 and exactly those bytes", async ({ range, offset, length }) => {
    const { client, owner, workspace, base } = await setup();
    const file = mp4(300_000);
    const media = await uploadSmall(client, owner, workspace.id, file);
    const response = await client.call("GET", `${base}/${media.id}/content`, { cookie: owner.cookie, headers: { Range: range } });
    expect(response.status).toBe(206);
    expect(response.headers.get("Content-Range")).toBe(`bytes ${offset}-${offset + length - 1}/300000`);
    expect(response.headers.get("Content-Length")).toBe(String(length));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(file.subarray(offset, offset + length));
  });

  it.each(["bytes=300000-", "bytes=500-100", "bytes=abc", "bytes=-0", "bytes=-"])("answers %s with a 416 problem and Content-Range bytes */size", async (range) => {
    const { client, owner, workspace, base } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, mp4(300_000));
    const response = await client.call("GET", `${base}/${media.id}/content`, { cookie: owner.cookie, headers: { Range: range } });
    expect(response.status).toBe(416);
    expect(response.headers.get("Content-Range")).toBe("bytes */300000");
    expect(await problemOf(response)).toMatchObject({ status: 416, type: "/problems/range-not-satisfiable" });
  });

  it("is 404 while the file is still uploading", async () => {
    const { client, owner, base } = await setup();
    const upload = (await (await client.call("POST", `${base}/uploads`, { cookie: owner.cookie, body: { name: "x.mp4", sizeBytes: 100 } })).json()) as { media: MediaJson };
    expect((await client.call("GET", `${base}/${upload.media.id}/content`, { cookie: owner.cookie })).status).toBe(404);
  });
});

describe("poster", () => {
  it("stores a browser-made JPEG at ws/<id>/media/<mid>/poster and serves it", async () => {
    const { client, owner, workspace, base } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, mp4(20_000), "v.mp4");
    const poster = jpeg(1920, 1080);
    const response = await client.call("PUT", `${base}/${media.id}/poster`, { cookie: owner.cookie, rawBody: poster, headers: { "Content-Type": "image/jpeg" } });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as MediaJson;
    expect(updated.posterUrl).toMatch(new RegExp(`^${base}/${media.id}/poster\\?v=\\d+$`));
    const object = await env.MEDIA.get(`ws/${workspace.id}/media/${media.id}/poster`);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(poster);
    const served = await client.call("GET", updated.posterUrl!, { cookie: owner.cookie });
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/jpeg");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await auditActions(workspace.id)).toEqual(["media.uploaded", "media.poster_changed"]);
  });

  it("refuses a GIF, a mismatched type and more than 2 MB", async () => {
    const { client, owner, workspace, base } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, mp4(20_000));
    const put = (bytes: Uint8Array, type: string) => client.call("PUT", `${base}/${media.id}/poster`, { cookie: owner.cookie, rawBody: bytes, headers: { "Content-Type": type } });
    expect((await put(Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]), "image/gif")).status).toBe(415);
    expect((await put(png(1, 1), "image/jpeg")).status).toBe(415);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(png(1, 1));
    expect((await put(big, "image/png")).status).toBe(413);
    expect(await objectsUnder(workspace.id)).toEqual([`ws/${workspace.id}/media/${media.id}`]);
  });
});

describe("signed public URLs", () => {
  async function signed(clock: TestClock, ttlSeconds = 3600) {
    const ctx = await setup(clock);
    const file = mp4(50_000);
    const media = await uploadSmall(ctx.client, ctx.owner, ctx.workspace.id, file, "reel.mp4");
    const response = await ctx.client.call("POST", `${ctx.base}/${media.id}/public-url`, { cookie: ctx.owner.cookie, body: { ttlSeconds } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { url: string; expiresAt: string };
    expect(body.expiresAt).toBe(new Date(clock.now + ttlSeconds * 1000).toISOString());
    return { ...ctx, file, media, path: new URL(body.url).pathname };
  }

  it("serves the file without a session, with Range, until it expires (then 410)", async () => {
    const clock = new TestClock();
    const { client, file, path, workspace } = await signed(clock);
    expect(path).toMatch(/^\/m\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const whole = await client.call("GET", path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("Content-Type")).toBe("video/mp4");
    expect((await whole.arrayBuffer()).byteLength).toBe(file.length);
    const part = await client.call("GET", path, { headers: { Range: "bytes=-100" } });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(file.subarray(file.length - 100));
    expect(await auditActions(workspace.id)).toContain("media.public_url_created");

    clock.advance(3600 * 1000);
    const expired = await client.call("GET", path);
    expect(expired.status).toBe(410);
    expect(await problemOf(expired)).toMatchObject({ type: "/problems/gone" });
  });

  it("refuses a tampered signature or payload with 403", async () => {
    const { client, path, workspace } = await signed(new TestClock());
    const token = path.slice(3);
    const [payload, signature] = token.split(".") as [string, string];
    const flipped = `${payload}.${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    expect((await client.call("GET", `/m/${flipped}`)).status).toBe(403);
    const other = btoa(JSON.stringify({ w: workspace.id, m: "AAAAAAAAAAAAAAAAAAAAAA", e: 9e12 })).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
    const forged = await client.call("GET", `/m/${other}.${signature}`);
    expect(forged.status).toBe(403);
    expect(await problemOf(forged)).toMatchObject({ type: "/problems/forbidden" });
    expect((await client.call("GET", "/m/garbage")).status).toBe(403);
  });

  it("stops serving a link to a deleted file (404)", async () => {
    const { client, owner, base, media, path } = await signed(new TestClock());
    expect((await client.call("DELETE", `${base}/${media.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await client.call("GET", path)).status).toBe(404);
  });
});

describe("DELETE /media/{mid}", () => {
  async function postUsing(workspaceId: string, mediaId: string, status: string, scheduledAt: number | null, text: string) {
    const postId = crypto.randomUUID().replaceAll("-", "").slice(0, 22);
    await env.DB.batch([
      env.DB.prepare("INSERT INTO posts (id, workspace_id, status, base_text, scheduled_at, timezone, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Europe/Paris', 1, 0, 0)").bind(postId, workspaceId, status, text, scheduledAt),
      env.DB.prepare("INSERT INTO post_media (post_id, position, media_id) VALUES (?, 0, ?)").bind(postId, mediaId),
    ]);
    return postId;
  }

  it("deletes an unused file: row, object and poster gone, audited", async () => {
    const { client, owner, workspace, base } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, mp4(20_000));
    await client.call("PUT", `${base}/${media.id}/poster`, { cookie: owner.cookie, rawBody: png(2, 2), headers: { "Content-Type": "image/png" } });
    expect(await objectsUnder(workspace.id)).toHaveLength(2);
    expect((await client.call("DELETE", `${base}/${media.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect(await objectsUnder(workspace.id)).toEqual([]);
    expect(await mediaRows(workspace.id)).toEqual([]);
    expect(await auditActions(workspace.id)).toContain("media.deleted");
    expect((await client.call("GET", `${base}/${media.id}`, { cookie: owner.cookie })).status).toBe(404);
  });

  it("answers 409 with the posts using the file, and with confirm=true removes it from them and deletes it", async () => {
    const { client, owner, workspace, base } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, png(4, 4), "logo.png");
    const at = Date.UTC(2026, 11, 24, 9, 0);
    const scheduled = await postUsing(workspace.id, media.id, "scheduled", at, "Merry Christmas from all of us! ".repeat(5));
    const draft = await postUsing(workspace.id, media.id, "draft", null, "Draft with logo");

    const refused = await client.call("DELETE", `${base}/${media.id}`, { cookie: owner.cookie });
    expect(refused.status).toBe(409);
    const problem = (await refused.json()) as { type: string; detail: string; usage: { posts: { postId: string; status: string; scheduledAt: string | null; excerpt: string }[] } };
    expect(problem.type).toBe("/problems/conflict");
    expect(problem.detail).toContain("2 posts");
    expect(problem.usage.posts).toHaveLength(2);
    expect(problem.usage.posts).toContainEqual({ postId: draft, status: "draft", scheduledAt: null, excerpt: "Draft with logo" });
    const scheduledUsage = problem.usage.posts.find((p) => p.postId === scheduled);
    expect(scheduledUsage).toMatchObject({ status: "scheduled", scheduledAt: new Date(at).toISOString() });
    expect(scheduledUsage?.excerpt).toHaveLength(80);
    expect(await mediaRows(workspace.id)).toHaveLength(1);

    const confirmed = await client.call("DELETE", `${base}/${media.id}?confirm=true`, { cookie: owner.cookie });
    expect(confirmed.status).toBe(204);
    expect(await mediaRows(workspace.id)).toEqual([]);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM post_media WHERE media_id = ?").bind(media.id).first<{ n: number }>())?.n).toBe(0);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM posts WHERE id IN (?, ?)").bind(scheduled, draft).first<{ n: number }>())?.n).toBe(2);
    expect(await objectsUnder(workspace.id)).toEqual([]);
    const entry = await env.DB.prepare("SELECT detail FROM audit_log WHERE workspace_id = ? AND action = 'media.deleted'").bind(workspace.id).first<{ detail: string }>();
    expect(JSON.parse(entry!.detail).removedFromPosts.sort()).toEqual([scheduled, draft].sort());
  });
});

