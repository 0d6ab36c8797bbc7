import { beforeAll, describe, expect, it } from "vitest";
import { linkedinAdapter } from "../../worker/platforms/linkedin";
import { LinkedInCheckpoint, LINKEDIN_LEAD_SECONDS, linkedinPublisher } from "../../worker/platforms/linkedin-publish";
import { secondsUntilUtcMidnight } from "../../worker/platforms/linkedin-publish-http";
import type { AdapterContext, ChannelCandidate } from "../../worker/platforms/types";
import { publisherFor } from "../../worker/publishing/registry";
import type { PublishJob, PublishMedia } from "../../worker/publishing/types";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, connectGrant, expectSentence } from "../helpers/oauth-flow";
import { ensureWorkspace, jpeg, libraryFile, mp4, prepareUntilReady as prepareJob } from "./adapter-fixtures";

const WORKSPACE = "ws_linkedin_publish_test";
const PART = 4 * 1024 * 1024;
const ENOUGH_SCOPES_FOR_PAGES_LIST_ONLY = ["openid", "profile", "w_member_social", "r_organization_admin", "r_organization_social"];

let ctx: AdapterContext;
let member: ChannelCandidate;
let bakery: ChannelCandidate;

// ── fixtures ────────────────────────────────────────────────────────────────

const image = () => libraryFile(WORKSPACE, jpeg(1200, 627), { kind: "image", mimeType: "image/jpeg", width: 1200, height: 627, altText: "Fresh bread on a table" });
const video = (size: number) => libraryFile(WORKSPACE, mp4(size), { kind: "video", mimeType: "video/mp4", width: 1920, height: 1080, durationMs: 20_000 });

type Channel = Pick<ChannelCandidate, "externalId" | "kind" | "name" | "metadata" | "tokens">;

function job(channel: Channel, format: string, media: PublishMedia[], overrides: Partial<PublishJob> = {}): PublishJob {
  return {
    targetId: `tgt_${crypto.randomUUID().slice(0, 8)}`,
    workspaceId: WORKSPACE,
    platform: "linkedin",
    format,
    channel: { externalId: channel.externalId, kind: channel.kind, name: channel.name, metadata: channel.metadata },
    accessToken: channel.tokens.accessToken,
    text: `Fresh from the oven ${crypto.randomUUID().slice(0, 8)}`,
    firstComment: null,
    options: {},
    media,
    checkpoint: {},
    dueAt: Date.now(),
    commitStartedAt: null,
    ...overrides,
  };
}

const authorOf = (channel: Channel) => channel.metadata.authorUrn as string;

async function advance(ms: number): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: ms }) });
  expect(response.status).toBe(200);
}

