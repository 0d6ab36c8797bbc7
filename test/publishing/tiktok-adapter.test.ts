import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tiktokAdapter } from "../../worker/platforms/tiktok";
import { TikTokCheckpoint, TIKTOK_LEAD_SECONDS, tiktokPublisher } from "../../worker/platforms/tiktok-publish";
import { parseJsonKeepingIds, quoteLongIntegers } from "../../worker/platforms/tiktok-json";
import { planChunks } from "../../worker/platforms/tiktok-upload";
import type { AdapterContext } from "../../worker/platforms/types";
import type { PublishJob, PublishMedia } from "../../worker/publishing/types";
import { publisherFor } from "../../worker/publishing/registry";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, connectGrant, expectSentence } from "../helpers/oauth-flow";
import { ensureWorkspace as sharedWorkspace, libraryFile as sharedLibraryFile, mp4 } from "./adapter-fixtures";
import { advanceSandboxClock, creatorSettings, MIB, rawStatus, recordingContext, TIKTOK_OPEN_ID, tiktokPosts } from "./tiktok-fixtures";

const WORKSPACE = "ws_tiktok_publish_test";
const ALL_SCOPES = ["user.info.basic", "user.info.profile", "video.upload", "video.publish"];

let ctx: AdapterContext;
let token = "";
let uploadOnlyToken = "";

const video = (size: number, durationMs = 15_000) => sharedLibraryFile(WORKSPACE, mp4(size), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs });

function job(media: PublishMedia[], overrides: Partial<PublishJob> & { metadata?: Record<string, string> } = {}): PublishJob {
  const { metadata, ...rest } = overrides;
  return {
    targetId: `tgt_${crypto.randomUUID().slice(0, 8)}`,
    workspaceId: WORKSPACE,
    platform: "tiktok",
    format: "video",
    channel: { externalId: TIKTOK_OPEN_ID, kind: "tiktok_account", name: "Sam Sandbox", metadata: { openId: TIKTOK_OPEN_ID, ...metadata } },
    accessToken: token,
    text: `Bakery tour #${crypto.randomUUID().slice(0, 8)}`,
    firstComment: null,
    options: { privacyLevel: "PUBLIC_TO_EVERYONE" },
    media,
    checkpoint: {},
    dueAt: Date.now(),
    commitStartedAt: null,
    ...rest,
  };
}

const checkpointOf = (value: Record<string, unknown>) => TikTokCheckpoint.parse(value);
const tiktokCallsSince = async (since: number) => (await sandboxCalls("tiktok", since)).map((c) => `${c.method} ${c.path}`);

async function prepareReady(target: PublishJob, context = ctx): Promise<PublishJob> {
  const result = await tiktokPublisher.prepare(context, target);
  if (result.kind !== "ready") throw new Error(`prepare did not finish: ${JSON.stringify(result)}`);
  return { ...target, checkpoint: result.checkpoint };
}

/** Reconciles until TikTok has finished processing, advancing the sandbox clock between asks. */
async function reconcileUntilSettled(target: PublishJob, context = ctx) {
  for (let round = 0; round < 10; round++) {
    const result = await tiktokPublisher.reconcile(context, target);
    if (result.kind !== "failed") return result;
    expect(result.failure.kind).toBe("retry");
    expectSentence(result.failure.message);
    await advanceSandboxClock((result.failure.retryAfterSeconds ?? 10) * 1000);
  }
  throw new Error("TikTok never finished processing");
}

beforeAll(async () => {
  await sharedWorkspace(WORKSPACE, "TikTok publishing tests");
  await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ processingScale: 1 }) });
  ctx = adapterContext(tiktokAdapter);
  token = (await connectGrant(tiktokAdapter, ctx, { scopes: ALL_SCOPES })).tokens.accessToken;
  uploadOnlyToken = (await connectGrant(tiktokAdapter, ctx, { scopes: ["user.info.basic", "video.upload"] })).tokens.accessToken;
});

beforeEach(async () => {
  await creatorSettings({ reset: true, dailyPostCap: 1000 });
  // A fresh minute for the per-token limits (6 inits per minute).
  await advanceSandboxClock(61_000);
});

