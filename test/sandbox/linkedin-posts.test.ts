import { beforeAll, describe, expect, it } from "vitest";
import { SAM_LINKEDIN } from "../../sandbox/platforms/linkedin";
import { LINKEDIN_VERSION, linkedinAdapter } from "../../worker/platforms/linkedin";
import { SANDBOX } from "../helpers/connect";
import { adapterContext, connectGrant } from "../helpers/oauth-flow";
import { jpeg, mp4 } from "../publishing/adapter-fixtures";

/** The sandbox's LinkedIn publishing protocol, driven over raw HTTP (linkedin.md §4–§6, §9, §12). */
const MEMBER = `urn:li:person:${SAM_LINKEDIN.sub}`;
const BAKERY = "urn:li:organization:2414183";
const STUDIO = "urn:li:organization:107654321";
const PART = 4 * 1024 * 1024;

let token = "";
let bakeryOnlyToken = "";

type Options = { method?: string; body?: unknown; bytes?: Uint8Array; version?: string | null; protocol?: string | null; auth?: string | null };

async function call(url: string, options: Options = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? token : options.auth;
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  if (options.version !== null) headers["linkedin-version"] = options.version ?? LINKEDIN_VERSION;
  if (options.protocol !== null) headers["x-restli-protocol-version"] = options.protocol ?? "2.0.0";
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const body: BodyInit | undefined = options.bytes ? new Blob([options.bytes as Uint8Array<ArrayBuffer>]) : options.body === undefined ? undefined : JSON.stringify(options.body);
  const real = new URL(url);
  return fetch(`${SANDBOX}/${real.host}${real.pathname}${real.search}`, { method: options.method ?? (body === undefined ? "GET" : "POST"), headers, ...(body === undefined ? {} : { body }) });
}

const rest = (path: string, options: Options = {}) => call(`https://api.linkedin.com/rest${path}`, options);

function post(author: string, commentary: string, extra: Record<string, unknown> = {}) {
  return { author, commentary, visibility: "PUBLIC", distribution: { feedDistribution: "MAIN_FEED", targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: "PUBLISHED", isReshareDisabledByAuthor: false, ...extra };
}

async function advance(ms: number): Promise<void> {
  expect((await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: ms }) })).status).toBe(200);
}

