import { beforeAll, describe, expect, it } from "vitest";
import { instagramAdapter } from "../../worker/platforms/instagram";
import { InstagramCheckpoint, INSTAGRAM_LEAD_SECONDS, instagramPublisher } from "../../worker/platforms/instagram-publish";
import type { AdapterContext } from "../../worker/platforms/types";
import type { PublishJob, PublishMedia } from "../../worker/publishing/types";
import { publisherFor } from "../../worker/publishing/registry";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, connectGrant, expectSentence } from "../helpers/oauth-flow";
import { ensureWorkspace as sharedWorkspace, jpeg, libraryFile as sharedLibraryFile, mp4, type FileFacts, prepareUntilReady as prepareJob } from "./adapter-fixtures";

const IG_USER = "17841400000000001";
const PAGE = "104938271234567";
const WORKSPACE = "ws_ig_publish_test";

let ctx: AdapterContext;
let pageToken = "";

// ── fixtures ────────────────────────────────────────────────────────────────

const ensureWorkspace = () => sharedWorkspace(WORKSPACE, "IG publishing tests");
const libraryFile = (bytes: Uint8Array, facts: FileFacts) => sharedLibraryFile(WORKSPACE, bytes, facts);

const image = (w = 1080, h = 1080) => libraryFile(jpeg(w, h), { kind: "image", mimeType: "image/jpeg", width: w, height: h, altText: "A cup of coffee" });
const video = (size?: number) => libraryFile(mp4(size), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 12_000 });