describe("TikTok publisher: plumbing", () => {
  it("is registered, has no delete (TikTok's API has none) and leads by data", () => {
    expect(publisherFor("tiktok")).toBe(tiktokPublisher);
    expect(tiktokPublisher.deleteRemote).toBeUndefined();
    expect(TIKTOK_LEAD_SECONDS.video?.base).toBe(20);
    const small = tiktokPublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 5 * MIB, durationMs: 15_000 }]);
    const big = tiktokPublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 2000 * MIB, durationMs: 120_000 }]);
    expect(big).toBeGreaterThan(small);
    expect(big).toBeLessThanOrEqual(1800);
  });

  it("plans chunks by the media-transfer rules", () => {
    expect(planChunks(3 * MIB)).toEqual({ videoSize: 3 * MIB, chunkSize: 3 * MIB, totalChunks: 1 });
    expect(planChunks(16 * MIB)).toEqual({ videoSize: 16 * MIB, chunkSize: 5 * MIB, totalChunks: 3 });
    // tiktok.md's example: 205,000,000 bytes in 10,000,000-byte chunks → 20 chunks, the last 15,000,000.
    expect(planChunks(205_000_000, 10_000_000)).toEqual({ videoSize: 205_000_000, chunkSize: 10_000_000, totalChunks: 20 });
    expect(planChunks(4 * 1024 * MIB).totalChunks).toBeLessThanOrEqual(1000);
  });

  it("keeps 19-digit integers exact where JSON.parse would round them", () => {
    const text = '{"data":{"ids":[7335123456789012345, 12],"s":"[7335123456789012345]","neg":-7335123456789012345,"f":1.5e3},"error":{"code":"ok"}}';
    expect(String((JSON.parse(text) as { data: { ids: number[] } }).data.ids[0])).not.toBe("7335123456789012345");
    expect(quoteLongIntegers(text)).toBe('{"data":{"ids":["7335123456789012345", 12],"s":"[7335123456789012345]","neg":"-7335123456789012345","f":1.5e3},"error":{"code":"ok"}}');
    expect(parseJsonKeepingIds(text)).toEqual({ data: { ids: ["7335123456789012345", 12], s: "[7335123456789012345]", neg: "-7335123456789012345", f: 1500 }, error: { code: "ok" } });
    expect(parseJsonKeepingIds('{"a":"say \\"7335123456789012345\\""}')).toEqual({ a: 'say "7335123456789012345"' });
  });
});

describe("TikTok publisher: Direct Post", () => {
  it("uploads all but the last chunk in prepare, sends the last one at commit, and is published once processed", async () => {
    const file = await video(16 * MIB);
    const { ctx: recording, sent } = recordingContext(ctx);
    const target = job([file]);
    const before = (await tiktokPosts()).length;
    const since = await lastCallId();

    const ready = await prepareReady(target, recording);
    const prepared = checkpointOf(ready.checkpoint);
    expect(prepared.publishId).toMatch(/^v_pub_file~v2\.\d{19}$/);
    expect(prepared).toMatchObject({ mode: "direct", source: "FILE_UPLOAD", chunksSent: 2, goLiveSent: false, username: "samsandbox", plan: { videoSize: 16 * MIB, chunkSize: 5 * MIB, totalChunks: 3 } });
    // The creator turned stitches off: sent as off even though the post did not ask.
    expect(prepared.postInfo).toMatchObject({ title: target.text, privacy_level: "PUBLIC_TO_EVERYONE", disable_stitch: true, disable_comment: false });
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/creator_info/query/", "POST /v2/post/publish/video/init/", "PUT /video/", "PUT /video/"]);
    expect((await tiktokPosts()).length).toBe(before);

    const committed = await tiktokPublisher.commit(recording, { ...ready, commitStartedAt: Date.now() });
    expect(committed.kind).toBe("uncertain");
    if (committed.kind !== "uncertain") return;
    expectSentence(committed.detail);
    expect(checkpointOf(committed.checkpoint)).toMatchObject({ goLiveSent: true, chunksSent: 3 });

    const puts = sent.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.headers.get("content-range"))).toEqual([`bytes 0-${5 * MIB - 1}/${16 * MIB}`, `bytes ${5 * MIB}-${10 * MIB - 1}/${16 * MIB}`, `bytes ${10 * MIB}-${16 * MIB - 1}/${16 * MIB}`]);
    expect(puts.every((r) => r.headers.get("content-type") === "video/mp4")).toBe(true);
    expect(puts.every((r) => r.url.includes("/open-upload.tiktokapis.com/video/?upload_id="))).toBe(true);
    // The sandbox assembled the declared size.
    expect(await rawStatus(token, prepared.publishId!)).toContain(`"uploaded_bytes":${16 * MIB}`);

    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint, commitStartedAt: Date.now() });
    expect(settled.kind).toBe("published");
    if (settled.kind !== "published") return;
    const posts = await tiktokPosts();
    expect(posts.length).toBe(before + 1);
    const post = posts.find((p) => p.text === target.text);
    // The 19-digit id round-trips exactly, as a string.
    expect(post?.id).toMatch(/^\d{19}$/);
    expect(settled.remoteId).toBe(post?.id);
    expect(settled.url).toBe(`https://www.tiktok.com/@samsandbox/video/${post?.id}`);
    expect(post).toMatchObject({ kind: "video" });
  });

  it("writes the post id as a bare 19-digit number in status/fetch, and the adapter still reads it exactly", async () => {
    const target = job([await video(256 * 1024)]);
    const ready = await prepareReady(target);
    const committed = await tiktokPublisher.commit(ctx, ready);
    const publishId = checkpointOf(committed.checkpoint).publishId!;
    await advanceSandboxClock(60_000);
    const raw = await rawStatus(token, publishId);
    const digits = /"publicaly_available_post_id":\[(\d{19})\]/.exec(raw)?.[1];
    expect(digits).toBeDefined();
    expect(String((JSON.parse(raw) as { data: { publicaly_available_post_id: number[] } }).data.publicaly_available_post_id[0])).not.toBe(digits);
    const settled = await tiktokPublisher.reconcile(ctx, { ...ready, checkpoint: committed.checkpoint });
    expect(settled).toMatchObject({ kind: "published", remoteId: digits });
  });

  it("pulls from the media URL when the channel's domain is verified: init is the go-live", async () => {
    const file = await video(300 * 1024);
    const target = job([file], { metadata: { pullFromUrl: "true" } });
    const since = await lastCallId();
    const ready = await prepareReady(target);
    expect(checkpointOf(ready.checkpoint)).toMatchObject({ source: "PULL_FROM_URL", mode: "direct" });
    expect(checkpointOf(ready.checkpoint).publishId).toBeUndefined();
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/creator_info/query/"]);

    const committed = await tiktokPublisher.commit(ctx, ready);
    expect(committed.kind).toBe("uncertain");
    expect(checkpointOf(committed.checkpoint).publishId).toMatch(/^v_pub_url~v2\.\d{19}$/);
    expect(await tiktokCallsSince(since)).toContain("POST /v2/post/publish/video/init/");
    expect((await tiktokCallsSince(since)).some((c) => c.startsWith("PUT"))).toBe(false);
    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint });
    expect(settled.kind).toBe("published");
    const posts = (await tiktokPosts()).filter((p) => p.text === target.text);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.media).toEqual([file.url]);
  });
});