async function livePosts(author: string): Promise<{ id: string; kind: string; text: string; media: string[]; permalink: string }[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=linkedin&account=${encodeURIComponent(author)}`)).json()) as { posts: { id: string; kind: string; text: string; media: string[]; permalink: string }[] }).posts;
}

async function uploadImage(owner: string): Promise<string> {
  const init = await rest("/images?action=initializeUpload", { body: { initializeUploadRequest: { owner } } });
  expect(init.status).toBe(200);
  const { value } = (await init.json()) as { value: { uploadUrl: string; image: string } };
  expect((await call(value.uploadUrl, { method: "PUT", bytes: jpeg(800, 600), version: null, protocol: null })).status).toBe(201);
  return value.image;
}

beforeAll(async () => {
  await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ processingScale: 1 }) });
  const ctx = adapterContext(linkedinAdapter);
  token = (await connectGrant(linkedinAdapter, ctx)).tokens.accessToken;
  bakeryOnlyToken = (await connectGrant(linkedinAdapter, ctx, { assets: ["2414183"] })).tokens.accessToken;
});

describe("LinkedIn sandbox: headers and envelopes", () => {
  it("refuses a missing LinkedIn-Version (400), a retired one (426) and a missing Rest.li 2.0 header (400)", async () => {
    const missing = await rest("/posts", { body: post(MEMBER, "hi"), version: null });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 400, code: "VERSION_MISSING" });
    const retired = await rest("/posts", { body: post(MEMBER, "hi"), version: "202401" });
    expect(retired.status).toBe(426);
    expect(await retired.json()).toEqual({ status: 426, code: "NONEXISTENT_VERSION", message: "Requested version 202401 is not active" });
    const protocol = await rest("/posts", { body: post(MEMBER, "hi"), protocol: null });
    expect(protocol.status).toBe(400);
    expect(await protocol.json()).toMatchObject({ status: 400, serviceErrorCode: 100, code: "BAD_REQUEST" });
    expect(await livePosts(MEMBER)).toEqual([]);
  });

  it("creates a post with 201, an empty body and the URN only in x-restli-id", async () => {
    const response = await rest("/posts", { body: post(MEMBER, "Hello from the sandbox") });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("");
    const urn = response.headers.get("x-restli-id") ?? "";
    expect(urn).toMatch(/^urn:li:share:\d{19}$/);
    expect((await livePosts(MEMBER))[0]).toMatchObject({ id: urn, kind: "text", text: "Hello from the sandbox", permalink: `https://www.linkedin.com/feed/update/${urn}/` });
  });

  it("silently truncates commentary at an unescaped reserved character, keeps escaped ones", async () => {
    const raw = await rest("/posts", { body: post(MEMBER, "Launch day (finally) is here #news") });
    expect(raw.status).toBe(201);
    const escaped = await rest("/posts", { body: post(MEMBER, "Launch day \\(finally\\) is here \\#news") });
    expect(escaped.status).toBe(201);
    const posts = await livePosts(MEMBER);
    expect(posts.find((p) => p.id === raw.headers.get("x-restli-id"))?.text).toBe("Launch day ");
    expect(posts.find((p) => p.id === escaped.headers.get("x-restli-id"))?.text).toBe("Launch day (finally) is here #news");
  });

  it("validates the body: visibility for Pages, distribution, empty posts", async () => {
    const connections = await rest("/posts", { body: post(BAKERY, "Only friends", { visibility: "CONNECTIONS" }) });
    expect(connections.status).toBe(422);
    expect(await connections.json()).toMatchObject({ status: 422, code: "UNPROCESSABLE_ENTITY", message: expect.stringMatching(/^ERROR :: \/visibility :: /) });
    const noDistribution = await rest("/posts", { body: { ...post(MEMBER, "x"), distribution: undefined } });
    expect(noDistribution.status).toBe(422);
    expect((await rest("/posts", { body: post(MEMBER, "   ") })).status).toBe(422);
    expect((await rest("/posts", { body: post(MEMBER, "x".repeat(3001)) })).status).toBe(422);
  });

  it("lets a member post for a Page only with the administrator role and w_organization_social", async () => {
    const denied = await rest("/posts", { body: post(STUDIO, "Not my page"), auth: bakeryOnlyToken });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ status: 403, serviceErrorCode: 100, code: "ACCESS_DENIED" });
    expect((await rest("/posts", { body: post(BAKERY, "My page"), auth: bakeryOnlyToken })).status).toBe(201);
    expect((await rest("/posts", { body: post("urn:li:person:someoneElse", "Impersonation") })).status).toBe(403);
  });
});

