import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_APPS } from "../../sandbox/apps";
import { TestClock } from "../helpers/client";
import { jpeg } from "../media/fixtures";
import { setup, uploadSmall } from "../media/media-client";

/**
 * The sandbox's Facebook Page and Instagram publishing endpoints, called directly over HTTP with real
 * Page tokens obtained through the sandbox's own Login dialog, code exchange and `/me/accounts`.
 * The sandbox is shared by every test file: this file never resets it, restores the publishing
 * settings it changes, and moves the clock forward only by small steps (except the last test).
 */
const SANDBOX = "http://sandbox.test";
const GRAPH = `${SANDBOX}/graph.facebook.com/v23.0`;
const COFFEE = "104938271234567";
const COFFEE_IG = "17841400000000001";
const MEDIA = "http://media.example";
const ALL_SCOPES = ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "pages_manage_engagement", "instagram_basic", "instagram_content_publish", "instagram_manage_comments"];

type GraphError = { error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string } };
type Json = Record<string, unknown>;
type Post = { id: string; platform: string; account_id: string; kind: string; text: string; media: string[]; permalink: string };

/** Consent (unattended) → code → long-lived user token → the Page's token from `/me/accounts`. */
async function pageToken(pageId: string, scopes = ALL_SCOPES): Promise<{ page: string; user: string }> {
  const app = SANDBOX_APPS.meta;
  const redirectUri = "http://atelier.test/oauth/facebook/callback";
  const dialog = new URL(`${SANDBOX}/www.facebook.com/v23.0/dialog/oauth`);
  for (const [k, v] of Object.entries({ client_id: app.clientId, redirect_uri: redirectUri, state: "st", response_type: "code", scope: ALL_SCOPES.join(","), sandbox_auto: "approve", sandbox_scopes: scopes.join(",") })) dialog.searchParams.set(k, v);
  const consent = await fetch(dialog, { redirect: "manual" });
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const exchange = (query: Record<string, string>) => fetch(`${GRAPH}/oauth/access_token?${new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...query })}`).then((r) => r.json() as Promise<{ access_token: string }>);
  const short = await exchange({ redirect_uri: redirectUri, code });
  const long = await exchange({ grant_type: "fb_exchange_token", fb_exchange_token: short.access_token });
  const accounts = (await (await fetch(`${GRAPH}/me/accounts?fields=id,access_token`, { headers: { authorization: `Bearer ${long.access_token}` } })).json()) as { data: { id: string; access_token: string }[] };
  const page = accounts.data.find((p) => p.id === pageId)?.access_token;
  if (!page) throw new Error(`no token for Page ${pageId}`);
  return { page, user: long.access_token };
}

type CallOptions = { token?: string; form?: Record<string, string>; json?: unknown; body?: BodyInit; headers?: Record<string, string>; base?: string };

