import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { mediaObjectKey } from "../../worker/media/keys";
import { createWorkspace, problemOf, signUp } from "../helpers/client";
import { connectLive } from "../helpers/live";
import { SANDBOX } from "../helpers/connect";
import { addFault } from "../helpers/oauth-flow";
import { mp4 } from "../publishing/adapter-fixtures";
import { ledger, messageFor, publishingWorkspace, sandboxPosts, schedulePost } from "../publishing/harness";
import { countRows, memberWithRole, seedMedia } from "../posts/fixtures";

/**
 * `GET`/`PATCH /api/workspaces/{id}/posts/{postId}/targets/{targetId}/youtube`: a post is published to
 * the sandbox's YouTube through the real engine once, then read and edited through the API.
 */
type Workspace = Awaited<ReturnType<typeof publishingWorkspace>>;
type Details = { videoId: string; url: string; title: string; description: string; tags: string[]; categoryId: string; privacyStatus: string; madeForKids: boolean; thumbnailMediaId?: string | null };

let w: Workspace;
let postId = "";
let targetId = "";
let videoId = "";
const description = `How we bake at dawn ${crypto.randomUUID().slice(0, 8)}`;

const path = (ws = w.workspace.id, post = postId, target = targetId) => `/api/workspaces/${ws}/posts/${post}/targets/${target}/youtube`;

async function storedVideo(workspaceId: string): Promise<string> {
  const bytes = mp4(300 * 1024);
  const id = await seedMedia(workspaceId, { kind: "video", mimeType: "video/mp4", sizeBytes: bytes.byteLength, width: 1920, height: 1080, durationMs: 20_000 });
  await env.MEDIA.put(mediaObjectKey(workspaceId, id), bytes);
  return id;
}

async function scheduleVideo(title: string) {
  const mediaId = await storedVideo(w.workspace.id);
  return schedulePost(w.client, w.owner.cookie, w.workspace.id, {
    text: description,
    dueAt: w.clock.now + 3600_000,
    mediaIds: [mediaId],
    targets: [{ connectionId: w.channels.youtube!, format: "video", options: { title, tags: ["bakery", "dawn"], categoryId: "22", privacyStatus: "public", madeForKids: false } }],
  });
}

beforeAll(async () => {
  w = await publishingWorkspace(["youtube"]);
  const post = await scheduleVideo("Dawn bake");
  postId = post.id;
  targetId = post.targets[0]!.id;
  await w.harness.settle(await messageFor(targetId, w.workspace.id));
  const row = await ledger(targetId);
  expect(row.state).toBe("published");
  videoId = row.remote_id as string;
});