function job(format: string, media: PublishMedia[], overrides: Partial<PublishJob> = {}): PublishJob {
  return {
    targetId: `tgt_${crypto.randomUUID().slice(0, 8)}`,
    workspaceId: WORKSPACE,
    platform: "instagram",
    format,
    channel: { externalId: IG_USER, kind: "instagram_account", name: "Northwind", metadata: { igUserId: IG_USER, pageId: PAGE } },
    accessToken: pageToken,
    text: `Fresh roast ${crypto.randomUUID().slice(0, 8)} #coffee`,
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

type SandboxPost = { id: string; kind: string; text: string; permalink: string; data: Record<string, unknown> };
async function livePosts(): Promise<SandboxPost[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=instagram&account=${IG_USER}`)).json()) as { posts: SandboxPost[] }).posts;
}

/** Prepares until ready, advancing the sandbox clock by each `pollAfterSeconds` (at most 20 rounds). */
const prepareUntilReady = (target: PublishJob) => prepareJob(instagramPublisher, ctx, target, { rounds: 20, advance });

beforeAll(async () => {
  await ensureWorkspace();
  await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ processingScale: 1, igPublishLimitPerDay: 100 }) });
  ctx = adapterContext(instagramAdapter);
  const grant = await connectGrant(instagramAdapter, ctx);
  const channel = grant.channels.find((c) => c.externalId === IG_USER);
  if (!channel) throw new Error("no IG channel");
  pageToken = channel.tokens.accessToken;
});

// ── tests ───────────────────────────────────────────────────────────────────

describe("Instagram publisher: feed image", () => {
  it("is registered, and has no deleteRemote (Instagram's API cannot delete media)", () => {
    expect(publisherFor("instagram")).toBe(instagramPublisher);
    expect(instagramPublisher.deleteRemote).toBeUndefined();
  });

  it("prepares a container (waiting while IN_PROGRESS), commits with media_publish, and returns the permalink", async () => {
    const target = job("feed", [await image()]);
    const first = await instagramPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    if (first.kind !== "waiting") return;
    expect(first.pollAfterSeconds).toBeGreaterThan(0);
    const containerId = InstagramCheckpoint.parse(first.checkpoint).containerId;
    expect(containerId).toMatch(/^\d+$/);

    await advance(3000);
    const second = await instagramPublisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(second).toMatchObject({ kind: "ready", checkpoint: { containerId } });

    const before = (await livePosts()).length;
    const result = await instagramPublisher.commit(ctx, { ...target, checkpoint: second.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.url).toMatch(/^https:\/\/www\.instagram\.com\/p\/[A-Za-z0-9_-]+\/$/);
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(posts[0]).toMatchObject({ id: result.remoteId, kind: "image", text: target.text });
    expect(result.checkpoint).toMatchObject({ mediaId: result.remoteId });
  });

  it("resumes from a checkpoint without creating a second container", async () => {
    const target = job("feed", [await image()]);
    const first = await instagramPublisher.prepare(ctx, target);
    const since = await lastCallId();
    await advance(3000);
    const again = await instagramPublisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(again.kind).toBe("ready");
    const creates = (await sandboxCalls("meta", since)).filter((c) => c.method === "POST" && c.path.endsWith("/media"));
    expect(creates).toEqual([]);
    expect(InstagramCheckpoint.parse(again.checkpoint).containerId).toBe(InstagramCheckpoint.parse(first.checkpoint).containerId);
  });

  it("starts over when the post was edited after preparing (the old container's caption is stale)", async () => {
    const target = job("feed", [await image()]);
    const prepared = await prepareUntilReady(target);
    const edited = await instagramPublisher.prepare(ctx, { ...prepared, text: "Edited caption" });
    expect(InstagramCheckpoint.parse(edited.checkpoint).containerId).not.toBe(InstagramCheckpoint.parse(prepared.checkpoint).containerId);
    const commit = await instagramPublisher.commit(ctx, { ...prepared, text: "Edited again" });
    expect(commit).toMatchObject({ kind: "failed", notReady: true });
  });

  it("refuses an image outside 4:5 … 1.91:1 in the words Atelier's own validation uses", async () => {
    const result = await instagramPublisher.prepare(ctx, job("feed", [await image(1000, 400)]));
    expect(result.kind).toBe("failed");
    if (result.kind !== "failed") return;
    expect(result.failure).toMatchObject({ kind: "fatal", platformCode: "36003/2207009" });
    expect(result.failure.message).toContain("Instagram needs an aspect ratio between 4:5 and 1.91:1");
    expectSentence(result.failure.message);
  });

  it("treats media_publish on a container still processing as not ready (retry, nothing published)", async () => {
    const target = job("feed", [await image()]);
    const first = await instagramPublisher.prepare(ctx, target);
    const before = (await livePosts()).length;
    // The engine would not commit before `ready`; a checkpoint claiming readiness must still be safe.
    const from = InstagramCheckpoint.parse(first.checkpoint);
    const result = await instagramPublisher.commit(ctx, { ...target, checkpoint: { ...from, finished: [from.containerId as string] } });
    expect(result).toMatchObject({ kind: "failed", notReady: true, failure: { kind: "retry", platformCode: "9007/2207027" } });
    expect((await livePosts()).length).toBe(before);
  });
});

describe("Instagram publisher: lost answers and reconciling", () => {
  it("reports a 500 after media_publish acted as uncertain; reconcile finds the one live post", async () => {
    const target = await prepareUntilReady(job("feed", [await image()]));
    const before = (await livePosts()).length;
    await addFault({ platform: "meta", method: "POST", path: "/v23.0/*/media_publish", mode: "after", status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1, is_transient: true } } });
    const commitStartedAt = Date.now();
    const result = await instagramPublisher.commit(ctx, { ...target, commitStartedAt });
    expect(result.kind).toBe("uncertain");
    if (result.kind !== "uncertain") return;
    expectSentence(result.detail);

    const reconciled = await instagramPublisher.reconcile(ctx, { ...target, checkpoint: result.checkpoint, commitStartedAt });
    expect(reconciled.kind).toBe("published");
    if (reconciled.kind !== "published") return;
    expectSentence(reconciled.checked);
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(reconciled.remoteId).toBe(posts[0]?.id);
    expect(reconciled.url).toBe(posts[0]?.permalink);
  });

  it("reports a timeout as uncertain too", async () => {
    const target = await prepareUntilReady(job("feed", [await image()]));
    await addFault({ platform: "meta", method: "POST", path: "/v23.0/*/media_publish", mode: "respond", status: 503, body: "" });
    const result = await instagramPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() });
    expect(result.kind).toBe("uncertain");
    // Nothing went out (the fault answered instead of acting): reconcile says so, and it is safe to commit again.
    const reconciled = await instagramPublisher.reconcile(ctx, { ...target, commitStartedAt: Date.now() });
    expect(reconciled.kind).toBe("not_published");
    const again = await instagramPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() });
    expect(again.kind).toBe("published");
  });

  it("recognises a container that already went out instead of publishing it twice", async () => {
    const target = await prepareUntilReady(job("feed", [await image()]));
    const first = await instagramPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() });
    if (first.kind !== "published") throw new Error(first.kind);
    const before = (await livePosts()).length;
    // A retry with the checkpoint from before the commit (its answer never stored): the container is PUBLISHED.
    const again = await instagramPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() });
    expect(again).toMatchObject({ kind: "published", remoteId: first.remoteId, url: first.url });
    expect((await livePosts()).length).toBe(before);
  });

  it("reconciles to not_published when the container is still FINISHED", async () => {
    const target = await prepareUntilReady(job("feed", [await image()]));
    const result = await instagramPublisher.reconcile(ctx, { ...target, commitStartedAt: Date.now() });
    expect(result.kind).toBe("not_published");
    if (result.kind === "not_published") expect(result.checked).toMatch(/still waiting to be published/);
  });

  it("reconciles to not_published when nothing was ever prepared", async () => {
    const result = await instagramPublisher.reconcile(ctx, job("feed", []));
    expect(result.kind).toBe("not_published");
  });
});

describe("Instagram publisher: publishing limit", () => {
  it("checks content_publishing_limit first and does not call media_publish over the limit", async () => {
    const target = await prepareUntilReady(job("feed", [await image()]));
    await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ igPublishLimitPerDay: 0 }) });
    try {
      const since = await lastCallId();
      const result = await instagramPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() });
      expect(result.kind).toBe("failed");
      if (result.kind !== "failed") return;
      expect(result.failure.kind).toBe("retry");
      expect(result.failure.retryAfterSeconds).toBeGreaterThan(0);
      expect(result.failure.message).toMatch(/Instagram allows 0 posts/);
      expectSentence(result.failure.message);
      expect((await sandboxCalls("meta", since)).some((c) => c.path.endsWith("/media_publish"))).toBe(false);
    } finally {
      await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ igPublishLimitPerDay: 100 }) });
    }
  });
});

describe("Instagram publisher: carousel, reel, story", () => {
  it("publishes a carousel of two images and a video (children, then the parent)", async () => {
    const target = job("carousel", [await image(), await image(1080, 1350), await video()]);
    const ready = await prepareUntilReady(target);
    const checkpoint = InstagramCheckpoint.parse(ready.checkpoint);
    expect(checkpoint.children).toHaveLength(3);
    expect(checkpoint.children?.every((id) => typeof id === "string")).toBe(true);
    const result = await instagramPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.url).toMatch(/^https:\/\/www\.instagram\.com\/p\//);
    expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "carousel", text: target.text });
  });

  it("publishes a reel (waiting while the video processes), honouring share_to_feed", async () => {
    const target = job("reel", [await video(2_000_000)], { options: { shareToFeed: false } });
    const first = await instagramPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    const ready = await prepareUntilReady({ ...target, checkpoint: first.checkpoint });
    const result = await instagramPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.url).toMatch(/^https:\/\/www\.instagram\.com\/reel\//);
    expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "reel", data: { shareToFeed: false } });
  });

  it("publishes an image story and a video story", async () => {
    for (const media of [await image(1080, 1920), await video()]) {
      const ready = await prepareUntilReady(job("story", [media]));
      const result = await instagramPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
      expect(result.kind).toBe("published");
      if (result.kind !== "published") return;
      expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "story" });
    }
  });
});

describe("Instagram publisher: first comment and lead times", () => {
  it("posts the first comment on the new media", async () => {
    const ready = await prepareUntilReady(job("feed", [await image()], { firstComment: "More at the café!" }));
    const result = await instagramPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    if (result.kind !== "published") throw new Error(result.kind);
    const since = await lastCallId();
    expect(await instagramPublisher.afterPublish?.(ctx, { ...ready, checkpoint: result.checkpoint, remoteId: result.remoteId, saveCheckpoint: async () => {} })).toEqual({ ok: true, did: "First comment posted." });
    const calls = await sandboxCalls("meta", since);
    expect(calls.find((c) => c.path.endsWith(`/${result.remoteId}/comments`))?.status).toBe(200);
  });

  it("leads by data: seconds for an image, minutes for a reel, longer for a bigger reel", () => {
    expect(INSTAGRAM_LEAD_SECONDS.feed).toBeDefined();
    const imageLead = instagramPublisher.leadSeconds("feed", [{ kind: "image", sizeBytes: 1_000_000, durationMs: null }]);
    const smallReel = instagramPublisher.leadSeconds("reel", [{ kind: "video", sizeBytes: 5 * 1024 * 1024, durationMs: 15_000 }]);
    const bigReel = instagramPublisher.leadSeconds("reel", [{ kind: "video", sizeBytes: 100 * 1024 * 1024, durationMs: 60_000 }]);
    expect(imageLead).toBeLessThanOrEqual(30);
    expect(smallReel).toBeGreaterThanOrEqual(60);
    expect(bigReel).toBeGreaterThan(smallReel);
  });
});