describe("TikTok publisher: inbox drafts", () => {
  it("sends the video to the creator's inbox when the post asks for a draft (no privacy level needed)", async () => {
    const target = job([await video(200 * 1024)], { options: { postMode: "inbox" } });
    const since = await lastCallId();
    const ready = await prepareReady(target);
    expect(checkpointOf(ready.checkpoint)).toMatchObject({ mode: "inbox", inboxFallback: false });
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/inbox/video/init/"]);
    const committed = await tiktokPublisher.commit(ctx, ready);
    const publishId = checkpointOf(committed.checkpoint).publishId!;
    expect(publishId).toMatch(/^v_inbox_file~v2\.\d{19}$/);
    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint });
    expect(settled).toMatchObject({ kind: "published", remoteId: publishId });
    const drafts = (await tiktokPosts()).filter((p) => p.text === target.text);
    expect(drafts.map((p) => p.kind)).toEqual(["inbox_draft"]);
  });

  it("falls back to an inbox draft when the connection was not granted video.publish", async () => {
    const target = job([await video(200 * 1024)], { accessToken: uploadOnlyToken });
    const since = await lastCallId();
    const ready = await prepareReady(target);
    expect(checkpointOf(ready.checkpoint)).toMatchObject({ mode: "inbox", inboxFallback: true });
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/creator_info/query/", "POST /v2/post/publish/inbox/video/init/"]);
    const committed = await tiktokPublisher.commit(ctx, ready);
    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint });
    expect(settled.kind).toBe("published");
    expect((await tiktokPosts()).filter((p) => p.text === target.text).map((p) => p.kind)).toEqual(["inbox_draft"]);
  });
});

