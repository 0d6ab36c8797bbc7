import { beforeAll, describe, expect, it } from "vitest";
import { facebookAdapter } from "../../worker/platforms/facebook";
import { createFacebookPublisher, FacebookCheckpoint, FACEBOOK_LEAD_SECONDS, facebookPublisher } from "../../worker/platforms/facebook-publish";
import type { AdapterContext } from "../../worker/platforms/types";
import type { PublishJob, PublishMedia } from "../../worker/publishing/types";
import { publisherFor } from "../../worker/publishing/registry";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, connectGrant, expectSentence } from "../helpers/oauth-flow";
import { ensureWorkspace as sharedWorkspace, jpeg, libraryFile as sharedLibraryFile, mp4, type FileFacts, prepareUntilReady as prepareJob } from "./adapter-fixtures";

const PAGE = "104938271234568"; // Northwind Bakery: no other test file publishes to it
const WORKSPACE = "ws_fb_publish_test";

let ctx: AdapterContext;
let pageToken = "";

// ── fixtures ────────────────────────────────────────────────────────────────

const ensureWorkspace = () => sharedWorkspace(WORKSPACE, "Publishing tests");
const libraryFile = (bytes: Uint8Array, facts: FileFacts) => sharedLibraryFile(WORKSPACE, bytes, facts);

const image = (w = 1200, h = 800) => libraryFile(jpeg(w, h), { kind: "image", mimeType: "image/jpeg", width: w, height: h });
const video = (size?: number) => libraryFile(mp4(size), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 12_000 });

function job(format: string, media: PublishMedia[], overrides: Partial<PublishJob> = {}): PublishJob {
  return {
    targetId: `tgt_${crypto.randomUUID().slice(0, 8)}`,
    workspaceId: WORKSPACE,
    platform: "facebook",
    format,
    channel: { externalId: PAGE, kind: "facebook_page", name: "Northwind Bakery", metadata: { pageId: PAGE } },
    accessToken: pageToken,
    text: `Fresh bread today ${crypto.randomUUID().slice(0, 8)}`,
    firstComment: null,
    options: {},
    media,
    checkpoint: {},
    dueAt: Date.now(),
    commitStartedAt: null,
    ...overrides,
  };
}

async function advance(ms: number): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: ms }) });
  expect(response.status).toBe(200);
}

