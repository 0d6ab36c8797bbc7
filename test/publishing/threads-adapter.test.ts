import { beforeAll, describe, expect, it } from "vitest";
import { threadsAdapter } from "../../worker/platforms/threads";
import { ThreadsCheckpoint, THREADS_LEAD_SECONDS, threadsPublisher } from "../../worker/platforms/threads-publish";
import type { AdapterContext } from "../../worker/platforms/types";
import type { PublishJob, PublishMedia } from "../../worker/publishing/types";
import { publisherFor } from "../../worker/publishing/registry";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, connectGrant, expectSentence } from "../helpers/oauth-flow";
import { publishChain } from "../../worker/platforms/threads-chain";
import type { Checkpoint } from "../../worker/publishing/types";
import { ensureWorkspace as sharedWorkspace, jpeg, libraryFile as sharedLibraryFile, mp4, type FileFacts, prepareUntilReady as prepareJob } from "./adapter-fixtures";

const THREADS_USER = "25123456789012345";
const WORKSPACE = "ws_threads_publish_test";

let ctx: AdapterContext;
let token = "";

// ── fixtures ────────────────────────────────────────────────────────────────

const ensureWorkspace = () => sharedWorkspace(WORKSPACE, "Threads publishing tests");
const libraryFile = (bytes: Uint8Array, facts: FileFacts) => sharedLibraryFile(WORKSPACE, bytes, facts);

const image = () => libraryFile(jpeg(1080, 1080), { kind: "image", mimeType: "image/jpeg", width: 1080, height: 1080 });
/** Bytes that are not a video at all: Threads fails the container while processing. */
const brokenVideo = () => libraryFile(new Uint8Array(4096).fill(7), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 12_000 });