type LivePost = { id: string; kind: string; text: string; media: string[]; permalink: string; data: Record<string, unknown> };
async function livePosts(channel: Channel): Promise<LivePost[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=linkedin&account=${encodeURIComponent(authorOf(channel))}`)).json()) as { posts: LivePost[] }).posts;
}

const prepareUntilReady = (target: PublishJob) => prepareJob(linkedinPublisher, ctx, target, { rounds: 30, advance });

async function publish(target: PublishJob): Promise<{ remoteId: string; url: string | null; ready: PublishJob }> {
  const ready = await prepareUntilReady(target);
  const result = await linkedinPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
  if (result.kind !== "published") throw new Error(`commit: ${result.kind} ${JSON.stringify(result)}`);
  return { remoteId: result.remoteId, url: result.url, ready: { ...ready, checkpoint: result.checkpoint } };
}

beforeAll(async () => {
  await ensureWorkspace(WORKSPACE, "LinkedIn publishing tests");
  await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ processingScale: 1 }) });
  ctx = adapterContext(linkedinAdapter);
  const grant = await connectGrant(linkedinAdapter, ctx);
  member = grant.channels.find((c) => c.kind === "linkedin_member") as ChannelCandidate;
  bakery = grant.channels.find((c) => c.externalId === "2414183") as ChannelCandidate;
  if (!member || !bakery) throw new Error("missing LinkedIn channels");
});

// ── tests ───────────────────────────────────────────────────────────────────

describe("LinkedIn publisher", () => {
  it("is registered and leads by data", () => {
    expect(publisherFor("linkedin")).toBe(linkedinPublisher);
    expect(LINKEDIN_LEAD_SECONDS.text?.base).toBe(5);
    expect(linkedinPublisher.leadSeconds("text", [])).toBe(5);
    expect(linkedinPublisher.leadSeconds("images", [1, 2, 3].map(() => ({ kind: "image" as const, sizeBytes: 1000, durationMs: null })))).toBe(30);
    const small = linkedinPublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 5 * 1024 * 1024, durationMs: 15_000 }]);
    const big = linkedinPublisher.leadSeconds("video", [{ kind: "video", sizeBytes: 200 * 1024 * 1024, durationMs: 300_000 }]);
    expect(big).toBeGreaterThan(small);
  });

  it("publishes a text post as the member: one POST /rest/posts, URN from x-restli-id, exactly one post", async () => {
    const target = job(member, "text", [], { options: { visibility: "CONNECTIONS" } });
    const since = await lastCallId();
    const { remoteId, url } = await publish(target);
    expect(remoteId).toMatch(/^urn:li:share:\d+$/);
    expect(url).toBe(`https://www.linkedin.com/feed/update/${remoteId}/`);
    const posts = await livePosts(member);
    expect(posts.filter((p) => p.text === target.text)).toHaveLength(1);
    expect(posts[0]).toMatchObject({ id: remoteId, kind: "text", text: target.text, permalink: url, data: { visibility: "CONNECTIONS", author: authorOf(member) } });
    const calls = await sandboxCalls("linkedin", since);
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(["POST /rest/posts 201"]);
  });

  it("publishes a text post as an organization it administers", async () => {
    const target = job(bakery, "text", []);
    const { remoteId } = await publish(target);
    expect((await livePosts(bakery))[0]).toMatchObject({ id: remoteId, kind: "text", text: target.text, data: { author: "urn:li:organization:2414183", visibility: "PUBLIC" } });
    expect((await livePosts(member)).some((p) => p.id === remoteId)).toBe(false);
  });

  it("uploads a Page image, polls it until AVAILABLE, and posts it with its alt text", async () => {
    const target = job(bakery, "image", [await image()]);
    const first = await linkedinPublisher.prepare(ctx, target);
    expect(first.kind).toBe("waiting");
    const asset = LinkedInCheckpoint.parse(first.checkpoint).assets[0];
    expect(asset).toMatchObject({ kind: "image", urn: expect.stringMatching(/^urn:li:image:/), uploaded: true, available: false });
    const since = await lastCallId();
    await advance(3000);
    const second = await linkedinPublisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(second.kind).toBe("ready");
    // Resumed: only the status read, no second upload.
    expect((await sandboxCalls("linkedin", since)).map((c) => `${c.method} ${c.path}`)).toEqual([`GET /rest/images/${encodeURIComponent(asset?.urn ?? "")}`]);
    const result = await linkedinPublisher.commit(ctx, { ...target, checkpoint: second.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    if (result.kind !== "published") return;
    expect((await livePosts(bakery))[0]).toMatchObject({ id: result.remoteId, kind: "image", media: [asset?.urn], data: { content: { media: { id: asset?.urn, altText: "Fresh bread on a table" } } } });
  });

  it("publishes several images as the member (no status reads: member images are write-only; a grace wait instead)", async () => {
    const target = job(member, "images", [await image(), await image(), await image()]);
    const since = await lastCallId();
    const first = await linkedinPublisher.prepare(ctx, target);
    expect(first).toMatchObject({ kind: "waiting", pollAfterSeconds: 3 });
    await advance(3000);
    const second = await linkedinPublisher.prepare(ctx, { ...target, checkpoint: first.checkpoint });
    expect(second.kind).toBe("ready");
    const calls = await sandboxCalls("linkedin", since);
    expect(calls.filter((c) => c.path === "/rest/images").length).toBe(3);
    expect(calls.filter((c) => c.method === "PUT" && c.path.includes("/uploadedImage/")).length).toBe(3);
    expect(calls.some((c) => c.method === "GET")).toBe(false);
    const result = await linkedinPublisher.commit(ctx, { ...target, checkpoint: second.checkpoint, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    const urns = LinkedInCheckpoint.parse(second.checkpoint).assets.map((a) => a?.urn);
    expect((await livePosts(member))[0]).toMatchObject({ kind: "images", text: target.text, media: urns });
  });

  it("uploads a video in LinkedIn's parts with their ETags in order, then posts it once processed", async () => {
    const size = 2 * PART + 4321;
    const target = job(bakery, "video", [await video(size)]);
    const since = await lastCallId();
    const ready = await prepareUntilReady(target);
    const asset = LinkedInCheckpoint.parse(ready.checkpoint).assets[0];
    if (asset?.kind !== "video") throw new Error("no video asset");
    expect(asset.parts.map((p) => [p.firstByte, p.lastByte])).toEqual([[0, PART - 1], [PART, 2 * PART - 1], [2 * PART, size - 1]]);
    expect(asset.parts.every((p) => p.etag?.startsWith("/ami/"))).toBe(true);
    expect(new Set(asset.parts.map((p) => p.etag)).size).toBe(3);
    const calls = await sandboxCalls("linkedin", since);
    const puts = calls.filter((c) => c.method === "PUT");
    expect(puts.map((c) => `${c.path.split("/").slice(-2).join("/")} ${c.status}`)).toEqual(["uploadedVideo/0 200", "uploadedVideo/1 200", "uploadedVideo/2 200"]);
    expect(calls.filter((c) => c.path === "/rest/videos").map((c) => c.status)).toEqual([200, 200]); // initialize, finalize
    const result = await linkedinPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    expect((await livePosts(bakery))[0]).toMatchObject({ kind: "video", media: [asset.urn], text: target.text });
  });

  it("resumes a video upload interrupted at part 2 without sending part 1 again", async () => {
    const size = 2 * PART + 999;
    const target = job(member, "video", [await video(size)]);
    await addFault({ platform: "linkedin", method: "PUT", path: "/dms-uploads/sp/v2/*/uploadedVideo/1", status: 503, body: "" });
    const first = await linkedinPublisher.prepare(ctx, target);
    expect(first.kind).toBe("failed");
    if (first.kind !== "failed") return;
    expect(first.failure.kind).toBe("retry");
    expectSentence(first.failure.message);
    const interrupted = LinkedInCheckpoint.parse(first.checkpoint).assets[0];
    if (interrupted?.kind !== "video") throw new Error("no video asset");
    expect(interrupted.parts.map((p) => Boolean(p.etag))).toEqual([true, false, false]);

    const since = await lastCallId();
    const ready = await prepareUntilReady({ ...target, checkpoint: first.checkpoint });
    const calls = await sandboxCalls("linkedin", since);
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.path.split("/").at(-1))).toEqual(["1", "2"]);
    expect(calls.filter((c) => c.path === "/rest/videos").length).toBe(1); // finalize only, no new initialize
    const asset = LinkedInCheckpoint.parse(ready.checkpoint).assets[0];
    expect(asset).toMatchObject({ urn: interrupted.urn, finalized: true, available: true });
    if (asset?.kind === "video") expect(asset.parts[0]?.etag).toBe(interrupted.parts[0]?.etag);
    const result = await linkedinPublisher.commit(ctx, { ...ready, commitStartedAt: Date.now() });
    expect(result.kind).toBe("published");
    expect((await livePosts(member)).filter((p) => p.text === target.text)).toHaveLength(1);
  });

  it("spreads a long video over several prepare calls, reporting progress in between", async () => {
    const size = 8 * PART + 777;
    const target = job(bakery, "video", [await video(size)]);
    const first = await linkedinPublisher.prepare(ctx, target);
    expect(first).toMatchObject({ kind: "waiting", pollAfterSeconds: 0 });
    if (first.kind !== "waiting") return;
    expect(first.detail).toMatch(/^Uploaded 32 MB of 32 MB of the video to LinkedIn\.$/);
    const partial = LinkedInCheckpoint.parse(first.checkpoint).assets[0];
    if (partial?.kind !== "video") throw new Error("no video asset");
    expect(partial.parts.map((p) => Boolean(p.etag))).toEqual([true, true, true, true, true, true, true, true, false]);
    const since = await lastCallId();
    const ready = await prepareUntilReady({ ...target, checkpoint: first.checkpoint });
    const puts = (await sandboxCalls("linkedin", since)).filter((c) => c.method === "PUT");
    expect(puts.map((c) => c.path.split("/").at(-1))).toEqual(["8"]);
    expect(LinkedInCheckpoint.parse(ready.checkpoint).assets[0]).toMatchObject({ finalized: true, available: true });
  });

  it("escapes little-text reserved characters so the text arrives intact", async () => {
    const text = `Launch (beta) #news @team [docs] <b> a*b_c~d | {x} back\\slash ${crypto.randomUUID().slice(0, 6)}`;
    const { remoteId } = await publish(job(member, "text", [], { text }));
    const post = (await livePosts(member)).find((p) => p.id === remoteId);
    expect(post?.text).toBe(text);
    expect(post?.data.truncated).toBe(false);
  });

  it("reconciles a lost create response to the one post that went live", async () => {
    const target = job(bakery, "text", []);
    const before = (await livePosts(bakery)).length;
    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", mode: "after", status: 504, body: "" });
    const commitStartedAt = Date.now();
    const result = await linkedinPublisher.commit(ctx, { ...target, commitStartedAt });
    expect(result.kind).toBe("uncertain");
    if (result.kind !== "uncertain") return;
    expectSentence(result.detail);
    const reconciled = await linkedinPublisher.reconcile(ctx, { ...target, checkpoint: result.checkpoint, commitStartedAt });
    expect(reconciled.kind).toBe("published");
    if (reconciled.kind !== "published") return;
    expectSentence(reconciled.checked);
    const posts = await livePosts(bakery);
    expect(posts.length).toBe(before + 1);
    expect(posts.filter((p) => p.text === target.text)).toHaveLength(1);
    expect(reconciled).toMatchObject({ remoteId: posts[0]?.id, url: posts[0]?.permalink });
  });

  it("reconciles an image post by its asset URN as well as its text", async () => {
    const ready = await prepareUntilReady(job(bakery, "image", [await image()]));
    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", mode: "after", status: 502, body: "" });
    const commitStartedAt = Date.now();
    expect((await linkedinPublisher.commit(ctx, { ...ready, commitStartedAt })).kind).toBe("uncertain");
    const reconciled = await linkedinPublisher.reconcile(ctx, { ...ready, commitStartedAt });
    expect(reconciled.kind).toBe("published");
    // Same text, different media: not this post.
    const other = await linkedinPublisher.reconcile(ctx, { ...ready, checkpoint: {}, media: [], format: "text", commitStartedAt });
    expect(other.kind).toBe("not_published");
  });

  it("reconciles to not_published when nothing went out, and the next commit makes exactly one post", async () => {
    const target = job(member, "text", []);
    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", mode: "respond", status: 500, body: "" });
    const commitStartedAt = Date.now();
    expect((await linkedinPublisher.commit(ctx, { ...target, commitStartedAt })).kind).toBe("uncertain");
    const reconciled = await linkedinPublisher.reconcile(ctx, { ...target, commitStartedAt });
    expect(reconciled.kind).toBe("not_published");
    if (reconciled.kind === "not_published") expectSentence(reconciled.checked);
    expect((await linkedinPublisher.commit(ctx, { ...target, commitStartedAt: Date.now() })).kind).toBe("published");
    expect((await livePosts(member)).filter((p) => p.text === target.text)).toHaveLength(1);
  });

  it("says unknown, with what was checked, when LinkedIn will not list the author's posts", async () => {
    const target = job(member, "text", []);
    await addFault({ platform: "linkedin", method: "GET", path: "/rest/posts", status: 403, body: { status: 403, serviceErrorCode: 100, code: "ACCESS_DENIED", message: "Not enough permissions to access: partnerApiPostsExternal.FINDER-author" } });
    const reconciled = await linkedinPublisher.reconcile(ctx, { ...target, commitStartedAt: Date.now() });
    expect(reconciled.kind).toBe("unknown");
    if (reconciled.kind === "unknown") {
      expect(reconciled.checked).toContain(member.name);
      expectSentence(reconciled.checked);
    }
  });

  it("deletes a published post; deleting it again is fine", async () => {
    const { remoteId, ready } = await publish(job(bakery, "text", []));
    const ref = { remoteId, accessToken: bakery.tokens.accessToken, channel: ready.channel, format: "text", checkpoint: ready.checkpoint };
    expect(await linkedinPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
    expect((await livePosts(bakery)).some((p) => p.id === remoteId)).toBe(false);
    expect(await linkedinPublisher.deleteRemote?.(ctx, ref)).toEqual({ ok: true });
  });

  it("explains a Page the member may not post for (no w_organization_social)", async () => {
    const grant = await connectGrant(linkedinAdapter, ctx, { scopes: ENOUGH_SCOPES_FOR_PAGES_LIST_ONLY });
    const page = grant.channels.find((c) => c.externalId === "2414183") as ChannelCandidate;
    const before = (await livePosts(page)).length;
    const result = await linkedinPublisher.commit(ctx, { ...job(page, "text", []), commitStartedAt: Date.now() });
    expect(result.kind).toBe("failed");
    if (result.kind !== "failed") return;
    expect(result.failure).toMatchObject({ kind: "reauth", status: 403, platformCode: "ACCESS_DENIED" });
    expect(result.failure.message).toContain(page.name);
    expectSentence(result.failure.message);
    const upload = await linkedinPublisher.prepare(ctx, job(page, "image", [await image()]));
    expect(upload).toMatchObject({ kind: "failed", failure: { kind: "reauth", status: 403 } });
    expect((await livePosts(page)).length).toBe(before);
  });

  it("turns a 429 into a retry at the daily reset (or at Retry-After when given)", async () => {
    const body = { status: 429, serviceErrorCode: 101, code: "TOO_MANY_REQUESTS", message: "Resource level throttle MEMBER DAY limit for calls to this resource is reached." };
    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", status: 429, body });
    const daily = await linkedinPublisher.commit(ctx, { ...job(member, "text", []), commitStartedAt: Date.now() });
    expect(daily.kind).toBe("failed");
    if (daily.kind !== "failed") return;
    expect(daily.failure).toMatchObject({ kind: "retry", status: 429, retryAfterSeconds: secondsUntilUtcMidnight(ctx.now) });
    expectSentence(daily.failure.message);

    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", status: 429, headers: { "retry-after": "120" }, body: { status: 429, message: "Too many requests" } });
    const throttled = await linkedinPublisher.commit(ctx, { ...job(member, "text", []), commitStartedAt: Date.now() });
    expect(throttled).toMatchObject({ kind: "failed", failure: { kind: "retry", retryAfterSeconds: 120 } });
  });

  it("maps a retired API version, an expired token and a validation error to sentences", async () => {
    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", status: 426, body: { status: 426, code: "NONEXISTENT_VERSION", message: "Requested version 202410 is not active" } });
    const retired = await linkedinPublisher.commit(ctx, { ...job(member, "text", []), commitStartedAt: Date.now() });
    expect(retired).toMatchObject({ kind: "failed", failure: { kind: "fatal", status: 426 } });
    if (retired.kind === "failed") expectSentence(retired.failure.message);

    await addFault({ platform: "linkedin", method: "POST", path: "/rest/posts", status: 401, body: { status: 401, serviceErrorCode: 65602, code: "EXPIRED_ACCESS_TOKEN", message: "The token used in the request has expired" } });
    const expired = await linkedinPublisher.commit(ctx, { ...job(member, "text", []), commitStartedAt: Date.now() });
    expect(expired).toMatchObject({ kind: "failed", failure: { kind: "refresh" } });

    const tooLong = await linkedinPublisher.commit(ctx, { ...job(member, "text", [], { text: "x".repeat(3001) }), commitStartedAt: Date.now() });
    expect(tooLong).toMatchObject({ kind: "failed", failure: { kind: "fatal", status: 422 } });
    if (tooLong.kind === "failed") {
      expect(tooLong.failure.message).toMatch(/commentary/);
      expectSentence(tooLong.failure.message);
    }
  });

  it("refuses what cannot work before uploading anything", async () => {
    const pageToConnections = await linkedinPublisher.prepare(ctx, job(bakery, "text", [], { options: { visibility: "CONNECTIONS" } }));
    expect(pageToConnections).toMatchObject({ kind: "failed", failure: { kind: "fatal" } });
    const oneImage = await linkedinPublisher.prepare(ctx, job(member, "images", [await image()]));
    expect(oneImage).toMatchObject({ kind: "failed", failure: { kind: "fatal" } });
    if (oneImage.kind === "failed") expectSentence(oneImage.failure.message);
    const notPrepared = await linkedinPublisher.commit(ctx, { ...job(member, "image", [await image()]), commitStartedAt: Date.now() });
    expect(notPrepared).toMatchObject({ kind: "failed", notReady: true });
  });
});