describe("LinkedIn sandbox: images", () => {
  it("runs WAITING_UPLOAD → PROCESSING → AVAILABLE for a Page image and refuses posts until AVAILABLE", async () => {
    const init = await rest("/images?action=initializeUpload", { body: { initializeUploadRequest: { owner: BAKERY } } });
    const { value } = (await init.json()) as { value: { uploadUrl: string; image: string; uploadUrlExpiresAt: number } };
    expect(value.image).toMatch(/^urn:li:image:C4E10AQ/);
    expect(value.uploadUrl).toMatch(/^https:\/\/www\.linkedin\.com\/dms-uploads\//);
    const status = async () => ((await (await rest(`/images/${encodeURIComponent(value.image)}`)).json()) as { status: string }).status;
    expect(await status()).toBe("WAITING_UPLOAD");
    expect((await call(value.uploadUrl, { method: "PUT", bytes: jpeg(800, 600), version: null, protocol: null })).status).toBe(201);
    expect(await status()).toBe("PROCESSING");
    const early = await rest("/posts", { body: post(BAKERY, "Photo", { content: { media: { id: value.image } } }) });
    expect(early.status).toBe(422);
    expect(await early.json()).toMatchObject({ message: expect.stringMatching(/not ready.*PROCESSING/) });
    await advance(3000);
    expect(await status()).toBe("AVAILABLE");
    expect((await rest("/posts", { body: post(BAKERY, "Photo", { content: { media: { id: value.image, altText: "A cake" } } }) })).status).toBe(201);
    expect((await livePosts(BAKERY))[0]).toMatchObject({ kind: "image", media: [value.image] });
  });

  it("refuses to read member-owned images (write-only for member tokens) and media owned by someone else", async () => {
    const image = await uploadImage(MEMBER);
    const read = await rest(`/images/${encodeURIComponent(image)}`);
    expect(read.status).toBe(403);
    await advance(3000);
    const foreign = await rest("/posts", { body: post(BAKERY, "Stolen", { content: { media: { id: image } } }) });
    expect(foreign.status).toBe(422);
    const second = await uploadImage(MEMBER);
    await advance(3000);
    const multi = await rest("/posts", { body: post(MEMBER, "Two", { content: { multiImage: { images: [{ id: image }, { id: second }] } } }) });
    expect(multi.status).toBe(201);
    expect((await livePosts(MEMBER))[0]).toMatchObject({ kind: "images", media: [image, second] });
  });
});

describe("LinkedIn sandbox: videos", () => {
  it("splits into 4 MiB parts, checks part lengths, and finalizes only with every ETag in order", async () => {
    const size = 2 * PART + 1234;
    const bytes = mp4(size);
    const init = await rest("/videos?action=initializeUpload", { body: { initializeUploadRequest: { owner: MEMBER, fileSizeBytes: size, uploadCaptions: false, uploadThumbnail: false } } });
    expect(init.status).toBe(200);
    const { value } = (await init.json()) as { value: { video: string; uploadToken: string; uploadInstructions: { uploadUrl: string; firstByte: number; lastByte: number }[] } };
    expect(value.uploadInstructions.map((i) => [i.firstByte, i.lastByte])).toEqual([[0, PART - 1], [PART, 2 * PART - 1], [2 * PART, size - 1]]);
    const [first, second, third] = value.uploadInstructions as [(typeof value.uploadInstructions)[number], (typeof value.uploadInstructions)[number], (typeof value.uploadInstructions)[number]];
    const put = (i: { uploadUrl: string; firstByte: number; lastByte: number }, slice = bytes.subarray(i.firstByte, i.lastByte + 1)) => call(i.uploadUrl, { method: "PUT", bytes: slice, version: null, protocol: null });

    expect((await put(first, bytes.subarray(0, 100))).status).toBe(400);
    const etags: string[] = [];
    for (const instruction of [first, second]) {
      const response = await put(instruction);
      expect(response.status).toBe(200);
      etags.push((response.headers.get("etag") ?? "").replace(/"/g, ""));
    }
    const finalize = (ids: string[], uploadToken = value.uploadToken) => rest("/videos?action=finalizeUpload", { body: { finalizeUploadRequest: { video: value.video, uploadToken, uploadedPartIds: ids } } });
    expect((await finalize(etags)).status).toBe(400); // part 3 missing
    const last = await put(third);
    etags.push((last.headers.get("etag") ?? "").replace(/"/g, ""));
    expect(new Set(etags).size).toBe(3);
    expect((await finalize([etags[1], etags[0], etags[2]] as string[])).status).toBe(400);
    expect((await finalize(etags, "wrong-token")).status).toBe(400);
    const status = async () => ((await (await rest(`/videos/${encodeURIComponent(value.video)}`)).json()) as { status: string }).status;
    expect(await status()).toBe("WAITING_UPLOAD");
    expect((await finalize(etags)).status).toBe(200);
    expect((await finalize(etags)).status).toBe(400); // already finalized
    expect(await status()).toBe("PROCESSING");
    await advance(60_000);
    expect(await status()).toBe("AVAILABLE");
    const created = await rest("/posts", { body: post(MEMBER, "Watch this", { content: { media: { id: value.video, title: "Clip" } } }) });
    expect(created.status).toBe(201);
    expect((await livePosts(MEMBER))[0]).toMatchObject({ kind: "video", media: [value.video] });
  });
});

describe("LinkedIn sandbox: finder and delete", () => {
  it("lists an author's posts newest first and deletes by encoded URN (404 once gone)", async () => {
    const urns: string[] = [];
    for (const text of ["first", "second"]) urns.push((await rest("/posts", { body: post(BAKERY, `Finder ${text}`) })).headers.get("x-restli-id") ?? "");
    const list = await rest(`/posts?author=${encodeURIComponent(BAKERY)}&q=author&count=2&sortBy=LAST_MODIFIED`);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { elements: { id: string; commentary: string; createdAt: number; publishedAt: number; author: string }[] };
    expect(body.elements.map((e) => e.id)).toEqual([urns[1], urns[0]]);
    expect(body.elements[0]).toMatchObject({ author: BAKERY, commentary: "Finder second", createdAt: expect.any(Number), publishedAt: expect.any(Number) });

    const path = `/posts/${encodeURIComponent(urns[1] as string)}`;
    expect((await rest(path, { method: "DELETE" })).status).toBe(204);
    expect((await livePosts(BAKERY)).some((p) => p.id === urns[1])).toBe(false);
    const again = await rest(path, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });
});