function job(format: string, media: PublishMedia[], overrides: Partial<PublishJob> = {}): PublishJob {
  return {
    targetId: `tgt_${crypto.randomUUID().slice(0, 8)}`,
    workspaceId: WORKSPACE,
    platform: "threads",
    format,
    channel: { externalId: THREADS_USER, kind: "threads_profile", name: "Sam Sandbox", metadata: { threadsUserId: THREADS_USER } },
    accessToken: token,
    text: `Morning thread ${crypto.randomUUID().slice(0, 8)}`,
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

type SandboxPost = { id: string; kind: string; text: string; permalink: string; data: { replyToId?: string | null } };
async function livePosts(): Promise<SandboxPost[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=threads&account=${THREADS_USER}`)).json()) as { posts: SandboxPost[] }).posts;
}

const prepareUntilReady = (target: PublishJob) => prepareJob(threadsPublisher, ctx, target, { rounds: 20, advance });

beforeAll(async () => {
  await ensureWorkspace();
  await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ processingScale: 1 }) });
  ctx = adapterContext(threadsAdapter);
  const grant = await connectGrant(threadsAdapter, ctx);
  const channel = grant.channels.find((c) => c.externalId === THREADS_USER);
  if (!channel) throw new Error("no Threads channel");
  token = channel.tokens.accessToken;
});

// ── tests ───────────────────────────────────────────────────────────────────

describe("Threads publisher", () => {
  it("is registered and leads by data", () => {
    expect(publisherFor("threads")).toBe(threadsPublisher);
    expect(THREADS_LEAD_SECONDS.text?.base).toBe(5);
    expect(threadsPublisher.leadSeconds("text", [])).toBe(5);
    expect(threadsPublisher.leadSeconds("image", [{ kind: "image", sizeBytes: 1_000_000, durationMs: null }])).toBe(20);
    const small = threadsPublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 5 * 1024 * 1024, durationMs: 15_000 }]);
    const big = threadsPublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 100 * 1024 * 1024, durationMs: 120_000 }]);
    expect(big).toBeGreaterThan(small);
  });

  it("publishes a text post: prepare → commit → published with its permalink, exactly one post", async () => {
    const target = job("text", []);
    const before = (await livePosts()).length;
    const ready = await prepareUntilReady(target);
    const containerId = ThreadsCheckpoint.parse(ready.checkpoint).containerId;
    expect(containerId).toMatch(/^\d+$/);
    const result = await threadsPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect(result.url).toMatch(/^https:\/\/www\.threads\.net\/@sam\.sandbox\/post\/[A-Za-z0-9_-]+$/);
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(posts.filter((p) => p.text === target.text)).toHaveLength(1);
    expect(posts[0]).toMatchObject({ id: result.remoteId, kind: "text", text: target.text, permalink: result.url });
    expect(result.checkpoint).toMatchObject({ mediaId: result.remoteId });
  });

  it("waits while an image container is IN_PROGRESS and is ready once the sandbox clock moves on", async () => {
    const target = job("image", [await image()]);
    const first = await threadsPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    if (first.kind !== "waiting") return;
    expect(first.pollAfterSeconds).toBeGreaterThan(0);
    expectSentence(first.detail);
    const containerId = ThreadsCheckpoint.parse(first.checkpoint).containerId;
    expect(containerId).toMatch(/^\d+$/);

    const since = await lastCallId();
    await advance(2000);
    const second = await threadsPublisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(second).toMatchObject({ kind: "ready", checkpoint: { containerId } });
    // Resumed from the checkpoint: no second container.
    const calls = await sandboxCalls("threads", since);
    expect(calls.some((c) => c.method === "GET" && c.path === `/v1.0/${containerId}`)).toBe(true);
    expect(calls.filter((c) => c.method === "POST" && c.path.endsWith("/threads"))).toEqual([]);

    const result = await threadsPublisher.commit(ctx, { ...target, checkpoint: second.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind === "published") expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "image" });
  });

  it("publishes a carousel of two images (children, then the parent)", async () => {
    const target = job("carousel", [await image(), await image()]);
    const ready = await prepareUntilReady(target);
    const checkpoint = ThreadsCheckpoint.parse(ready.checkpoint);
    expect(checkpoint.children).toHaveLength(2);
    expect(checkpoint.children?.every((id) => typeof id === "string")).toBe(true);
    expect(checkpoint.containerId).not.toBe(checkpoint.children?.[0]);
    const result = await threadsPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind === "published") expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "carousel", text: target.text });
  });

  it("reports a 500 after threads_publish acted as uncertain; reconcile finds the one live post", async () => {
    const target = await prepareUntilReady(job("text", []));
    const before = (await livePosts()).length;
    await addFault({ platform: "threads", method: "POST", path: "/v1.0/*/threads_publish", mode: "after", status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1, is_transient: true } } });
    const commitStartedAt = Date.now();
    const result = await threadsPublisher.commit(ctx, { ...target, commitStartedAt });
    expect(result.kind).toBe("uncertain");
    if (result.kind !== "uncertain") return;
    expectSentence(result.detail);

    const reconciled = await threadsPublisher.reconcile(ctx, { ...target, checkpoint: result.checkpoint, commitStartedAt });
    expect(reconciled.kind).toBe("published");
    if (reconciled.kind !== "published") return;
    expectSentence(reconciled.checked);
    const posts = await livePosts();
    expect(posts.length).toBe(before + 1);
    expect(posts.filter((p) => p.text === target.text)).toHaveLength(1);
    expect(reconciled.remoteId).toBe(posts[0]?.id);
    expect(reconciled.url).toBe(posts[0]?.permalink);

    // A retry of the commit with the old checkpoint recognises the PUBLISHED container instead of posting twice.
    const again = await threadsPublisher.commit(ctx, { ...target, commitStartedAt });
    expect(again).toMatchObject({ kind: "published", remoteId: reconciled.remoteId });
    expect((await livePosts()).length).toBe(before + 1);
  });

  it("reconciles to not_published when nothing went out (container still FINISHED, or nothing prepared)", async () => {
    const target = await prepareUntilReady(job("text", []));
    const before = (await livePosts()).length;
    await addFault({ platform: "threads", method: "POST", path: "/v1.0/*/threads_publish", mode: "respond", status: 503, body: "" });
    const result = await threadsPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() });
    expect(result.kind).toBe("uncertain");
    const reconciled = await threadsPublisher.reconcile(ctx, { ...target, commitStartedAt: Date.now() });
    expect(reconciled.kind).toBe("not_published");
    if (reconciled.kind === "not_published") {
      expect(reconciled.checked).toMatch(/still waiting to be published/);
      expectSentence(reconciled.checked);
    }
    expect((await livePosts()).length).toBe(before);
    expect((await threadsPublisher.reconcile(ctx, job("text", []))).kind).toBe("not_published");
  });

  it("maps errors to plain sentences: text over 500 characters, and a video Threads cannot process", async () => {
    const long = await threadsPublisher.prepare(ctx, job("text", [], { text: "x".repeat(501) }));
    expect(long.kind).toBe("failed");
    if (long.kind === "failed") {
      expect(long.failure).toMatchObject({ kind: "fatal", message: "Threads says the text is too long; posts can have at most 500 characters." });
      expectSentence(long.failure.message);
    }

    const target = job("video", [await brokenVideo()]);
    const first = await threadsPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    await advance(30_000);
    const second = await threadsPublisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(second.kind).toBe("failed");
    if (second.kind === "failed") {
      expect(second.failure).toMatchObject({ kind: "fatal", platformCode: "FAILED_PROCESSING_VIDEO" });
      expectSentence(second.failure.message);
    }
  });

  it("deletes a published post (already gone counts as removed)", async () => {
    const ready = await prepareUntilReady(job("text", []));
    const result = await threadsPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    if (result.kind !== "published") throw new Error(result.kind);
    const ref = { remoteId: result.remoteId, accessToken: token, channel: ready.channel, format: "text", checkpoint: result.checkpoint };
    expect(await threadsPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
    expect((await livePosts()).some((p) => p.id === result.remoteId)).toBe(false);
    expect(await threadsPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
  });

  it("publishes a video post once Threads has processed it", async () => {
    const video = await libraryFile(mp4(3 * 1024 * 1024), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 20_000 });
    const target = job("video", [video]);
    const first = await threadsPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    const ready = await prepareUntilReady({ ...target, checkpoint: first.checkpoint });
    const result = await threadsPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind === "published") expect((await livePosts())[0]).toMatchObject({ id: result.remoteId, kind: "video", text: target.text });
  });

  describe("reply chains", () => {
    /** Publishes the first post and returns what afterPublish needs, with every saved checkpoint recorded. */
    async function liveRoot(chain: string[]) {
      const ready = await prepareUntilReady(job("text", [], { options: { chain } }));
      const result = await threadsPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
      if (result.kind !== "published") throw new Error(result.kind);
      const saved: Checkpoint[] = [];
      const after = { ...ready, checkpoint: result.checkpoint, remoteId: result.remoteId, saveCheckpoint: async (c: Checkpoint) => void saved.push(c) };
      return { after, saved, rootId: result.remoteId };
    }
    const wait = { wait: (ms: number) => advance(ms) };
    const repliesTo = (posts: SandboxPost[], id: string) => posts.filter((p) => p.kind === "reply" && p.data.replyToId === id);

    it("publishes each further post as a reply to the one before, saving every id as it comes", async () => {
      const chain = ["Second: the details.", "Third: the link.", "Fourth: thanks for reading."];
      const { after, saved, rootId } = await liveRoot(chain);
      const result = await publishChain(ctx, after, wait);
      expect(result).toEqual({ ok: true, did: "3 more posts of the thread published as replies." });
      const posts = await livePosts();
      const second = repliesTo(posts, rootId);
      expect(second.map((p) => p.text)).toEqual([chain[0]]);
      const third = repliesTo(posts, second[0]!.id);
      expect(third.map((p) => p.text)).toEqual([chain[1]]);
      expect(repliesTo(posts, third[0]!.id).map((p) => p.text)).toEqual([chain[2]]);
      // Container id saved before publishing, media id after: two saves per link.
      expect(saved).toHaveLength(6);
      expect(saved.at(-1)).toMatchObject({ chain: [{ mediaId: second[0]!.id }, { mediaId: third[0]!.id }, {}] });
      // The replies are not the profile's posts: the profile listing (reconcile's source) shows the first post only.
      const profile = (await (await fetch(`${SANDBOX}/graph.threads.net/v1.0/${THREADS_USER}/threads?fields=id,text`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { text?: string }[] };
      expect(profile.data.some((p) => chain.includes(p.text ?? ""))).toBe(false);
    });

    it("stops at a refused link with a sentence, and a second run resumes there without repeating a reply", async () => {
      const chain = ["Link two.", "Link three.", "Link four."];
      const { after, saved, rootId } = await liveRoot(chain);
      // Threads refuses the third container once (a 400): links two and three are live, four is not.
      await addFault({ platform: "threads", method: "POST", path: `/v1.0/${THREADS_USER}/threads`, mode: "respond", status: 400, skip: 2, body: { error: { message: "(#100) Invalid parameter", type: "OAuthException", code: 100 } } });
      const first = await publishChain(ctx, after, wait);
      expect(first.ok).toBe(false);
      if (!first.ok) {
        expect(first.what).toBe("post 4 of the thread");
        expectSentence(first.failure.message);
      }
      const resumed = await publishChain(ctx, { ...after, checkpoint: saved.at(-1)! }, wait);
      expect(resumed).toEqual({ ok: true, did: "1 more post of the thread published as replies." });
      const posts = await livePosts();
      for (const text of chain) expect(posts.filter((p) => p.text === text)).toHaveLength(1);
      expect(repliesTo(posts, rootId)).toHaveLength(1);
    });

    it("finds a reply whose publish answer was lost instead of posting it twice", async () => {
      const chain = ["Only reply, answer lost."];
      const { after, rootId } = await liveRoot(chain);
      await addFault({ platform: "threads", method: "POST", path: "/v1.0/*/threads_publish", mode: "after", status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1, is_transient: true } } });
      const result = await publishChain(ctx, after, wait);
      expect(result).toEqual({ ok: true, did: "1 more post of the thread published as replies." });
      const replies = repliesTo(await livePosts(), rootId);
      expect(replies.map((p) => p.text)).toEqual(chain);
    });

    it("has nothing to do without a chain", async () => {
      const { after } = await liveRoot([]);
      expect(await threadsPublisher.afterPublish?.(ctx, after)).toEqual({ ok: true, did: null });
    });
  });
});