describe("TikTok publisher: interruptions", () => {
  it("resumes an upload interrupted at the 2nd chunk without a new init, and posts once", async () => {
    const file = await video(16 * MIB);
    let puts = 0;
    const { ctx: faulty } = recordingContext(ctx, async (request) => {
      if (request.method === "PUT" && ++puts === 2) await addFault({ platform: "tiktok", method: "PUT", path: "/video/", status: 500, mode: "after", body: "" });
    });
    const target = job([file]);
    const first = await tiktokPublisher.prepare(faulty, target);
    expect(first.kind).toBe("failed");
    if (first.kind !== "failed") return;
    expect(first.failure.kind).toBe("retry");
    expectSentence(first.failure.message);
    const interrupted = checkpointOf(first.checkpoint);
    expect(interrupted).toMatchObject({ chunksSent: 1, goLiveSent: false });
    expect(interrupted.publishId).toMatch(/^v_pub_file~/);

    const since = await lastCallId();
    const ready = await prepareReady({ ...target, checkpoint: first.checkpoint });
    expect(checkpointOf(ready.checkpoint)).toMatchObject({ publishId: interrupted.publishId, chunksSent: 2 });
    // The 2nd chunk again (TikTok got it already and accepts it again); no second init.
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/creator_info/query/", "PUT /video/"]);

    const committed = await tiktokPublisher.commit(ctx, ready);
    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint });
    expect(settled.kind).toBe("published");
    expect((await tiktokPosts()).filter((p) => p.text === target.text)).toHaveLength(1);
  });

  it("reconciles a lost answer to the last chunk by publish id: exactly one post", async () => {
    const target = job([await video(300 * 1024)]);
    const ready = await prepareReady(target);
    await addFault({ platform: "tiktok", method: "PUT", path: "/video/", status: 502, mode: "after", body: "" });
    const committed = await tiktokPublisher.commit(ctx, ready);
    expect(committed.kind).toBe("uncertain");
    if (committed.kind !== "uncertain") return;
    expectSentence(committed.detail);
    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint, commitStartedAt: Date.now() });
    expect(settled.kind).toBe("published");
    if (settled.kind !== "published") return;
    expectSentence(settled.checked);
    const posts = (await tiktokPosts()).filter((p) => p.text === target.text);
    expect(posts).toHaveLength(1);
    expect(settled.remoteId).toBe(posts[0]?.id);
  });

  it("knows a last chunk that never arrived did not go live, and sends it again", async () => {
    const target = job([await video(300 * 1024)]);
    const ready = await prepareReady(target);
    await addFault({ platform: "tiktok", method: "PUT", path: "/video/", status: 503, mode: "respond", body: "" });
    const committed = await tiktokPublisher.commit(ctx, ready);
    expect(committed.kind).toBe("uncertain");
    const lost = { ...ready, checkpoint: committed.checkpoint };
    const verdict = await tiktokPublisher.reconcile(ctx, lost);
    expect(verdict.kind).toBe("not_published");
    if (verdict.kind !== "not_published") return;
    expectSentence(verdict.checked);

    const since = await lastCallId();
    const again = await tiktokPublisher.commit(ctx, lost);
    expect(again.kind).toBe("uncertain");
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/status/fetch/", "PUT /video/", "POST /v2/post/publish/status/fetch/"]);
    const settled = await reconcileUntilSettled({ ...lost, checkpoint: again.checkpoint });
    expect(settled.kind).toBe("published");
    expect((await tiktokPosts()).filter((p) => p.text === target.text)).toHaveLength(1);
  });

  it("inits again after a lost init answer in prepare: the orphaned job never gets its bytes, so one post", async () => {
    const target = job([await video(300 * 1024)]);
    await addFault({ platform: "tiktok", method: "POST", path: "/v2/post/publish/video/init/", status: 504, mode: "after", body: "" });
    const lost = await tiktokPublisher.prepare(ctx, target);
    expect(lost).toMatchObject({ kind: "failed", failure: { kind: "retry" } });
    expect(checkpointOf(lost.checkpoint).publishId).toBeUndefined();
    const ready = await prepareReady({ ...target, checkpoint: lost.checkpoint });
    const committed = await tiktokPublisher.commit(ctx, ready);
    const settled = await reconcileUntilSettled({ ...ready, checkpoint: committed.checkpoint });
    expect(settled.kind).toBe("published");
    await advanceSandboxClock(120_000);
    expect((await tiktokPosts()).filter((p) => p.text === target.text)).toHaveLength(1);
  });

  it("says it cannot tell when a pull init's answer was lost (no publish id to ask about)", async () => {
    const target = job([await video(200 * 1024)], { metadata: { pullFromUrl: "true" } });
    const ready = await prepareReady(target);
    await addFault({ platform: "tiktok", method: "POST", path: "/v2/post/publish/video/init/", status: 500, mode: "after", body: "" });
    const committed = await tiktokPublisher.commit(ctx, ready);
    expect(committed.kind).toBe("uncertain");
    const verdict = await tiktokPublisher.reconcile(ctx, { ...ready, checkpoint: committed.checkpoint });
    expect(verdict.kind).toBe("unknown");
    if (verdict.kind === "unknown") expectSentence(verdict.checked);
  });

  it("reports a job TikTok failed while processing with its reason, and starts over next time", async () => {
    const broken = await sharedLibraryFile(WORKSPACE, new Uint8Array(200 * 1024).fill(7), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 15_000 });
    const target = job([broken]);
    const ready = await prepareReady(target);
    const committed = await tiktokPublisher.commit(ctx, ready);
    expect(committed.kind).toBe("uncertain");
    await advanceSandboxClock(60_000);
    const verdict = await tiktokPublisher.reconcile(ctx, { ...ready, checkpoint: committed.checkpoint });
    expect(verdict.kind).toBe("not_published");
    const retried = await tiktokPublisher.commit(ctx, { ...ready, checkpoint: committed.checkpoint });
    expect(retried).toMatchObject({ kind: "failed", notReady: true, failure: { kind: "fatal", platformCode: "file_format_check_failed" } });
    if (retried.kind !== "failed") return;
    expectSentence(retried.failure.message);
    expect(checkpointOf(retried.checkpoint).publishId).toBeUndefined();
    expect((await tiktokPosts()).filter((p) => p.text === target.text)).toHaveLength(0);
  });
});

