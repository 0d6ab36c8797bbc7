import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformHttp } from "../../worker/platforms/http";
import type { AdapterContext } from "../../worker/platforms/types";
import { youtubeAdapter } from "../../worker/platforms/youtube";
import { YoutubeCheckpoint, YOUTUBE_LEAD_SECONDS, youtubePublisher, youtubePublisherWith } from "../../worker/platforms/youtube-publish";
import { readVideoDetails, updateVideo } from "../../worker/platforms/youtube-video-api";
import { publisherFor } from "../../worker/publishing/registry";
import type { PublishJob, PublishMedia } from "../../worker/publishing/types";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, connectGrant, expectSentence } from "../helpers/oauth-flow";
import { ensureWorkspace, jpeg, libraryFile, mp4, prepareUntilReady as prepareJob } from "./adapter-fixtures";

/**
 * The YouTube publisher against the sandbox's resumable upload and Data API. Chunks are 256 KiB here
 * (the production adapter uses 8 MiB) so a 700 KiB file takes three. Processing is instant except
 * where a test says otherwise; faults are path- and method-specific and used up by each test.
 */
const WORKSPACE = "ws_youtube_publish_test";
const CHANNEL = "UCsbxSamSandboxPersonal1";
const KIB = 1024;
const SIZE = 700 * KIB;
const publisher = youtubePublisherWith({ chunkBytes: 256 * KIB });

let ctx: AdapterContext;
let token = "";

const video = () => libraryFile(WORKSPACE, mp4(SIZE), { kind: "video", mimeType: "video/mp4", width: 1920, height: 1080, durationMs: 30_000 });

function job(media: PublishMedia[], options: Record<string, unknown> = {}, overrides: Partial<PublishJob> = {}): PublishJob {
  const tag = crypto.randomUUID().slice(0, 8);
  return {
    targetId: `tgt_${tag}`,
    workspaceId: WORKSPACE,
    platform: "youtube",
    format: "video",
    channel: { externalId: CHANNEL, kind: "youtube_channel", name: "Sam Sandbox", metadata: { channelId: CHANNEL, uploadsPlaylistId: `UU${CHANNEL.slice(2)}` } },
    accessToken: token,
    text: `Behind the scenes of launch day ${tag}`,
    firstComment: null,
    options: { title: `Launch day ${tag}`, tags: ["bakery", "launch"], categoryId: "22", privacyStatus: "public", madeForKids: false, ...options },
    media,
    checkpoint: {},
    dueAt: Date.now(),
    commitStartedAt: null,
    ...overrides,
  };
}