describe("YouTube video details", () => {
  it("published through the engine: exactly one public video, read back live from YouTube", async () => {
    expect((await sandboxPosts("youtube", w.externalIds.youtube)).filter((p) => p.id === videoId)).toHaveLength(1);
    const response = await w.client.call("GET", path(), { cookie: w.owner.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ videoId, url: `https://www.youtube.com/watch?v=${videoId}`, title: "Dawn bake", description, tags: ["bakery", "dawn"], categoryId: "22", privacyStatus: "public", madeForKids: false, thumbnailMediaId: null });
  });

  it("changes only the title: YouTube keeps the description and tags; Atelier stores it, audits it and tells the workspace", async () => {
    const live = await connectLive(w.client, w.owner, w.workspace.id);
    const response = await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { title: "  Dawn bake, retold  " } });
    expect(response.status).toBe(200);
    const details = (await response.json()) as Details;
    expect(details).toMatchObject({ videoId, title: "Dawn bake, retold", description, tags: ["bakery", "dawn"], privacyStatus: "public" });
    expect((await live.event("target.changed")).event).toEqual({ kind: "target.changed", postId, targetId, state: "published" });
    live.close();
    const row = await env.DB.prepare("SELECT options, text_override FROM post_targets WHERE id = ?").bind(targetId).first<{ options: string; text_override: string | null }>();
    expect(JSON.parse(row!.options)).toMatchObject({ title: "Dawn bake, retold", tags: ["bakery", "dawn"] });
    expect(row!.text_override).toBeNull();
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE workspace_id = ? AND action = 'post.youtube_video_edited' AND target_id = ?", w.workspace.id, postId)).toBeGreaterThanOrEqual(1);
    const post = (await sandboxPosts("youtube", w.externalIds.youtube)).find((p) => p.id === videoId);
    expect(post?.text).toBe("Dawn bake, retold");
  });

  it("changes the description and privacy; the description becomes the channel's text in Atelier", async () => {
    const response = await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { description: "Now with rye.", privacyStatus: "unlisted" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ description: "Now with rye.", privacyStatus: "unlisted", title: "Dawn bake, retold", tags: ["bakery", "dawn"] });
    const row = await env.DB.prepare("SELECT options, text_override FROM post_targets WHERE id = ?").bind(targetId).first<{ options: string; text_override: string | null }>();
    expect(row!.text_override).toBe("Now with rye.");
    expect(JSON.parse(row!.options)).toMatchObject({ privacyStatus: "unlisted" });
  });

  it("refuses bad input with one problem per field, in the composer's words, and changes nothing", async () => {
    const bad = await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { title: " ", tags: ["ok", "<b>"], description: "a < b" } });
    expect(bad.status).toBe(400);
    const problem = await problemOf(bad);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: "title", message: "Give the YouTube video a title." },
        { path: "tags.1", message: "A YouTube tag cannot contain < or >." },
        { path: "description", message: "YouTube does not accept “<” or “>” in this text." },
      ]),
    );
    const tooLong = await problemOf(await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { description: "é".repeat(2600) } }));
    expect(tooLong.errors).toEqual([{ path: "description", message: "YouTube allows at most 5,000 bytes here; this text has 5,200." }]);
    expect((await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: {} })).status).toBe(400);
    expect((await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { title: 5 } })).status).toBe(400);
    expect((await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { publishAt: "tomorrow" } })).status).toBe(400);
    const details = (await (await w.client.call("GET", path(), { cookie: w.owner.cookie })).json()) as Details;
    expect(details.title).toBe("Dawn bake, retold");
  });

  it("lets viewers read the video but not change it", async () => {
    const viewer = await memberWithRole(w.client, w.workspace.id, w.owner, "viewer");
    expect((await w.client.call("GET", path(), { cookie: viewer.cookie })).status).toBe(200);
    const refused = await w.client.call("PATCH", path(), { cookie: viewer.cookie, body: { title: "Viewer title" } });
    expect(refused.status).toBe(403);
    expect((await problemOf(refused)).detail).toBe("Viewers can see published videos but not change them.");
  });

  it("is 404 from another workspace and for someone who is not a member", async () => {
    const stranger = await signUp(w.client, { name: "Stranger" });
    const theirs = await createWorkspace(w.client, stranger);
    expect((await w.client.call("GET", path(theirs.id), { cookie: stranger.cookie })).status).toBe(404);
    expect((await w.client.call("PATCH", path(theirs.id), { cookie: stranger.cookie, body: { title: "Mine now" } })).status).toBe(404);
    expect((await w.client.call("GET", path(), { cookie: stranger.cookie })).status).toBe(404);
  });

  it("is 409 for a channel that has not gone live yet", async () => {
    const post = await scheduleVideo("Not yet");
    const target = post.targets[0]!.id;
    const response = await w.client.call("GET", path(w.workspace.id, post.id, target), { cookie: w.owner.cookie });
    expect(response.status).toBe(409);
    expect((await w.client.call("PATCH", path(w.workspace.id, post.id, target), { cookie: w.owner.cookie, body: { title: "Too early" } })).status).toBe(409);
  });

  it("turns YouTube's refusal into a 502 with its reason, and a video deleted on YouTube into a 409", async () => {
    const forbidden = { error: { code: 403, message: "The video that you are trying to update cannot be updated.", errors: [{ reason: "forbidden", domain: "youtube.video", message: "forbidden" }], status: "PERMISSION_DENIED" } };
    await addFault({ platform: "google", method: "PUT", path: "/youtube/v3/videos", status: 403, body: forbidden });
    const refused = await w.client.call("PATCH", path(), { cookie: w.owner.cookie, body: { title: "Refused" } });
    expect(refused.status).toBe(502);
    expect((await problemOf(refused)).detail).toMatch(/^YouTube did not do it: .*cannot be updated/);
    await addFault({ platform: "google", method: "GET", path: "/youtube/v3/videos", status: 200, body: { kind: "youtube#videoListResponse", items: [] } });
    const gone = await w.client.call("GET", path(), { cookie: w.owner.cookie });
    expect(gone.status).toBe(409);
    expect((await problemOf(gone)).detail).toMatch(/deleted on YouTube/);
  });
});

describe("deleting a post before it goes live", () => {
  it("removes its private upload from YouTube too", async () => {
    const post = await scheduleVideo("Never published");
    const target = post.targets[0]!.id;
    // The upload happens ahead of time (a few deliveries: session, bytes, processing); then the target waits for its due time.
    await w.harness.run(await messageFor(target, w.workspace.id));
    for (let step = 0; step < 10 && (await ledger(target)).state === "preparing"; step++) {
      const next = w.harness.sent.shift();
      if (!next) break;
      w.clock.advance(next.delaySeconds * 1000);
      await w.harness.run(next.message);
    }
    w.harness.sent.length = 0;
    expect((await ledger(target)).state).toBe("ready");
    const videoId = (JSON.parse((await ledger(target)).checkpoint) as { videoId?: string }).videoId;
    expect(videoId).toBeTruthy();
    const facts = async () => (await (await fetch(`${SANDBOX}/_sandbox/youtube/videos/${videoId}`)).json()) as { deleted: boolean; status: { privacyStatus: string } };
    expect(await facts()).toMatchObject({ deleted: false, status: { privacyStatus: "private" } });

    const response = await w.client.call("DELETE", `/api/workspaces/${w.workspace.id}/posts/${post.id}`, { cookie: w.owner.cookie });
    expect(response.status).toBe(204);
    expect((await facts()).deleted).toBe(true);
    expect((await sandboxPosts("youtube", w.externalIds.youtube)).some((p) => p.id === videoId)).toBe(false);
  });
});