describe("TikTok publisher: creator_info pre-check", () => {
  it("explains a pull refused because Atelier's media address is not verified with TikTok", async () => {
    await creatorSettings({ verifiedHosts: ["media.example.com"] });
    const ready = await prepareReady(job([await video(200 * 1024)], { metadata: { pullFromUrl: "true" } }));
    const committed = await tiktokPublisher.commit(ctx, ready);
    expect(committed).toMatchObject({ kind: "failed", failure: { kind: "fatal", platformCode: "url_ownership_unverified", status: 403 } });
    if (committed.kind === "failed") expectSentence(committed.failure.message);
  });

  it("refuses a privacy level the creator does not offer, before any upload", async () => {
    await creatorSettings({ privateAccount: true });
    const since = await lastCallId();
    const result = await tiktokPublisher.prepare(ctx, job([await video(200 * 1024)]));
    expect(result).toMatchObject({ kind: "failed", failure: { kind: "fatal", platformCode: "privacy_level_option_mismatch" } });
    if (result.kind !== "failed") return;
    expectSentence(result.failure.message);
    expect(result.failure.message).toContain("friends, followers, only the creator");
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/creator_info/query/"]);
  });

  it("refuses a video longer than the creator may post", async () => {
    await creatorSettings({ maxVideoPostDurationSec: 60 });
    const result = await tiktokPublisher.prepare(ctx, job([await video(200 * 1024, 95_000)]));
    expect(result).toMatchObject({ kind: "failed", failure: { kind: "fatal", platformCode: "duration_check_failed" } });
    if (result.kind === "failed") {
      expectSentence(result.failure.message);
      expect(result.failure.message).toContain("at most 1 minute; this one is 95 seconds long");
    }
  });

  it("refuses when TikTok says the creator cannot post any more today", async () => {
    await creatorSettings({ dailyPostCap: 0 });
    const since = await lastCallId();
    const result = await tiktokPublisher.prepare(ctx, job([await video(200 * 1024)]));
    expect(result).toMatchObject({ kind: "failed", failure: { kind: "fatal", platformCode: "spam_risk_too_many_posts", status: 403 } });
    if (result.kind === "failed") expectSentence(result.failure.message);
    expect(await tiktokCallsSince(since)).toEqual(["POST /v2/post/publish/creator_info/query/"]);
  });

  it("waits out TikTok's per-minute limit, and asks for a refresh when the token is refused", async () => {
    await addFault({ platform: "tiktok", method: "POST", path: "/v2/post/publish/creator_info/query/", status: 429, body: { data: {}, error: { code: "rate_limit_exceeded", message: "Rate limit exceeded.", log_id: "x" } } });
    const limited = await tiktokPublisher.prepare(ctx, job([await video(200 * 1024)]));
    expect(limited).toMatchObject({ kind: "failed", failure: { kind: "retry", retryAfterSeconds: 60, platformCode: "rate_limit_exceeded" } });
    const refused = await tiktokPublisher.prepare(ctx, job([await video(200 * 1024)], { accessToken: "act.not-a-token" }));
    expect(refused).toMatchObject({ kind: "failed", failure: { kind: "refresh", platformCode: "access_token_invalid" } });
  });
});