async function graph<T = Json>(method: string, path: string, options: CallOptions = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `OAuth ${options.token}`);
  let body: BodyInit | undefined = options.body;
  if (options.form) body = new URLSearchParams(options.form);
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("content-type", "application/json");
  }
  const response = await fetch(`${options.base ?? GRAPH}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, body: (await response.json()) as T };
}

const control = (path: string, body: unknown) => fetch(`${SANDBOX}/_sandbox${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const advance = (ms: number) => control("/clock", { advanceMs: ms });
const settings = (body: Json) => control("/publishing/settings", body).then((r) => r.json() as Promise<{ settings: { processingScale: number; igPublishLimitPerDay: number } }>);

async function posts(platform: string, account: string): Promise<Post[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=${platform}&account=${account}`)).json()) as { posts: Post[] }).posts;
}
const countOf = async (platform: string, account: string, id: string) => (await posts(platform, account)).filter((p) => p.id === id).length;

function expectGraphError(result: { status: number; body: unknown }, code: number, subcode?: number): GraphError["error"] {
  expect(result.status).toBeGreaterThanOrEqual(400);
  const error = (result.body as GraphError).error;
  expect(error).toMatchObject({ code, type: expect.any(String), message: expect.any(String), fbtrace_id: expect.any(String) });
  if (subcode !== undefined) expect(error.error_subcode).toBe(subcode);
  return error;
}

function mp4Bytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0, ...new TextEncoder().encode("isomiso2")]);
  return bytes;
}

let token = "";
let userToken = "";

beforeAll(async () => {
  await settings({ processingScale: 1, igPublishLimitPerDay: 100 });
  ({ page: token, user: userToken } = await pageToken(COFFEE));
});
afterAll(async () => {
  await settings({ processingScale: 1, igPublishLimitPerDay: 100 });
});

describe("sandbox: Facebook Page publishing", () => {
  it("publishes a text post once: id {page}_{n}, listed newest first, readable by id with its permalink", async () => {
    const message = `Hello from the sandbox ${crypto.randomUUID()}`;
    const created = await graph<{ id: string }>("POST", `/${COFFEE}/feed`, { token, form: { message } });
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(new RegExp(`^${COFFEE}_\\d{18}$`));
    expect(await countOf("facebook", COFFEE, created.body.id)).toBe(1);
    expect((await posts("facebook", COFFEE))[0]).toMatchObject({ id: created.body.id, kind: "feed", text: message });

    const listed = await graph<{ data: Json[] }>("GET", `/${COFFEE}/published_posts?fields=id,message,created_time,permalink_url&limit=5`, { token });
    expect(listed.body.data[0]).toEqual({ id: created.body.id, message, created_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/), permalink_url: expect.stringContaining("https://www.facebook.com/") });
    expect((await graph<{ data: Json[] }>("GET", `/${COFFEE}/feed?fields=id`, { token })).body.data[0]).toEqual({ id: created.body.id });
    const read = await graph("GET", `/${created.body.id}?fields=permalink_url,message,created_time`, { token });
    expect(read.body).toMatchObject({ id: created.body.id, message, permalink_url: listed.body.data[0]?.permalink_url });
  });

  it("publishes a link post, and asks for a message or link", async () => {
    const created = await graph<{ id: string; permalink_url: string }>("POST", `/${COFFEE}/feed?fields=id,permalink_url`, { token, json: { message: "Read this", link: "https://example.com/article" } });
    expect(created.body.permalink_url).toMatch(/^https:\/\/www\.facebook\.com\//);
    expect((await posts("facebook", COFFEE)).find((p) => p.id === created.body.id)).toMatchObject({ kind: "link", media: ["https://example.com/article"] });
    expectGraphError(await graph("POST", `/${COFFEE}/feed`, { token, form: {} }), 100);
    // Native scheduling: published=false and 10 minutes … 75 days ahead; never goes live in the sandbox.
    const soon = String(Math.floor(Date.now() / 1000) + 60);
    expectGraphError(await graph("POST", `/${COFFEE}/feed`, { token, form: { message: "x", published: "false", scheduled_publish_time: soon } }), 100);
    const later = await graph<{ id: string }>("POST", `/${COFFEE}/feed`, { token, form: { message: "later", published: "false", scheduled_publish_time: String(Math.floor(Date.now() / 1000) + 7 * 86_400) } });
    expect(await countOf("facebook", COFFEE, later.body.id)).toBe(0);
  });

  it("publishes a single photo ({id, post_id}) and refuses an unreachable URL", async () => {
    const created = await graph<{ id: string; post_id: string }>("POST", `/${COFFEE}/photos`, { token, form: { url: `${MEDIA}/photo.jpg`, caption: "A photo" } });
    expect(created.body).toEqual({ id: expect.stringMatching(/^\d{18}$/), post_id: expect.stringMatching(new RegExp(`^${COFFEE}_\\d+$`)) });
    expect((await posts("facebook", COFFEE)).filter((p) => p.id === created.body.post_id)).toMatchObject([{ kind: "photo", text: "A photo", media: [`${MEDIA}/photo.jpg`] }]);
    expectGraphError(await graph("POST", `/${COFFEE}/photos`, { token, form: { url: `${MEDIA}/missing.jpg` } }), 324);
    expectGraphError(await graph("POST", `/${COFFEE}/photos`, { token, form: { url: `${MEDIA}/notes.txt` } }), 100, 1366046);
  });

  it("publishes a multi-photo post from unpublished photos once; reusing them is refused", async () => {
    const before = (await posts("facebook", COFFEE)).length;
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) ids.push((await graph<{ id: string }>("POST", `/${COFFEE}/photos`, { token, form: { url: `${MEDIA}/photo.jpg`, published: "false" } })).body.id);
    expect((await posts("facebook", COFFEE)).length).toBe(before);
    const form: Record<string, string> = { message: "Two photos" };
    ids.forEach((id, i) => (form[`attached_media[${i}]`] = JSON.stringify({ media_fbid: id })));
    const created = await graph<{ id: string }>("POST", `/${COFFEE}/feed`, { token, form });
    expect(created.status).toBe(200);
    expect((await posts("facebook", COFFEE)).filter((p) => p.id === created.body.id)).toMatchObject([{ kind: "multi_photo", media: [`${MEDIA}/photo.jpg`, `${MEDIA}/photo.jpg`] }]);
    expectGraphError(await graph("POST", `/${COFFEE}/feed`, { token, json: { message: "Again", attached_media: ids.map((media_fbid) => ({ media_fbid })) } }), 100, 1366051);
    expect((await posts("facebook", COFFEE)).length).toBe(before + 1);
  });

  it("publishes a video by file_url; its status goes processing → ready in sandbox time", async () => {
    const created = await graph<{ id: string }>("POST", `/${COFFEE}/videos`, { token, form: { file_url: `${MEDIA}/clip.mp4?bytes=1500000`, description: "A video", title: "Clip" } });
    expect(created.body.id).toMatch(/^\d{16}$/);
    const status = () => graph<{ status: { video_status: string; processing_phase: { status: string } } }>("GET", `/${created.body.id}?fields=status`, { token });
    expect((await status()).body.status).toMatchObject({ video_status: "processing", processing_phase: { status: "in_progress" } });
    await advance(12_500); // 10 s + 2 MB × 1 s
    expect((await status()).body.status).toMatchObject({ video_status: "ready", publishing_phase: { publish_status: "published" } });
    expect((await posts("facebook", COFFEE)).filter((p) => p.id === `${COFFEE}_${created.body.id}`)).toMatchObject([{ kind: "video", text: "A video" }]);
  });

  it("a video whose URL is broken never goes live and reports error", async () => {
    const created = await graph<{ id: string }>("POST", `/${COFFEE}/videos`, { token, form: { file_url: `${MEDIA}/missing.jpg`, description: "Broken" } });
    await advance(10_500);
    expect((await graph<{ status: { video_status: string } }>("GET", `/${created.body.id}?fields=status`, { token })).body.status.video_status).toBe("error");
    expect(await countOf("facebook", COFFEE, `${COFFEE}_${created.body.id}`)).toBe(0);
  });

  it("uploads a video in chunks on graph-video.facebook.com (start → transfer → finish)", async () => {
    const base = `${SANDBOX}/graph-video.facebook.com/v23.0`;
    const file = mp4Bytes(1_500_000);
    const start = await graph<{ video_id: string; upload_session_id: string; start_offset: string; end_offset: string }>("POST", `/${COFFEE}/videos`, { base, token, form: { upload_phase: "start", file_size: String(file.length) } });
    expect(start.body).toMatchObject({ start_offset: "0", end_offset: "1048576" });
    let offsets = { start_offset: start.body.start_offset, end_offset: start.body.end_offset };
    // A wrong start_offset is refused.
    const wrong = new FormData();
    for (const [k, v] of Object.entries({ upload_phase: "transfer", upload_session_id: start.body.upload_session_id, start_offset: "5" })) wrong.set(k, v);
    wrong.set("video_file_chunk", new Blob([file.slice(5, 10)]), "chunk");
    expectGraphError(await graph("POST", `/${COFFEE}/videos`, { base, token, body: wrong }), 6000);
    while (offsets.start_offset !== offsets.end_offset) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ upload_phase: "transfer", upload_session_id: start.body.upload_session_id, start_offset: offsets.start_offset })) form.set(k, v);
      form.set("video_file_chunk", new Blob([file.slice(Number(offsets.start_offset), Number(offsets.end_offset))]), "chunk");
      offsets = (await graph<typeof offsets>("POST", `/${COFFEE}/videos`, { base, token, body: form })).body;
    }
    expect(offsets).toEqual({ start_offset: "1500000", end_offset: "1500000" });
    const finish = await graph("POST", `/${COFFEE}/videos`, { base, token, form: { upload_phase: "finish", upload_session_id: start.body.upload_session_id, description: "Chunked", title: "T" } });
    expect(finish.body).toEqual({ success: true });
    expect(await countOf("facebook", COFFEE, `${COFFEE}_${start.body.video_id}`)).toBe(1);
  });

  it("publishes a Reel (start → rupload with file_url → finish) exactly once", async () => {
    const start = await graph<{ video_id: string; upload_url: string }>("POST", `/${COFFEE}/video_reels`, { token, form: { upload_phase: "start" } });
    expect(start.body.upload_url).toBe(`https://rupload.facebook.com/video-upload/v23.0/${start.body.video_id}`);
    const early = await graph("POST", `/${COFFEE}/video_reels`, { token, form: { upload_phase: "finish", video_id: start.body.video_id, video_state: "PUBLISHED" } });
    expect(early.status).toBe(400);
    const upload = await fetch(`${SANDBOX}/rupload.facebook.com/video-upload/v23.0/${start.body.video_id}`, { method: "POST", headers: { authorization: `OAuth ${token}`, file_url: `${MEDIA}/clip.mp4` } });
    expect(await upload.json()).toEqual({ success: true });
    const finish = () => graph("POST", `/${COFFEE}/video_reels`, { token, form: { upload_phase: "finish", video_id: start.body.video_id, video_state: "PUBLISHED", description: "My reel" } });
    expect((await finish()).body).toEqual({ success: true });
    expect((await finish()).body).toEqual({ success: true });
    expect((await posts("facebook", COFFEE)).filter((p) => p.id === `${COFFEE}_${start.body.video_id}`)).toMatchObject([{ kind: "reel", text: "My reel", permalink: `https://www.facebook.com/reel/${start.body.video_id}` }]);
  });

  it("publishes a video through the Resumable Upload API handle (uploads → upload:… → fbuploader_video_file_chunk)", async () => {
    const file = mp4Bytes(300_000);
    const session = await graph<{ id: string }>("POST", `/${SANDBOX_APPS.meta.clientId}/uploads?file_name=clip.mp4&file_length=${file.length}&file_type=video/mp4`, { token });
    expect(session.body.id).toMatch(/^upload:[A-Za-z0-9_-]+\?sig=/);
    const uploadPath = `/${session.body.id}`;
    const first = await graph<{ h: string }>("POST", uploadPath, { token, headers: { file_offset: "0" }, body: file.slice(0, 100_000) });
    expect(first.body.h).toMatch(/^2:/);
    expect((await graph("GET", uploadPath, { token })).body).toMatchObject({ file_offset: 100_000 });
    expect((await graph("POST", uploadPath, { token, headers: { file_offset: "0" }, body: file.slice(0, 10) })).status).toBe(400);
    const handle = (await graph<{ h: string }>("POST", uploadPath, { token, headers: { file_offset: "100000" }, body: file.slice(100_000) })).body.h;
    const video = await graph<{ id: string }>("POST", `/${COFFEE}/videos`, { base: `${SANDBOX}/graph-video.facebook.com/v23.0`, token, form: { fbuploader_video_file_chunk: handle, description: "Via handle" } });
    expect(video.status).toBe(200);
    expect((await posts("facebook", COFFEE)).filter((p) => p.id === `${COFFEE}_${video.body.id}`)).toMatchObject([{ kind: "video", text: "Via handle" }]);
  });

  it("publishes photo and video stories", async () => {
    const photo = (await graph<{ id: string }>("POST", `/${COFFEE}/photos`, { token, form: { url: `${MEDIA}/photo.jpg`, published: "false" } })).body.id;
    const photoStory = await graph<{ success: boolean; post_id: string }>("POST", `/${COFFEE}/photo_stories`, { token, form: { photo_id: photo } });
    expect(photoStory.body).toEqual({ success: true, post_id: expect.stringMatching(new RegExp(`^${COFFEE}_`)) });
    expectGraphError(await graph("POST", `/${COFFEE}/photo_stories`, { token, form: { photo_id: photo } }), 100, 1366051);
    const start = await graph<{ video_id: string; upload_url: string }>("POST", `/${COFFEE}/video_stories`, { token, form: { upload_phase: "start" } });
    const file = mp4Bytes(50_000);
    const upload = await fetch(`${SANDBOX}/rupload.facebook.com/video-upload/v23.0/${start.body.video_id}`, { method: "POST", headers: { authorization: `OAuth ${token}`, offset: "0", file_size: String(file.length) }, body: file });
    expect(await upload.json()).toEqual({ success: true });
    const finish = await graph<{ success: boolean; post_id: string }>("POST", `/${COFFEE}/video_stories`, { token, form: { upload_phase: "finish", video_id: start.body.video_id } });
    expect(finish.body).toEqual({ success: true, post_id: `${COFFEE}_${start.body.video_id}` });
    const stories = (await posts("facebook", COFFEE)).filter((p) => p.kind === "story" && [photoStory.body.post_id, finish.body.post_id].includes(p.id));
    expect(stories).toHaveLength(2);
  });

  it("comments on a post and deletes a post", async () => {
    const created = await graph<{ id: string }>("POST", `/${COFFEE}/feed`, { token, form: { message: "To be deleted" } });
    const comment = await graph<{ id: string }>("POST", `/${created.body.id}/comments`, { token, form: { message: "First comment" } });
    expect(comment.body.id).toMatch(/^\d+_\d+$/);
    expect((await graph("GET", `/${comment.body.id}?fields=message,from`, { token })).body).toMatchObject({ message: "First comment", from: { id: COFFEE } });
    expect((await graph<{ data: Json[] }>("GET", `/${created.body.id}/comments?fields=id,message`, { token })).body.data).toEqual([{ id: comment.body.id, message: "First comment" }]);
    expect((await graph("DELETE", `/${created.body.id}`, { token })).body).toEqual({ success: true });
    expect(await countOf("facebook", COFFEE, created.body.id)).toBe(0);
    expectGraphError(await graph("GET", `/${created.body.id}?fields=id`, { token }), 100, 33);
    expectGraphError(await graph("DELETE", `/${created.body.id}`, { token }), 100, 33);
  });

  it("wants the Page token with pages_manage_posts", async () => {
    expectGraphError(await graph("POST", `/${COFFEE}/feed`, { token: userToken, form: { message: "as user" } }), 210);
    const { page: weak } = await pageToken(COFFEE, ALL_SCOPES.filter((s) => s !== "pages_manage_posts"));
    expectGraphError(await graph("POST", `/${COFFEE}/feed`, { token: weak, form: { message: "no permission" } }), 200);
    expectGraphError(await graph("POST", `/${COFFEE}/feed`, { token: "sbx_not_a_token", form: { message: "bad token" } }), 190);
  });

  it("records a feed post once when the response is lost (after fault)", async () => {
    await control("/faults", { platform: "meta", method: "POST", path: `/v23.0/${COFFEE}/feed`, mode: "after", status: 500, body: { error: { message: "An unexpected error has occurred.", type: "OAuthException", code: 1 } } });
    const message = `Lost response ${crypto.randomUUID()}`;
    const lost = await graph("POST", `/${COFFEE}/feed`, { token, form: { message } });
    expect(lost.status).toBe(500);
    expect((await posts("facebook", COFFEE)).filter((p) => p.text === message)).toHaveLength(1);
  });
});