const control = (path: string, body: unknown) => fetch(`${SANDBOX}/_sandbox${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

type SandboxPost = { id: string; kind: string; text: string; permalink: string; received_at: number; data: Record<string, unknown> };
async function postsOf(videoId: string, deleted = false): Promise<SandboxPost[]> {
  const body = (await (await fetch(`${SANDBOX}/_sandbox/posts?platform=youtube&account=${CHANNEL}${deleted ? "&deleted=include" : ""}`)).json()) as { posts: SandboxPost[] };
  return body.posts.filter((p) => p.id === videoId);
}

type UploadFacts = { sizeBytes: number; uploadRanges: string[]; deleted: boolean; thumbnail: { mimeType: string } | null; snippet: { title: string; description: string; tags: string[] }; status: { privacyStatus: string } };
async function facts(videoId: string): Promise<UploadFacts> {
  const response = await fetch(`${SANDBOX}/_sandbox/youtube/videos/${videoId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as UploadFacts;
}

const prepareUntilReady = (target: PublishJob, using = ctx) => prepareJob(publisher, using, target, { rounds: 10 });

const videoIdOf = (target: PublishJob) => YoutubeCheckpoint.parse(target.checkpoint).videoId as string;

async function publish(target: PublishJob): Promise<{ ready: PublishJob; videoId: string }> {
  const ready = await prepareUntilReady(target);
  const result = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
  expect(result.kind).toBe("published");
  return { ready: { ...ready, checkpoint: result.checkpoint }, videoId: videoIdOf(ready) };
}

beforeAll(async () => {
  await ensureWorkspace(WORKSPACE, "YouTube publishing tests");
  await control("/publishing/settings", { processingScale: 0 });
  ctx = adapterContext(youtubeAdapter);
  const grant = await connectGrant(youtubeAdapter, ctx);
  const channel = grant.channels.find((c) => c.externalId === CHANNEL);
  if (!channel) throw new Error("no YouTube channel");
  token = channel.tokens.accessToken;
});

afterAll(async () => {
  await control("/publishing/settings", { processingScale: 1 });
});

describe("YouTube publisher", () => {
  it("is registered with 8 MiB chunks and leads by data, longer for bigger and longer videos", () => {
    expect(publisherFor("youtube")).toBe(youtubePublisher);
    expect(YOUTUBE_LEAD_SECONDS.video?.base).toBe(180);
    const small = youtubePublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 5 * 1024 * 1024, durationMs: 30_000 }]);
    const big = youtubePublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 500 * 1024 * 1024, durationMs: 600_000 }]);
    expect(small).toBeGreaterThanOrEqual(180);
    expect(big).toBeGreaterThan(small);
    expect(() => youtubePublisherWith({ chunkBytes: 100_000 })).toThrow(/256 KiB/);
  });

  it("uploads in three 256 KiB-aligned chunks as private, and goes public only at commit (one post)", async () => {
    const target = job([await video()]);
    const first = await publisher.prepare(ctx, target);
    // The session URI is handed back for the engine to store before any byte is sent.
    expect(first.kind).toBe("waiting");
    const sessionUrl = YoutubeCheckpoint.parse(first.checkpoint).sessionUrl;
    expect(sessionUrl).toMatch(/^https:\/\/www\.googleapis\.com\/upload\/youtube\/v3\/videos\?.*upload_id=/);

    const since = await lastCallId();
    const second = await publisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(second.kind).toBe("ready");
    const videoId = YoutubeCheckpoint.parse(second.checkpoint).videoId as string;
    expect(videoId).toMatch(/^[A-Za-z0-9_-]{11}$/);
    const uploaded = await facts(videoId);
    expect(uploaded.sizeBytes).toBe(SIZE);
    expect(uploaded.uploadRanges).toEqual([`bytes 0-262143/${SIZE}`, `bytes 262144-524287/${SIZE}`, `bytes 524288-${SIZE - 1}/${SIZE}`]);
    expect(uploaded.status.privacyStatus).toBe("private");
    const puts = (await sandboxCalls("google", since)).filter((c) => c.method === "PUT" && c.path === "/upload/youtube/v3/videos");
    expect(puts.map((c) => c.status)).toEqual([308, 308, 308, 200]); // the probe, then three chunks
    expect(await postsOf(videoId)).toHaveLength(0);

    const before = Date.now();
    const result = await publisher.commit(ctx, { ...target, checkpoint: second.checkpoint, commitStartedAt: before });
    expect(result).toMatchObject({ kind: "published", remoteId: videoId, url: `https://www.youtube.com/watch?v=${videoId}` });
    const posts = await postsOf(videoId);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ kind: "video", text: target.options.title, permalink: `https://www.youtube.com/watch?v=${videoId}`, data: { privacyStatus: "public", description: target.text } });
    expect(posts[0]!.received_at).toBeGreaterThanOrEqual(before);
  });

  it("resumes an upload whose second chunk lost its answer with the bytes */N probe, without re-sending finished chunks", async () => {
    const ranges: string[] = [];
    let faulted = false;
    const http = new PlatformHttp(async (request) => {
      const range = request.headers.get("content-range");
      if (range) ranges.push(range);
      if (range?.startsWith("bytes 262144-") && !faulted) {
        faulted = true;
        // YouTube stores the chunk, but its answer never arrives.
        await addFault({ platform: "google", method: "PUT", path: "/upload/youtube/v3/videos", status: 503, mode: "after", body: { error: { code: 503, message: "Backend Error", errors: [{ reason: "backendError", domain: "global", message: "Backend Error" }] } } });
      }
      return fetch(request);
    }, env.SANDBOX_ORIGIN ?? null);
    const flaky = { ...ctx, http };
    const target = job([await video()]);
    const opened = await publisher.prepare(flaky, target);
    const interrupted = await publisher.prepare(flaky, { ...target, checkpoint: opened.checkpoint });
    expect(interrupted.kind).toBe("failed");
    if (interrupted.kind !== "failed") return;
    expect(interrupted.failure.kind).toBe("retry");
    expectSentence(interrupted.failure.message);
    expect(interrupted.failure.message).toMatch(/interrupted after 0\.3 MB of 0\.7 MB/);
    expect(YoutubeCheckpoint.parse(interrupted.checkpoint).sessionUrl).toBe(YoutubeCheckpoint.parse(opened.checkpoint).sessionUrl);

    ranges.length = 0;
    const resumed = await publisher.prepare(flaky, { ...target, checkpoint: interrupted.checkpoint });
    expect(resumed.kind).toBe("ready");
    expect(ranges).toEqual([`bytes */${SIZE}`, `bytes 524288-${SIZE - 1}/${SIZE}`]);
    const uploaded = await facts(YoutubeCheckpoint.parse(resumed.checkpoint).videoId as string);
    expect(uploaded.uploadRanges).toHaveLength(3);
    expect(uploaded.sizeBytes).toBe(SIZE);
  });

  it("starts a new session when the old one has expired (404/410), and creates one video", async () => {
    const target = job([await video()]);
    const opened = await publisher.prepare(ctx, target);
    const oldSession = YoutubeCheckpoint.parse(opened.checkpoint).sessionUrl;
    await addFault({ platform: "google", method: "PUT", path: "/upload/youtube/v3/videos", status: 410, body: { error: { code: 410, message: "The upload session has expired.", errors: [{ reason: "uploadSessionExpired", domain: "global", message: "expired" }] } } });
    const expired = await publisher.prepare(ctx, { ...target, checkpoint: opened.checkpoint });
    expect(expired.kind).toBe("waiting");
    if (expired.kind !== "waiting") return;
    expect(expired.detail).toMatch(/expired/);
    expect(YoutubeCheckpoint.parse(expired.checkpoint).sessionUrl).toBeUndefined();
    const ready = await prepareUntilReady({ ...target, checkpoint: expired.checkpoint });
    const checkpoint = YoutubeCheckpoint.parse(ready.checkpoint);
    expect(checkpoint.sessionUrl).not.toBe(oldSession);
    expect((await facts(checkpoint.videoId as string)).uploadRanges).toHaveLength(3);
  });

  it("waits while YouTube processes the video and is ready once processing is done", async () => {
    await control("/publishing/settings", { processingScale: 1 });
    try {
      const target = job([await video()]);
      const opened = await publisher.prepare(ctx, target);
      const processing = await publisher.prepare(ctx, { ...target, checkpoint: opened.checkpoint });
      expect(processing).toMatchObject({ kind: "waiting", detail: "YouTube is processing the video." });
      if (processing.kind !== "waiting") return;
      expect(processing.pollAfterSeconds).toBeGreaterThan(0);
      await control("/clock", { advanceMs: 10_000 });
      const done = await publisher.prepare(ctx, { ...target, checkpoint: processing.checkpoint });
      expect(done.kind).toBe("ready");
    } finally {
      await control("/publishing/settings", { processingScale: 0 });
    }
  });

  it("gives the private upload the title and description edited after the upload, before the due time", async () => {
    const target = job([await video()]);
    const ready = await prepareUntilReady(target);
    const edited = { ...ready, text: "Edited description", options: { ...ready.options, title: "Edited title" } };
    const again = await publisher.prepare(ctx, edited);
    expect(again.kind).toBe("ready");
    const uploaded = await facts(videoIdOf(ready));
    expect(uploaded.snippet).toMatchObject({ title: "Edited title", description: "Edited description" });
    expect(uploaded.status.privacyStatus).toBe("private");
    expect(await postsOf(videoIdOf(ready))).toHaveLength(0);
  });

  it("reconciles a lost go-live answer: the video is public, so it counts as published exactly once", async () => {
    const target = job([await video()], { privacyStatus: "unlisted" });
    const ready = await prepareUntilReady(target);
    const videoId = videoIdOf(ready);
    await addFault({ platform: "google", method: "PUT", path: "/youtube/v3/videos", status: 500, mode: "after" });
    const committed = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(committed.kind).toBe("uncertain");
    if (committed.kind !== "uncertain") return;
    expectSentence(committed.detail);
    const reconciled = await publisher.reconcile(ctx, { ...ready, checkpoint: committed.checkpoint, commitStartedAt: Date.now() });
    expect(reconciled).toMatchObject({ kind: "published", remoteId: videoId, url: `https://www.youtube.com/watch?v=${videoId}` });
    if (reconciled.kind === "published") expectSentence(reconciled.checked);
    const posts = await postsOf(videoId);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.data.privacyStatus).toBe("unlisted");
  });

  it("reconciles a commit that never reached YouTube as not published (the video is still private)", async () => {
    const ready = await prepareUntilReady(job([await video()]));
    await addFault({ platform: "google", method: "PUT", path: "/youtube/v3/videos", status: 503, mode: "respond" });
    const committed = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(committed.kind).toBe("uncertain");
    const reconciled = await publisher.reconcile(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(reconciled.kind).toBe("not_published");
    expect(await postsOf(videoIdOf(ready))).toHaveLength(0);
  });

  it("keeps a video chosen as private private: the commit changes nothing and nothing goes live", async () => {
    const ready = await prepareUntilReady(job([await video()], { privacyStatus: "private" }));
    const since = await lastCallId();
    const result = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result).toMatchObject({ kind: "published", remoteId: videoIdOf(ready) });
    expect(await sandboxCalls("google", since)).toHaveLength(0);
    expect(await postsOf(videoIdOf(ready))).toHaveLength(0);
  });

  it("sets the custom thumbnail during prepare", async () => {
    const thumbnail = await libraryFile(WORKSPACE, jpeg(1280, 720, 40_000), { kind: "image", mimeType: "image/jpeg", width: 1280, height: 720 });
    const target = job([await video()], { thumbnailMediaId: thumbnail.id }, { thumbnail });
    const ready = await prepareUntilReady(target);
    expect(YoutubeCheckpoint.parse(ready.checkpoint).thumbnailMediaId).toBe(thumbnail.id);
    expect((await facts(videoIdOf(ready))).thumbnail).toMatchObject({ mimeType: "image/jpeg" });
    // Chosen, but deleted from the library before it was set: the person is told, nothing is guessed.
    const missing = await publisher.prepare(ctx, { ...target, checkpoint: { ...ready.checkpoint, thumbnailMediaId: undefined }, thumbnail: null });
    expect(missing.kind).toBe("failed");
    if (missing.kind !== "failed") return;
    expect(missing.failure.kind).toBe("fatal");
    expect(missing.failure.message).toMatch(/thumbnail .* no longer in the library/);
  });

  it("stops at an exhausted daily quota with the reset time in the sentence, and publishes nothing", async () => {
    const ready = await prepareUntilReady(job([await video()]));
    await control("/youtube/quota", { unitsPerDay: 0 });
    try {
      const result = await publisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
      expect(result.kind).toBe("failed");
      if (result.kind !== "failed") return;
      expect(result.failure).toMatchObject({ kind: "retry", status: 403, platformCode: "quotaExceeded" });
      expect(result.failure.retryAfterSeconds).toBeGreaterThan(0);
      expect(result.failure.retryAfterSeconds).toBeLessThanOrEqual(25 * 3600);
      expect(result.failure.message).toMatch(/midnight Pacific Time \(\d{2}:00 UTC\)/);
      expectSentence(result.failure.message);
    } finally {
      await control("/youtube/quota", { unitsPerDay: null });
    }
    expect(await postsOf(videoIdOf(ready))).toHaveLength(0);
  });

  it("maps YouTube's refusals to what the engine should do: a channel's upload cap waits an hour, a dead token is refreshed", async () => {
    const capped = { error: { code: 400, message: "The user has exceeded the number of videos they may upload.", errors: [{ reason: "uploadLimitExceeded", domain: "youtube.video", message: "limit" }], status: "INVALID_ARGUMENT" } };
    await addFault({ platform: "google", method: "POST", path: "/upload/youtube/v3/videos", status: 400, body: capped });
    const target = job([await video()]);
    const refused = await publisher.prepare(ctx, target);
    expect(refused).toMatchObject({ kind: "failed", failure: { kind: "retry", retryAfterSeconds: 3600, platformCode: "uploadLimitExceeded" } });
    const expired = await publisher.prepare(ctx, { ...target, accessToken: "sbx_google_access_expired" });
    expect(expired).toMatchObject({ kind: "failed", failure: { kind: "refresh", status: 401 } });
    if (expired.kind === "failed") expectSentence(expired.failure.message);
  });

  it("edits only what was asked: a new title keeps the description and tags", async () => {
    const { ready, videoId } = await publish(job([await video()], { tags: ["bread", "sourdough"] }));
    const updated = await updateVideo(ctx, token, videoId, { title: "A better title" });
    expect(updated).toMatchObject({ ok: true, value: { title: "A better title", description: ready.text, tags: ["bread", "sourdough"], privacyStatus: "public", madeForKids: false } });
    const read = await readVideoDetails(ctx, token, videoId);
    expect(read).toMatchObject({ ok: true, value: { title: "A better title", description: ready.text, tags: ["bread", "sourdough"], categoryId: "22" } });
    const posts = await postsOf(videoId);
    expect(posts[0]).toMatchObject({ text: "A better title", data: { description: ready.text, tags: ["bread", "sourdough"] } });
  });

  it("deletes the video, and deleting it again is fine", async () => {
    const { ready, videoId } = await publish(job([await video()]));
    const ref = { remoteId: videoId, accessToken: token, channel: ready.channel, format: "video", checkpoint: ready.checkpoint };
    expect(await publisher.deleteRemote!(ctx, ref)).toEqual({ ok: true });
    expect(await publisher.deleteRemote!(ctx, ref)).toEqual({ ok: true });
    expect(await postsOf(videoId)).toHaveLength(0);
    expect((await facts(videoId)).deleted).toBe(true);
    const read = await readVideoDetails(ctx, token, videoId);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.failure.platformCode).toBe("videoNotFound");
    const reconciled = await publisher.reconcile(ctx, { ...ready, checkpoint: { ...ready.checkpoint, live: false } });
    expect(reconciled.kind).toBe("unknown");
  });
});