type SandboxPost = { id: string; kind: string; text: string; permalink: string; media: string[]; deleted_at: number | null; data: Record<string, unknown> };
async function livePosts(deleted = false): Promise<SandboxPost[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=facebook&account=${PAGE}${deleted ? "&deleted=include" : ""}`)).json()) as { posts: SandboxPost[] }).posts;
}

const prepareUntilReady = (target: PublishJob, publisher = facebookPublisher) => prepareJob(publisher, ctx, target, { rounds: 40, advance, minWaitSeconds: 0 });

async function publish(target: PublishJob, publisher = facebookPublisher) {
  const ready = await prepareUntilReady(target, publisher);
  const result = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
  if (result.kind !== "published") throw new Error(`commit: ${JSON.stringify(result)}`);
  return { ready, result };
}

beforeAll(async () => {
  await ensureWorkspace();
  await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ processingScale: 1 }) });
  ctx = adapterContext(facebookAdapter);
  const grant = await connectGrant(facebookAdapter, ctx);
  const channel = grant.channels.find((c) => c.externalId === PAGE);
  if (!channel) throw new Error("no Page channel");
  pageToken = channel.tokens.accessToken;
});

// ── tests ───────────────────────────────────────────────────────────────────

describe("Facebook publisher: text and photos", () => {
  it("is registered", () => {
    expect(publisherFor("facebook")).toBe(facebookPublisher);
  });

  it("publishes a text post with one feed call and returns its permalink", async () => {
    const target = job("post", []);
    const prepared = await facebookPublisher.prepare(ctx, target);
    expect(prepared.kind).toBe("ready");
    const before = (await livePosts()).length;
    const since = await lastCallId();
    const result = await facebookPublisher.commit(ctx, { ...target, checkpoint: prepared.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.remoteId).toMatch(new RegExp(`^${PAGE}_\\d+$`));
    expect(result.url).toMatch(/^https:\/\/www\.facebook\.com\//);
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(posts[0]).toMatchObject({ id: result.remoteId, text: target.text, permalink: result.url });
    expect((await sandboxCalls("meta", since)).filter((c) => c.method === "POST").map((c) => c.path)).toEqual([`/v23.0/${PAGE}/feed`]);
  });

  it("uploads a single photo unpublished in prepare and makes it visible with one feed post", async () => {
    const target = job("photo", [await image()]);
    const before = (await livePosts()).length;
    const prepared = await facebookPublisher.prepare(ctx, target);
    expect(prepared.kind).toBe("ready");
    const photos = FacebookCheckpoint.parse(prepared.checkpoint).photos;
    expect(photos).toEqual([expect.stringMatching(/^\d+$/)]);
    expect((await livePosts()).length).toBe(before); // nothing visible yet
    const result = await facebookPublisher.commit(ctx, { ...target, checkpoint: prepared.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(posts[0]).toMatchObject({ id: result.remoteId, text: target.text, data: { photoIds: photos } });
    expect(result.url).toBeTruthy();
  });

  it("publishes a multi-photo post, resuming from a checkpoint without re-uploading photos it has", async () => {
    const target = job("multi_photo", [await image(), await image(800, 800), await image(1080, 1350)]);
    const first = await facebookPublisher.prepare(ctx, target);
    const photos = FacebookCheckpoint.parse(first.checkpoint).photos ?? [];
    expect(photos).toHaveLength(3);
    // A crash after the first upload was checkpointed: the second run uploads only the other two.
    const since = await lastCallId();
    const resumed = await facebookPublisher.prepare(ctx, { ...target, checkpoint: { ...first.checkpoint, photos: [photos[0], null, null] } });
    expect(resumed.kind).toBe("ready");
    const uploads = (await sandboxCalls("meta", since)).filter((c) => c.method === "POST" && c.path.endsWith("/photos"));
    expect(uploads).toHaveLength(2);
    const resumedPhotos = FacebookCheckpoint.parse(resumed.checkpoint).photos ?? [];
    expect(resumedPhotos[0]).toBe(photos[0]);
    const result = await facebookPublisher.commit(ctx, { ...target, checkpoint: resumed.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "multi_photo", data: { photoIds: resumedPhotos } });
  });

  it("reports a photo Facebook cannot use in plain words, before the post is due", async () => {
    const bogus = await libraryFile(new TextEncoder().encode("not an image at all"), { kind: "image", mimeType: "image/jpeg" });
    const result = await facebookPublisher.prepare(ctx, job("photo", [bogus]));
    expect(result.kind).toBe("failed");
    if (result.kind !== "failed") return;
    expect(result.failure).toMatchObject({ kind: "fatal", platformCode: "100/1366046" });
    expectSentence(result.failure.message);
  });
});

describe("Facebook publisher: video and reel", () => {
  it("publishes a video by file_url at commit, with an absolute permalink", async () => {
    const { result } = await publish(job("video", [await video()]));
    expect(result.url).toMatch(/^https:\/\/www\.facebook\.com\/.+\/videos\//);
    expect((await livePosts())[0]).toMatchObject({ kind: "video" });
  });

  it("prepares a reel (start, rupload by file_url, waiting while processing) and finishes it at commit", async () => {
    const target = job("reel", [await video(3_000_000)]);
    const first = await facebookPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    const reel = FacebookCheckpoint.parse(first.checkpoint).reel;
    expect(reel).toMatchObject({ videoId: expect.stringMatching(/^\d+$/), uploaded: true });
    const before = (await livePosts()).length;
    const ready = await prepareUntilReady({ ...target, checkpoint: first.checkpoint });
    expect((await livePosts()).length).toBe(before);
    const result = await facebookPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.url).toMatch(/^https:\/\/www\.facebook\.com\/reel\//);
    expect((await livePosts())[0]).toMatchObject({ kind: "reel", text: target.text });
  });

  it("reconciles a reel whose finish answer was lost through the video's publishing phase", async () => {
    const ready = await prepareUntilReady(job("reel", [await video()]));
    const before = (await livePosts()).length;
    await addFault({ platform: "meta", method: "POST", path: "/v23.0/*/video_reels", mode: "after", status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } });
    const commitStartedAt = Date.now();
    const result = await facebookPublisher.commit(ctx, { ...ready, commitStartedAt });
    expect(result.kind).toBe("uncertain");
    const reconciled = await facebookPublisher.reconcile(ctx, { ...ready, commitStartedAt });
    expect(reconciled.kind).toBe("published");
    expect((await livePosts()).length).toBe(before + 1);
  });
});

describe("Facebook publisher: lost answers and the content fingerprint", () => {
  it("reports a 500 after the feed post acted as uncertain; reconcile finds exactly that post", async () => {
    const target = job("post", []);
    const before = (await livePosts()).length;
    await addFault({ platform: "meta", method: "POST", path: `/v23.0/${PAGE}/feed`, mode: "after", status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1, is_transient: true } } });
    const commitStartedAt = Date.now();
    const result = await facebookPublisher.commit(ctx, { ...target, commitStartedAt });
    expect(result.kind).toBe("uncertain");
    if (result.kind === "uncertain") expectSentence(result.detail);

    const reconciled = await facebookPublisher.reconcile(ctx, { ...target, commitStartedAt });
    expect(reconciled.kind).toBe("published");
    if (reconciled.kind !== "published") return;
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(reconciled.remoteId).toBe(posts[0]?.id);
    expect(reconciled.url).toBe(posts[0]?.permalink);
    expect(reconciled.checked).toMatch(/^Checked the Page's \d+ most recent posts? since \d{2}:\d{2}:\d{2} UTC: post \S+, created at .+, matches this post's text\.$/);
  });

  it("reconciles a multi-photo post by its text too", async () => {
    const ready = await prepareUntilReady(job("multi_photo", [await image(), await image()]));
    await addFault({ platform: "meta", method: "POST", path: `/v23.0/${PAGE}/feed`, mode: "after", status: 502, body: "Bad gateway" });
    const commitStartedAt = Date.now();
    expect((await facebookPublisher.commit(ctx, { ...ready, commitStartedAt })).kind).toBe("uncertain");
    const reconciled = await facebookPublisher.reconcile(ctx, { ...ready, commitStartedAt });
    expect(reconciled).toMatchObject({ kind: "published", remoteId: (await livePosts())[0]?.id });
  });

  it("reconciles to not_published when no post in the window has the text", async () => {
    await publish(job("post", [])); // another post in the window that must not match
    const target = job("post", [], { text: "This text was never posted" });
    const reconciled = await facebookPublisher.reconcile(ctx, { ...target, commitStartedAt: Date.now() });
    expect(reconciled.kind).toBe("not_published");
    if (reconciled.kind !== "not_published") return;
    expect(reconciled.checked).toMatch(/^Checked the Page's \d+ most recent posts? since \d{2}:\d{2}:\d{2} UTC: none matches this post's text\.$/);
  });

  it("matches a photo post without text by its kind and time, not a text-less video", async () => {
    const photo = await prepareUntilReady(job("photo", [await image()], { text: "" }));
    await addFault({ platform: "meta", method: "POST", path: `/v23.0/${PAGE}/feed`, mode: "after", status: 504, body: "" });
    const commitStartedAt = Date.now();
    expect((await facebookPublisher.commit(ctx, { ...photo, commitStartedAt })).kind).toBe("uncertain");
    const live = (await livePosts())[0];
    expect(live?.text).toBe("");
    expect(await facebookPublisher.reconcile(ctx, { ...photo, commitStartedAt })).toMatchObject({ kind: "published", remoteId: live?.id });
    // A text-less video that never went out is not confused with that photo post.
    expect((await facebookPublisher.reconcile(ctx, { ...job("video", [await video()], { text: "" }), commitStartedAt })).kind).toBe("not_published");
  });

  it("says unknown when the listing could not reach back to the start of the window", async () => {
    // Every page the adapter reads is full of posts newer than the window's start, none matching.
    await addFault({
      platform: "meta",
      method: "GET",
      path: `/v23.0/${PAGE}/published_posts`,
      status: 200,
      times: 5,
      body: { data: Array.from({ length: 100 }, (_, i) => ({ id: `${PAGE}_${i}`, message: "Other", created_time: new Date(Date.now() + 5000).toISOString().replace(/\.\d{3}Z$/, "+0000") })), paging: { next: `https://graph.facebook.com/v23.0/${PAGE}/published_posts?after=x` } },
    });
    const reconciled = await facebookPublisher.reconcile(ctx, { ...job("post", []), commitStartedAt: Date.now() });
    expect(reconciled.kind).toBe("unknown");
    if (reconciled.kind === "unknown") expectSentence(reconciled.checked);
  });

  it("treats a refused feed post (4xx) as failed, not uncertain", async () => {
    await addFault({ platform: "meta", method: "POST", path: `/v23.0/${PAGE}/feed`, status: 400, body: { error: { message: "(#368) The action attempted has been deemed abusive or is otherwise disallowed", type: "OAuthException", code: 368 } } });
    const result = await facebookPublisher.commit(ctx, { ...job("post", []), commitStartedAt: Date.now() });
    expect(result).toMatchObject({ kind: "failed", failure: { kind: "fatal", platformCode: "368" } });
  });
});