describe("sandbox: Instagram publishing", () => {
  const createImage = (extra: Record<string, string> = {}) => graph<{ id: string }>("POST", `/${COFFEE_IG}/media`, { token, form: { image_url: `${MEDIA}/photo.jpg`, caption: "Hello #sandbox", ...extra } });
  const status = (id: string) => graph<{ id: string; status_code: string; status: string }>("GET", `/${id}?fields=status_code,status`, { token }).then((r) => r.body);
  const publish = (id: string) => graph<{ id: string }>("POST", `/${COFFEE_IG}/media_publish`, { token, form: { creation_id: id } });

  it("image container: IN_PROGRESS → FINISHED → PUBLISHED; early and repeated publishes are refused", async () => {
    const container = await createImage();
    expect(container.body.id).toMatch(/^\d{17}$/);
    expect(await status(container.body.id)).toEqual({ id: container.body.id, status_code: "IN_PROGRESS", status: expect.stringContaining("In Progress") });
    expectGraphError(await publish(container.body.id), 9007, 2207027);
    await advance(2_500);
    expect((await status(container.body.id)).status_code).toBe("FINISHED");
    const published = await publish(container.body.id);
    expect(published.status).toBe(200);
    expect(published.body.id).toMatch(/^\d{17}$/);
    expect((await status(container.body.id)).status_code).toBe("PUBLISHED");
    expect(await countOf("instagram", COFFEE_IG, published.body.id)).toBe(1);

    expectGraphError(await publish(container.body.id), 9007);
    expect(await countOf("instagram", COFFEE_IG, published.body.id)).toBe(1);

    const media = await graph("GET", `/${published.body.id}?fields=id,permalink,media_type,timestamp,caption`, { token });
    expect(media.body).toEqual({ id: published.body.id, permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\/[A-Za-z0-9_-]+\/$/), media_type: "IMAGE", timestamp: expect.stringMatching(/\+0000$/), caption: "Hello #sandbox" });
    const comment = await graph<{ id: string }>("POST", `/${published.body.id}/comments`, { token, form: { message: "First!" } });
    expect(comment.body.id).toMatch(/^\d{17}$/);
    expect((await graph<{ data: Json[] }>("GET", `/${published.body.id}/comments?fields=id,text`, { token })).body.data).toEqual([{ id: comment.body.id, text: "First!" }]);
    expect((await graph<{ data: Json[] }>("GET", `/${COFFEE_IG}/media?fields=id,caption`, { token })).body.data[0]).toEqual({ id: published.body.id, caption: "Hello #sandbox" });
  });

  it("refuses an unreachable image, a non-JPEG and an unsupported aspect ratio at creation", async () => {
    expectGraphError(await createImage({ image_url: `${MEDIA}/missing.jpg` }), 9004, 2207052);
    expectGraphError(await createImage({ image_url: `${MEDIA}/photo.png` }), 100, 2207005);
    expectGraphError(await createImage({ image_url: `${MEDIA}/sized.jpg?w=3000&h=1000` }), 36003, 2207009);
    expect((await createImage({ image_url: `${MEDIA}/sized.jpg?w=1910&h=1000` })).status).toBe(200);
  });

  it("pulls an image from the app's signed media URL (http://atelier.test/m/<token>)", async () => {
    const { client, owner, workspace, base } = await setup(new TestClock(Date.now()));
    const media = await uploadSmall(client, owner, workspace.id, jpeg(1080, 1080), "square.jpg");
    const signed = await client.call("POST", `${base}/${media.id}/public-url`, { cookie: owner.cookie, body: { ttlSeconds: 7 * 24 * 3600 } });
    const { url } = (await signed.json()) as { url: string };
    expect(url).toMatch(/^http:\/\/atelier\.test\/m\//);
    const container = await createImage({ image_url: url });
    expect(container.status).toBe(200);
    expectGraphError(await createImage({ image_url: `${url.slice(0, -3)}xyz` }), 9004, 2207052);
  });

  it("a Reel whose video URL is broken ends in ERROR with the download subcode", async () => {
    const container = await graph<{ id: string }>("POST", `/${COFFEE_IG}/media`, { token, form: { media_type: "REELS", video_url: `${MEDIA}/missing.jpg`, caption: "reel" } });
    expect((await status(container.body.id)).status_code).toBe("IN_PROGRESS");
    await advance(10_500);
    expect(await status(container.body.id)).toMatchObject({ status_code: "ERROR", status: expect.stringContaining("2207052") });
    expectGraphError(await publish(container.body.id), 9007);
  });

  it("publishes a carousel of 2 items as one post; 1 item is refused", async () => {
    const a = (await createImage({ is_carousel_item: "true" })).body.id;
    const b = (await createImage({ is_carousel_item: "true", image_url: `${MEDIA}/sized.jpg?w=1080&h=1080` })).body.id;
    expectGraphError(await graph("POST", `/${COFFEE_IG}/media`, { token, form: { media_type: "CAROUSEL", children: a, caption: "one" } }), 100, 2207028);
    const parent = await graph<{ id: string }>("POST", `/${COFFEE_IG}/media`, { token, form: { media_type: "CAROUSEL", children: `${a},${b}`, caption: "Two" } });
    await advance(2_500);
    const published = await publish(parent.body.id);
    expect((await posts("instagram", COFFEE_IG)).filter((p) => p.id === published.body.id)).toMatchObject([{ kind: "carousel", text: "Two", media: [`${MEDIA}/photo.jpg`, `${MEDIA}/sized.jpg?w=1080&h=1080`] }]);
    expect((await graph("GET", `/${published.body.id}?fields=media_type`, { token })).body).toMatchObject({ media_type: "CAROUSEL_ALBUM" });
  });

  it("publishes a story and a resumable Reel uploaded to rupload", async () => {
    const story = await graph<{ id: string }>("POST", `/${COFFEE_IG}/media`, { token, form: { media_type: "STORIES", image_url: `${MEDIA}/photo.jpg` } });
    const reel = await graph<{ id: string; uri: string }>("POST", `/${COFFEE_IG}/media`, { token, form: { media_type: "REELS", upload_type: "resumable", caption: "Resumable" } });
    expect(reel.body.uri).toBe(`https://rupload.facebook.com/ig-api-upload/v23.0/${reel.body.id}`);
    const file = mp4Bytes(2_000_000);
    const upload = await fetch(`${SANDBOX}/rupload.facebook.com/ig-api-upload/v23.0/${reel.body.id}`, { method: "POST", headers: { authorization: `OAuth ${token}`, offset: "0", file_size: String(file.length), "content-type": "application/octet-stream" }, body: file });
    expect(await upload.json()).toEqual({ success: true, message: "Upload successful." });
    await advance(2_500);
    const storyMedia = await publish(story.body.id);
    expect(storyMedia.status).toBe(200);
    expect((await graph<{ data: Json[] }>("GET", `/${COFFEE_IG}/stories?fields=id,permalink`, { token })).body.data[0]).toEqual({ id: storyMedia.body.id, permalink: expect.stringContaining("/stories/northwind.coffee/") });
    expectGraphError(await publish(reel.body.id), 9007, 2207027);
    await advance(10_000);
    const published = await publish(reel.body.id);
    expect((await posts("instagram", COFFEE_IG)).filter((p) => p.id === published.body.id)).toMatchObject([{ kind: "reel", text: "Resumable", permalink: expect.stringContaining("/reel/") }]);
  });

  it("validates the publishing settings", async () => {
    expect((await control("/publishing/settings", { processingScale: -1 })).status).toBe(400);
    expect((await control("/publishing/settings", { nope: 1 })).status).toBe(400);
    expect(await settings({})).toEqual({ settings: { processingScale: 1, igPublishLimitPerDay: 100 } });
  });

  it("enforces the 24 h publishing limit reported by content_publishing_limit", async () => {
    const quota = async () => (await graph<{ data: { quota_usage: number; config: { quota_total: number; quota_duration: number } }[] }>("GET", `/${COFFEE_IG}/content_publishing_limit?fields=quota_usage,config`, { token })).body.data[0];
    const used = (await quota())?.quota_usage ?? 0;
    expect(await quota()).toEqual({ quota_usage: used, config: { quota_total: 100, quota_duration: 86400 } });
    await settings({ processingScale: 0, igPublishLimitPerDay: used + 1 });
    const first = await createImage();
    expect((await status(first.body.id)).status_code).toBe("FINISHED"); // processingScale 0: instant
    expect((await publish(first.body.id)).status).toBe(200);
    const second = await createImage();
    expectGraphError(await publish(second.body.id), 9, 2207042);
    expect(await quota()).toEqual({ quota_usage: used + 1, config: { quota_total: used + 1, quota_duration: 86400 } });
    await settings({ processingScale: 1, igPublishLimitPerDay: 100 });
    expect((await publish(second.body.id)).status).toBe(200);
  });

  it("records one post when media_publish's response is lost, and refuses the retry", async () => {
    const caption = `lost ${crypto.randomUUID()}`;
    const container = await createImage({ caption });
    await advance(2_500);
    await control("/faults", { platform: "meta", method: "POST", path: `/v23.0/${COFFEE_IG}/media_publish`, mode: "after", status: 500, body: { error: { message: "An unexpected error has occurred.", type: "OAuthException", code: 2, is_transient: true } } });
    expect((await publish(container.body.id)).status).toBe(500);
    expect((await status(container.body.id)).status_code).toBe("PUBLISHED");
    expectGraphError(await publish(container.body.id), 9007);
    expect((await posts("instagram", COFFEE_IG)).filter((p) => p.text === caption)).toHaveLength(1);
  });

  it("needs instagram_content_publish, and lets the Page token of another Page nowhere near the account", async () => {
    const { page: weak } = await pageToken(COFFEE, ALL_SCOPES.filter((s) => s !== "instagram_content_publish"));
    expectGraphError(await graph("POST", `/${COFFEE_IG}/media`, { token: weak, form: { image_url: `${MEDIA}/photo.jpg` } }), 10);
    const { page: bakery } = await pageToken("104938271234568");
    expectGraphError(await graph("POST", `/${COFFEE_IG}/media`, { token: bakery, form: { image_url: `${MEDIA}/photo.jpg` } }), 100, 33);
  });

  // Last: moves the shared clock a day forward.
  it("expires a container not published within 24 h", async () => {
    const container = await createImage();
    await advance(24 * 3_600_000 + 1_000);
    expect((await status(container.body.id)).status_code).toBe("EXPIRED");
    expectGraphError(await publish(container.body.id), 9007, 2207008);
  });
});
