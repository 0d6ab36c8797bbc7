import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { youtubeAdapter } from "../../worker/platforms/youtube";
import { secondsUntilPacificMidnight } from "../../worker/platforms/youtube-errors";
import type { TokenSet } from "../../worker/platforms/types";
import { SANDBOX } from "../helpers/connect";
import { adapterContext, connectGrant } from "../helpers/oauth-flow";
import { jpeg, mp4 } from "../publishing/adapter-fixtures";

/**
 * The sandbox's YouTube upload and Data API, called directly over HTTP with tokens from the sandbox's
 * own Google consent. The sandbox is shared by every test file: settings changed here are restored,
 * and the clock moves by small steps except in the last test (a day, then a week).
 */
const API = `${SANDBOX}/www.googleapis.com`;
const PERSONAL = "UCsbxSamSandboxPersonal1";
const BRAND = "UCsbxSamsKitchenBrand001";
const KIB = 1024;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let personal: TokenSet;
let brand: TokenSet;

async function tokensFor(channelId: string): Promise<TokenSet> {
  const grant = await connectGrant(youtubeAdapter, adapterContext(youtubeAdapter), { assets: [channelId] });
  return grant.tokens;
}

const control = (path: string, body: unknown) => fetch(`${SANDBOX}/_sandbox${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const reason = (body: Json) => body.error?.errors?.[0]?.reason as string | undefined;
const sandboxUrl = (location: string) => `${SANDBOX}/www.googleapis.com${new URL(location).pathname}${new URL(location).search}`;

async function call(method: string, path: string, init: { token?: string; json?: unknown; body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${init.token ?? personal.accessToken}`);
  let body: BodyInit | undefined = init.body ? new Uint8Array(init.body) : undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set("content-type", "application/json; charset=UTF-8");
  }
  const response = await fetch(path.startsWith("http") ? path : `${API}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : {} };
}

const metadata = (title: string, status: Json = { privacyStatus: "private", selfDeclaredMadeForKids: false }) => ({ snippet: { title, description: "Behind the scenes", tags: ["bakery"], categoryId: "22" }, status });

async function startSession(size: number, body: unknown = metadata(`Upload ${crypto.randomUUID().slice(0, 6)}`), token?: string): Promise<string> {
  const started = await call("POST", "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status", { json: body, token, headers: { "x-upload-content-length": String(size), "x-upload-content-type": "video/mp4" } });
  expect(started.status).toBe(200);
  return sandboxUrl(started.headers.get("location") ?? "");
}

const put = (session: string, range: string, bytes?: Uint8Array) => call("PUT", session, { headers: { "content-range": range }, ...(bytes ? { body: bytes } : {}) });

/** A whole upload in one request; answers the created video. */
async function uploadVideo(title: string, status?: Json, token?: string): Promise<Json> {
  const bytes = mp4(300 * KIB);
  const session = await startSession(bytes.byteLength, metadata(title, status), token);
  const done = await put(session, `bytes 0-${bytes.byteLength - 1}/${bytes.byteLength}`, bytes);
  expect(done.status).toBe(200);
  return done.body;
}

type Post = { id: string; text: string; received_at: number; data: Json };
async function postsOf(videoId: string): Promise<Post[]> {
  const body = (await (await fetch(`${SANDBOX}/_sandbox/posts?platform=youtube&account=${PERSONAL}`)).json()) as { posts: Post[] };
  return body.posts.filter((p) => p.id === videoId);
}

beforeAll(async () => {
  await control("/publishing/settings", { processingScale: 1 });
  personal = await tokensFor(PERSONAL);
  brand = await tokensFor(BRAND);
});

afterAll(async () => {
  await control("/youtube/quota", { unitsPerDay: null, uploadsPerDay: null });
});

describe("YouTube resumable upload (sandbox)", () => {
  it("starts a session only with a size and valid metadata, answering the session URI on the real host", async () => {
    const url = "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status";
    const noSize = await call("POST", url, { json: metadata("No size") });
    expect(noSize.status).toBe(400);
    expect(reason(noSize.body)).toBe("uploadContentLengthRequired");
    const noTitle = await call("POST", url, { json: { snippet: { description: "x" } }, headers: { "x-upload-content-length": "1000" } });
    expect([noTitle.status, reason(noTitle.body)]).toEqual([400, "invalidTitle"]);
    const publicScheduled = await call("POST", url, { json: metadata("Scheduled", { privacyStatus: "public", publishAt: new Date(Date.now() + 86_400_000).toISOString() }), headers: { "x-upload-content-length": "1000" } });
    expect([publicScheduled.status, reason(publicScheduled.body)]).toEqual([400, "invalidPublishAt"]);
    const notVideo = await call("POST", url, { json: metadata("Text"), headers: { "x-upload-content-length": "1000", "x-upload-content-type": "text/plain" } });
    expect(notVideo.status).toBe(400);
    const unauthenticated = await call("POST", url, { json: metadata("No token"), token: "sbx_nope", headers: { "x-upload-content-length": "1000" } });
    expect([unauthenticated.status, reason(unauthenticated.body)]).toEqual([401, "authError"]);

    const started = await call("POST", url, { json: metadata("Fine"), headers: { "x-upload-content-length": "1000", "x-upload-content-type": "video/mp4" } });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({});
    expect(started.headers.get("location")).toMatch(/^https:\/\/www\.googleapis\.com\/upload\/youtube\/v3\/videos\?uploadType=resumable&part=snippet,status&upload_id=[\w-]+$/);
  });

  it("takes 256 KiB-multiple chunks in order, answers 308 with the Range it holds, and the last byte creates one private video", async () => {
    const size = 600 * KIB;
    const bytes = mp4(size);
    const session = await startSession(size);
    const empty = await put(session, `bytes */${size}`);
    expect(empty.status).toBe(308);
    expect(empty.headers.get("range")).toBeNull();

    const odd = await put(session, `bytes 0-${100 * KIB - 1}/${size}`, bytes.slice(0, 100 * KIB));
    expect([odd.status, reason(odd.body)]).toEqual([400, "badChunkSize"]);
    const first = await put(session, `bytes 0-${256 * KIB - 1}/${size}`, bytes.slice(0, 256 * KIB));
    expect(first.status).toBe(308);
    expect(first.headers.get("range")).toBe(`bytes=0-${256 * KIB - 1}`);
    const skipped = await put(session, `bytes ${512 * KIB}-${size - 1}/${size}`, bytes.slice(512 * KIB));
    expect(skipped.status).toBe(400);
    const wrongTotal = await put(session, `bytes ${256 * KIB}-${512 * KIB - 1}/${size + 1}`, bytes.slice(256 * KIB, 512 * KIB));
    expect(wrongTotal.status).toBe(400);
    const shortBody = await put(session, `bytes ${256 * KIB}-${512 * KIB - 1}/${size}`, bytes.slice(256 * KIB, 300 * KIB));
    expect(shortBody.status).toBe(400);
    const probe = await put(session, `bytes */${size}`);
    expect([probe.status, probe.headers.get("range")]).toEqual([308, `bytes=0-${256 * KIB - 1}`]);

    const last = await put(session, `bytes ${256 * KIB}-${size - 1}/${size}`, bytes.slice(256 * KIB));
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ kind: "youtube#video", snippet: { channelId: PERSONAL, description: "Behind the scenes", tags: ["bakery"] }, status: { uploadStatus: "uploaded", privacyStatus: "private", selfDeclaredMadeForKids: false } });
    const videoId = last.body.id as string;
    // A finished session never takes a second upload: the probe and any PUT answer the same video.
    expect((await put(session, `bytes */${size}`)).body.id).toBe(videoId);
    expect((await put(session, `bytes 0-${size - 1}/${size}`, bytes)).body.id).toBe(videoId);
    const facts = (await (await fetch(`${SANDBOX}/_sandbox/youtube/videos/${videoId}`)).json()) as Json;
    expect(facts).toMatchObject({ sizeBytes: size, uploadRanges: [`bytes 0-${256 * KIB - 1}/${size}`, `bytes ${256 * KIB}-${size - 1}/${size}`] });
    expect(await postsOf(videoId)).toHaveLength(0);
  });

  it("reports processing through videos.list until sandbox time passes it", async () => {
    const video = await uploadVideo("Processing");
    const list = () => call("GET", `/youtube/v3/videos?part=status,processingDetails&id=${video.id}`);
    expect((await list()).body.items[0]).toMatchObject({ status: { uploadStatus: "uploaded" }, processingDetails: { processingStatus: "processing" } });
    await control("/clock", { advanceMs: 10_000 });
    expect((await list()).body.items[0]).toMatchObject({ status: { uploadStatus: "processed" }, processingDetails: { processingStatus: "succeeded" } });
    const bogus = await call("GET", `/youtube/v3/videos?part=status,bogus&id=${video.id}`);
    expect([bogus.status, reason(bogus.body)]).toEqual([400, "unknownPart"]);
  });

  it("publishes a private video with a due publishAt by itself, recorded at that instant", async () => {
    const now = ((await (await control("/clock", { advanceMs: 0 })).json()) as { now: number }).now;
    const publishAt = new Date(Math.ceil((now + 60_000) / 1000) * 1000).toISOString();
    const video = await uploadVideo("Scheduled", { privacyStatus: "private", publishAt });
    expect(video.status).toMatchObject({ privacyStatus: "private", publishAt });
    expect(await postsOf(video.id)).toHaveLength(0);
    await control("/clock", { advanceMs: 61_000 });
    const listed = await call("GET", `/youtube/v3/videos?part=status&id=${video.id}`);
    expect(listed.body.items[0].status.privacyStatus).toBe("public");
    const posts = await postsOf(video.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.received_at).toBe(Date.parse(publishAt));
  });

  it("videos.update replaces each sent part: left-out fields are cleared, title and category are required", async () => {
    const video = await uploadVideo("Original");
    const update = (json: unknown, part = "snippet,status") => call("PUT", `/youtube/v3/videos?part=${part}`, { json });
    const noCategory = await update({ id: video.id, snippet: { title: "x" } }, "snippet");
    expect([noCategory.status, reason(noCategory.body)]).toEqual([400, "invalidCategoryId"]);
    const noTitle = await update({ id: video.id, snippet: { categoryId: "22" } }, "snippet");
    expect([noTitle.status, reason(noTitle.body)]).toEqual([400, "invalidTitle"]);

    const titleOnly = await update({ id: video.id, snippet: { title: "Renamed", categoryId: "22" } }, "snippet");
    expect(titleOnly.status).toBe(200);
    expect(titleOnly.body.snippet).toMatchObject({ title: "Renamed", description: "" });
    expect(titleOnly.body.snippet.tags).toBeUndefined();
    expect(await postsOf(video.id)).toHaveLength(0);

    const before = Date.now();
    const goLive = await update({ id: video.id, snippet: { title: "Renamed", description: "Now public", categoryId: "22" }, status: { privacyStatus: "public", selfDeclaredMadeForKids: false } });
    expect(goLive.body.status).toMatchObject({ privacyStatus: "public" });
    const posts = await postsOf(video.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ text: "Renamed", data: { privacyStatus: "public", description: "Now public" } });
    expect(posts[0]!.received_at).toBeGreaterThanOrEqual(before);

    // A status part without privacyStatus resets it (to private), like any other left-out field.
    const statusOnly = await update({ id: video.id, status: { embeddable: false } }, "status");
    expect(statusOnly.body.status).toMatchObject({ privacyStatus: "private", embeddable: false });
    expect((await postsOf(video.id))[0]).toMatchObject({ text: "Renamed", data: { privacyStatus: "private" } });

    const missing = await update({ id: "AAAAAAAAAAA", snippet: { title: "x", categoryId: "22" } }, "snippet");
    expect([missing.status, reason(missing.body)]).toEqual([404, "videoNotFound"]);
    const foreign = await call("PUT", "/youtube/v3/videos?part=snippet", { token: brand.accessToken, json: { id: video.id, snippet: { title: "Mine", categoryId: "22" } } });
    expect([foreign.status, reason(foreign.body)]).toEqual([403, "forbidden"]);
  });

  it("deletes a video (204), then answers 404 videoNotFound, and its post is gone", async () => {
    const video = await uploadVideo("To delete", { privacyStatus: "public" });
    expect(await postsOf(video.id)).toHaveLength(1);
    expect((await call("DELETE", `/youtube/v3/videos?id=${video.id}`)).status).toBe(204);
    const again = await call("DELETE", `/youtube/v3/videos?id=${video.id}`);
    expect([again.status, reason(again.body)]).toEqual([404, "videoNotFound"]);
    expect(await postsOf(video.id)).toHaveLength(0);
    expect((await call("GET", `/youtube/v3/videos?part=snippet&id=${video.id}`)).body.items).toEqual([]);
  });

  it("sets JPEG/PNG thumbnails up to 2 MB, only on verified channels", async () => {
    const video = await uploadVideo("Thumbnail");
    const set = (bytes: Uint8Array, type: string, token?: string, id = video.id as string) => call("POST", `/upload/youtube/v3/thumbnails/set?videoId=${id}&uploadType=media`, { token, body: bytes, headers: { "content-type": type } });
    const ok = await set(jpeg(1280, 720), "image/jpeg");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kind: "youtube#thumbnailSetResponse", items: [{ default: { url: expect.stringContaining(video.id) } }] });
    const tooBig = await set(jpeg(1280, 720, 2 * 1024 * 1024 + 1), "image/jpeg");
    expect([tooBig.status, reason(tooBig.body)]).toEqual([400, "failedPrecondition"]);
    const gif = await set(new TextEncoder().encode("GIF89a-not-really"), "image/gif");
    expect([gif.status, reason(gif.body)]).toEqual([400, "imageFormatUnsupported"]);
    const brandVideo = await uploadVideo("Brand", undefined, brand.accessToken);
    const unverified = await set(jpeg(1280, 720), "image/jpeg", brand.accessToken, brandVideo.id);
    expect([unverified.status, reason(unverified.body)]).toEqual([403, "forbidden"]);
  });

  it("answers quotaExceeded when the daily units or uploads are spent", async () => {
    await control("/youtube/quota", { unitsPerDay: 0 });
    const spent = await call("GET", "/youtube/v3/videos?part=status&id=x");
    expect(spent.status).toBe(403);
    expect(spent.body.error).toMatchObject({ code: 403, status: "PERMISSION_DENIED", errors: [{ reason: "quotaExceeded", domain: "youtube.quota" }] });
    await control("/youtube/quota", { unitsPerDay: null, uploadsPerDay: 0 });
    const noUploads = await call("POST", "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status", { json: metadata("Over"), headers: { "x-upload-content-length": "1000" } });
    expect([noUploads.status, reason(noUploads.body)]).toEqual([403, "quotaExceeded"]);
    await control("/youtube/quota", { uploadsPerDay: null });
  });

  it("resets the quota at midnight Pacific time, and expires an upload session after a week (moves the clock)", async () => {
    const usage = (await (await fetch(`${SANDBOX}/_sandbox/youtube/quota`)).json()) as { day: string; units: number };
    await control("/youtube/quota", { unitsPerDay: usage.units + 1 });
    expect((await call("GET", "/youtube/v3/videos?part=status&id=x")).status).toBe(200);
    expect(reason((await call("GET", "/youtube/v3/videos?part=status&id=x")).body)).toBe("quotaExceeded");
    const session = await startSession(1000);

    const now = ((await (await control("/clock", { advanceMs: 0 })).json()) as { now: number }).now;
    await control("/clock", { advanceMs: secondsUntilPacificMidnight(now) * 1000 + 5_000 });
    const fresh = await youtubeAdapter.refresh(adapterContext(youtubeAdapter), personal);
    if (!fresh.ok) throw new Error(fresh.failure.message);
    const nextDay = (await (await fetch(`${SANDBOX}/_sandbox/youtube/quota`)).json()) as { day: string; units: number };
    expect(nextDay.day).not.toBe(usage.day);
    expect((await call("GET", "/youtube/v3/videos?part=status&id=x", { token: fresh.value.accessToken })).status).toBe(200);

    await control("/clock", { advanceMs: 7 * 86_400_000 });
    const expired = await put(session, "bytes */1000");
    expect([expired.status, reason(expired.body)]).toEqual([410, "uploadSessionExpired"]);
  });
});