describe("Facebook publisher: first comment and delete", () => {
  it("posts the first comment as the Page, then deletes the post (a second delete counts as done)", async () => {
    const { ready, result } = await publish(job("post", [], { firstComment: "Order online: example.com" }));
    const since = await lastCallId();
    expect(await facebookPublisher.afterPublish?.(ctx, { ...ready, checkpoint: result.checkpoint, remoteId: result.remoteId, saveCheckpoint: async () => {} })).toEqual({ ok: true, did: "First comment posted." });
    expect((await sandboxCalls("meta", since)).find((c) => c.path === `/v23.0/${result.remoteId}/comments`)?.status).toBe(200);

    const ref = { remoteId: result.remoteId, accessToken: pageToken, channel: ready.channel, format: "post", checkpoint: result.checkpoint };
    expect(await facebookPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
    expect((await livePosts()).some((p) => p.id === result.remoteId)).toBe(false);
    expect((await livePosts(true)).find((p) => p.id === result.remoteId)?.deleted_at).not.toBeNull();
    expect(await facebookPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
  });

  it("deletes a reel by its video id", async () => {
    const { ready, result } = await publish(job("reel", [await video()]));
    const ref = { remoteId: result.remoteId, accessToken: pageToken, channel: ready.channel, format: "reel", checkpoint: result.checkpoint };
    expect(await facebookPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
  });
});

describe("Facebook publisher: lead times", () => {
  it("leads by data: seconds for text and photos, minutes for reels, scaled by size", () => {
    expect(Object.keys(FACEBOOK_LEAD_SECONDS).sort()).toEqual(["multi_photo", "photo", "post", "reel", "video"]);
    expect(facebookPublisher.leadSeconds("post", [])).toBe(5);
    expect(facebookPublisher.leadSeconds("photo", [{ kind: "image", sizeBytes: 1e6, durationMs: null }])).toBe(15);
    const small = facebookPublisher.leadSeconds("reel", [{ kind: "video", sizeBytes: 5 * 1024 * 1024, durationMs: 20_000 }]);
    const big = facebookPublisher.leadSeconds("reel", [{ kind: "video", sizeBytes: 100 * 1024 * 1024, durationMs: 60_000 }]);
    expect(small).toBeGreaterThanOrEqual(60);
    expect(big).toBeGreaterThan(small);
  });
});

describe("Facebook publisher: large videos", () => {
  // A tiny threshold stands in for "larger than Facebook will pull by URL" (1 GB in production), and
  // 1 MB chunks for 16 MB ones.
  const publisher = createFacebookPublisher({ resumableAboveBytes: 1024, chunkBytes: 1_000_000 });
  const uploadCalls = async (since: number) => (await sandboxCalls("meta", since)).filter((c) => c.method === "POST" && c.path.startsWith("/v23.0/upload:"));

  it("streams a large video through the Resumable Upload API in prepare and publishes the handle at commit", async () => {
    const target = job("video", [await video(2_500_000)]);
    const since = await lastCallId();
    const before = (await livePosts()).length;
    const ready = await prepareUntilReady(target, publisher);
    expect((await livePosts()).length).toBe(before); // nothing visible before commit
    const checkpoint = FacebookCheckpoint.parse(ready.checkpoint);
    expect(checkpoint.upload).toMatchObject({ sessionId: expect.stringMatching(/^upload:/), size: 2_500_000, offset: 2_500_000, handle: expect.stringMatching(/^2:/) });
    expect(await uploadCalls(since)).toHaveLength(3);
    const result = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.url).toMatch(/^https:\/\/www\.facebook\.com\//);
    expect((await livePosts())[0]).toMatchObject({ kind: "video", text: target.text });
  });

  it("resumes from the session's own offset when a chunk landed but its answer was lost", async () => {
    const stepwise = createFacebookPublisher({ resumableAboveBytes: 1024, chunkBytes: 1_000_000, chunksPerCall: 1 });
    const target = job("video", [await video(2_500_000)]);
    const first = await stepwise.prepare(ctx, target);
    expect(first).toMatchObject({ kind: "waiting", pollAfterSeconds: 0, checkpoint: { upload: { offset: 1_000_000 } } });
    await addFault({ platform: "meta", method: "POST", path: "/v23.0/upload:*", mode: "after", status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } });
    const lost = await stepwise.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(lost.kind).toBe("failed");
    expect(FacebookCheckpoint.parse(lost.checkpoint).upload?.offset).toBe(1_000_000);
    const since = await lastCallId();
    const resumed = await stepwise.prepare(ctx, { ...target, checkpoint: lost.checkpoint });
    // The probe says 2,000,000 bytes arrived: only the last 500,000 are sent.
    expect(FacebookCheckpoint.parse(resumed.checkpoint).upload).toMatchObject({ offset: 2_500_000, handle: expect.any(String) });
    expect(resumed.kind).toBe("ready");
    expect(await uploadCalls(since)).toHaveLength(1);
    expect((await stepwise.commit(ctx, { ...target, checkpoint: resumed.checkpoint, commitStartedAt: Date.now() })).kind).toBe("published");
  });

  it("reconciles a lost publish of an uploaded video by its text", async () => {
    const ready = await prepareUntilReady(job("video", [await video(1_500_000)]), publisher);
    await addFault({ platform: "meta", method: "POST", path: `/v23.0/${PAGE}/videos`, mode: "after", status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } });
    const commitStartedAt = Date.now();
    expect((await publisher.commit(ctx, { ...ready, commitStartedAt })).kind).toBe("uncertain");
    const reconciled = await publisher.reconcile(ctx, { ...ready, commitStartedAt });
    expect(reconciled).toMatchObject({ kind: "published", remoteId: (await livePosts())[0]?.id });
  });

  describe("where the app has no upload sessions (legacy chunked protocol)", () => {
    const noSessions = () => addFault({ platform: "meta", method: "POST", path: "/v23.0/*/uploads", status: 400, body: { error: { message: "Unsupported post request.", type: "GraphMethodException", code: 100, error_subcode: 33 } } });

    it("uploads with upload_phase=start|transfer in prepare and finishes at commit", async () => {
      await noSessions();
      const target = job("video", [await video(2_500_000)]);
      const since = await lastCallId();
      const ready = await prepareUntilReady(target, publisher);
      const checkpoint = FacebookCheckpoint.parse(ready.checkpoint);
      expect(checkpoint.chunked).toMatchObject({ size: 2_500_000, offset: 2_500_000, end: 2_500_000 });
      const transfers = (await sandboxCalls("meta", since)).filter((c) => c.method === "POST" && c.path.endsWith(`/${PAGE}/videos`));
      expect(transfers.length).toBe(1 + 3); // start + three 1 MiB chunks (the size Facebook asks for)
      const result = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
      expect(result).toMatchObject({ kind: "published", remoteId: checkpoint.chunked?.videoId });
      expect((await livePosts())[0]).toMatchObject({ kind: "video", text: target.text });
    });

    it("reconciles a lost finish through the video's status, and an unfinished one as not published", async () => {
      await noSessions();
      const ready = await prepareUntilReady(job("video", [await video(1_500_000)]), publisher);
      expect((await publisher.reconcile(ctx, { ...ready, commitStartedAt: Date.now() })).kind).toBe("not_published");
      await addFault({ platform: "meta", method: "POST", path: `/v23.0/${PAGE}/videos`, mode: "after", status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } });
      const commitStartedAt = Date.now();
      expect((await publisher.commit(ctx, { ...ready, commitStartedAt })).kind).toBe("uncertain");
      const reconciled = await publisher.reconcile(ctx, { ...ready, commitStartedAt });
      expect(reconciled).toMatchObject({ kind: "published", remoteId: FacebookCheckpoint.parse(ready.checkpoint).chunked?.videoId });
    });
  });
});
