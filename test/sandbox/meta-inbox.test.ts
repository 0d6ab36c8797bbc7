import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_APPS, SANDBOX_META_WEBHOOK_VERIFY_TOKEN } from "../../sandbox/apps";
import { APP_WEBHOOK, COFFEE, COFFEE_IG, control, graph, hmacHex, lastReceipt, publishTargets, received, SINK, subscribeApp, subscribePage, pageToken, type GraphErrorBody, type Json, type Outcome } from "./meta-inbox-helpers";

/**
 * The sandbox's Meta webhook emitter: app subscriptions verified by challenge, the exact bytes and
 * signatures on the wire, payload shapes for comments and messages, deliveries to the app, retries,
 * duplicates and the traffic generator. Deliveries go to the sandbox's in-process sink (which records
 * raw bytes) or to the app's real `/webhooks/meta`. The app subscription is pointed back at the app
 * when the file ends.
 */
const APP = SANDBOX_APPS.meta;
const APP_TOKEN = `${APP.clientId}|${APP.clientSecret}`;

let token = "";
let fbPost = "";
let igMedia = "";

beforeAll(async () => {
  token = await pageToken(COFFEE);
  await subscribePage(token);
  ({ fbPost, igMedia } = await publishTargets(token));
  expect((await subscribeApp(SINK)).status).toBe(200);
});
afterAll(async () => {
  await control("POST", "/webhooks/settings", { duplicateRate: 0, maxAttempts: 3 });
  await control("POST", "/webhooks/sink/fail", { times: 0 });
  await subscribeApp(APP_WEBHOOK);
});

type CommentResult = { id: string; postId: string; parentId: string; authorId: string; webhook: Outcome };
const personComment = (body: Json) => control<CommentResult>("POST", "/events/comment", body);

describe("sandbox webhooks: subscriptions", () => {
  it("stores an app subscription only when the callback echoes the challenge for the right verify token", async () => {
    const wrong = await graph<GraphErrorBody>("POST", `/${APP.clientId}/subscriptions`, { form: { object: "page", callback_url: SINK, fields: "feed", verify_token: "not-the-token", access_token: APP_TOKEN } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe(2200);
    expect(wrong.body.error.message).toContain("HTTP Status Code = 403");

    const badToken = await graph<GraphErrorBody>("POST", `/${APP.clientId}/subscriptions`, { form: { object: "page", callback_url: SINK, fields: "feed", verify_token: SANDBOX_META_WEBHOOK_VERIFY_TOKEN, access_token: "nope" } });
    expect(badToken.body.error.code).toBe(190);

    // The app's own route refuses a wrong verify token too: nothing is stored for it.
    const refusedByApp = await graph<GraphErrorBody>("POST", `/${APP.clientId}/subscriptions`, { form: { object: "page", callback_url: APP_WEBHOOK, fields: "feed", verify_token: "wrong", access_token: APP_TOKEN } });
    expect(refusedByApp.body.error.code).toBe(2200);
    const listed = await graph<{ data: { object: string; callback_url: string; active: boolean; fields: { name: string }[] }[] }>("GET", `/${APP.clientId}/subscriptions?access_token=${encodeURIComponent(APP_TOKEN)}`);
    expect(listed.body.data.find((s) => s.object === "page")).toMatchObject({ callback_url: SINK, active: true });

    const right = await graph("POST", `/${APP.clientId}/subscriptions`, { form: { object: "page", callback_url: SINK, fields: "feed,messages,message_echoes", verify_token: SANDBOX_META_WEBHOOK_VERIFY_TOKEN, access_token: APP_TOKEN } });
    expect(right).toEqual({ status: 200, body: { success: true } });
    const after = await graph<{ data: { object: string; fields: { name: string; version: string }[] }[] }>("GET", `/${APP.clientId}/subscriptions`, { token: APP_TOKEN });
    expect(after.body.data.find((s) => s.object === "page")?.fields.map((f) => f.name)).toEqual(["feed", "messages", "message_echoes"]);
  });

  it("subscribes the app's real /webhooks/meta through the control shortcut (the app answers the challenge)", async () => {
    const result = await subscribeApp(APP_WEBHOOK);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, results: { page: { ok: true }, instagram: { ok: true } } });
    const failing = await control<{ ok: boolean; results: { page: { ok: boolean; detail: string } } }>("POST", "/webhooks/subscribe", { callbackUrl: "http://atelier.test/no-such-webhook", objects: ["page"] });
    expect(failing.status).toBe(502);
    expect(failing.body.results.page).toMatchObject({ ok: false, detail: expect.stringContaining("Callback verification failed") });
    // The failed attempt left the working subscription in place; put the sink back for the next tests.
    expect((await subscribeApp(SINK)).status).toBe(200);
  });
});

describe("sandbox webhooks: bytes, signatures and payloads", () => {
  it("signs the exact escaped-unicode bytes of a Page comment with the app secret (sha256 and sha1)", async () => {
    const since = await lastReceipt();
    const text = "Café crème? See https://example.com/menu — 😀";
    const result = await personComment({ platform: "facebook", account: COFFEE, post: fbPost, author: { name: "Zoë Durand" }, text });
    expect(result.status).toBe(201);
    expect(result.body.webhook).toMatchObject({ delivered: true, ok: true, status: 200, attempts: 1 });
    const [receipt, ...more] = await received(since);
    expect(more).toEqual([]);
    if (!receipt) throw new Error("the sink received nothing");

    const bytes = new TextEncoder().encode(receipt.body);
    expect(receipt.headers["x-hub-signature-256"]).toBe(`sha256=${await hmacHex("SHA-256", bytes)}`);
    expect(receipt.headers["x-hub-signature"]).toBe(`sha1=${await hmacHex("SHA-1", bytes)}`);
    expect(receipt.headers["content-type"]).toBe("application/json");
    // Escaped unicode (lowercase hex, surrogate pairs for emoji) and escaped slashes: the body is pure ASCII.
    expect(receipt.body).toContain("Caf\\u00e9 cr\\u00e8me? See https:\\/\\/example.com\\/menu \\u2014 \\ud83d\\ude00");
    expect(receipt.body).toContain("Zo\\u00eb Durand");
    expect(/^[\x20-\x7e]*$/.test(receipt.body)).toBe(true);
    // Re-serializing the parsed body would produce different bytes, and a signature that no longer matches.
    const reserialized = new TextEncoder().encode(JSON.stringify(JSON.parse(receipt.body)));
    expect(receipt.headers["x-hub-signature-256"]).not.toBe(`sha256=${await hmacHex("SHA-256", reserialized)}`);

    const payload = JSON.parse(receipt.body) as { object: string; entry: { id: string; time: number; changes: { field: string; value: Json }[] }[] };
    expect(payload.object).toBe("page");
    expect(payload.entry[0]).toMatchObject({ id: COFFEE, time: expect.any(Number) });
    expect(String(payload.entry[0]?.time)).toHaveLength(10);
    expect(payload.entry[0]?.changes[0]).toEqual({
      field: "feed",
      value: expect.objectContaining({ item: "comment", verb: "add", post_id: fbPost, comment_id: result.body.id, parent_id: fbPost, from: { id: result.body.authorId, name: "Zoë Durand" }, message: text, created_time: expect.any(Number), post: expect.objectContaining({ id: fbPost, is_published: true }) }),
    });
    const listed = await graph<{ data: { id: string; message: string; from: { id: string; name: string } }[] }>("GET", `/${fbPost}/comments?fields=id,message,from`, { token });
    expect(listed.body.data.find((c) => c.id === result.body.id)).toEqual({ id: result.body.id, message: text, from: { id: result.body.authorId, name: "Zoë Durand" } });
  });

  it("emits Instagram comments and replies with object instagram, media and parent_id", async () => {
    const since = await lastReceipt();
    const top = await personComment({ platform: "instagram", account: COFFEE_IG, post: igMedia, author: { id: "17841455555555555", name: "Fan Account" }, text: "so cool!" });
    expect(top.status).toBe(201);
    const reply = await personComment({ platform: "instagram", account: COFFEE_IG, post: igMedia, author: { name: "Second Fan" }, text: "agreed", parentId: top.body.id });
    expect(reply.body.webhook).toMatchObject({ delivered: true, ok: true });
    const bodies = (await received(since)).map((r) => JSON.parse(r.body) as { object: string; entry: { id: string; changes: { field: string; value: Json }[] }[] });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toMatchObject({ object: "instagram", entry: [{ id: COFFEE_IG, changes: [{ field: "comments", value: { id: top.body.id, text: "so cool!", from: { id: "17841455555555555", username: "fan_account" }, media: { id: igMedia, media_product_type: "FEED" } } }] }] });
    expect(bodies[0]?.entry[0]?.changes[0]?.value).not.toHaveProperty("parent_id");
    expect(bodies[1]?.entry[0]?.changes[0]?.value).toMatchObject({ id: reply.body.id, parent_id: top.body.id, media: { id: igMedia } });
    const listed = await graph<{ data: { id: string; from: { id: string } }[] }>("GET", `/${igMedia}/comments?fields=id,text,from`, { token });
    expect(listed.body.data.find((c) => c.id === top.body.id)?.from.id).toBe("17841455555555555");
    const replies = await graph<{ data: { id: string; text: string }[] }>("GET", `/${top.body.id}/replies?fields=id,text`, { token });
    expect(replies.body.data).toEqual([{ id: reply.body.id, text: "agreed" }]);
  });

  it("emits Messenger and Instagram messages (millisecond timestamps, attachments) and refuses unknown posts", async () => {
    const since = await lastReceipt();
    const dm = await control<{ mid: string; authorId: string; webhook: Outcome }>("POST", "/events/message", { platform: "facebook", account: COFFEE, author: { name: "Jane Doe" }, text: "Are you open today?", attachments: [{ type: "image", url: "https://lookaside.example/photo.jpg" }] });
    expect(dm.status).toBe(201);
    expect(dm.body.mid).toMatch(/^m_/);
    const ig = await control<{ mid: string; authorId: string }>("POST", "/events/message", { platform: "instagram", account: COFFEE_IG, author: { name: "IG Person" }, text: "hello" });
    const [fbBody, igBody] = (await received(since)).map((r) => JSON.parse(r.body) as { object: string; entry: { id: string; time: number; messaging: Json[] }[] });
    expect(fbBody).toMatchObject({ object: "page", entry: [{ id: COFFEE, messaging: [{ sender: { id: dm.body.authorId }, recipient: { id: COFFEE }, message: { mid: dm.body.mid, text: "Are you open today?", attachments: [{ type: "image", payload: { url: "https://lookaside.example/photo.jpg" } }] } }] }] });
    expect(String(fbBody?.entry[0]?.time)).toHaveLength(13);
    expect(String((fbBody?.entry[0]?.messaging[0] as { timestamp: number }).timestamp)).toHaveLength(13);
    expect(igBody).toMatchObject({ object: "instagram", entry: [{ id: COFFEE_IG, messaging: [{ sender: { id: ig.body.authorId }, recipient: { id: COFFEE_IG }, message: { mid: ig.body.mid, text: "hello" } }] }] });

    const unknown = await personComment({ platform: "facebook", account: COFFEE, post: `${COFFEE}_999`, author: { name: "X" }, text: "hi" });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain("holds no live facebook post");
  });

  it("delivers nothing for a Page that has not subscribed the app, and says why", async () => {
    const bakery = "104938271234568";
    const since = await lastReceipt();
    const result = await control<{ webhook: Outcome }>("POST", "/events/message", { platform: "facebook", account: bakery, author: { name: "Jane" }, text: "hi" });
    expect(result.body.webhook).toEqual({ delivered: false, reason: expect.stringContaining(`Page ${bakery} has not subscribed the app`) });
    expect(await received(since)).toEqual([]);
  });
});

describe("sandbox webhooks: delivery to the app, retries and duplicates", () => {
  it("reaches the app's /webhooks/meta, which verifies the signature and answers 200", async () => {
    await subscribeApp(APP_WEBHOOK);
    try {
      const result = await personComment({ platform: "facebook", account: COFFEE, post: fbPost, author: { name: "Ana Lía" }, text: "¿Cuánto cuesta? / price" });
      expect(result.body.webhook).toMatchObject({ delivered: true, ok: true, status: 200, attempts: 1 });
      const log = await control<{ deliveries: { id: string; callbackUrl: string; attempts: { status: number }[]; ok: boolean; body: string }[] }>("GET", "/webhooks/deliveries?since=0");
      const delivery = log.body.deliveries.find((d) => d.id === result.body.webhook.deliveryId);
      expect(delivery).toMatchObject({ callbackUrl: APP_WEBHOOK, ok: true, attempts: [{ status: 200 }] });
      expect(delivery?.body).toContain("\\u00bfCu\\u00e1nto cuesta? \\/ price");
    } finally {
      await subscribeApp(SINK);
    }
  });

  it("retries a failed delivery inline and records every attempt", async () => {
    await control("POST", "/webhooks/sink/fail", { times: 2, status: 503 });
    const since = await lastReceipt();
    const result = await personComment({ platform: "facebook", account: COFFEE, post: fbPost, author: { name: "Retry Person" }, text: "third time lucky" });
    expect(result.body.webhook).toMatchObject({ delivered: true, ok: true, status: 200, attempts: 3 });
    expect(await received(since)).toHaveLength(1);
    const log = await control<{ deliveries: { id: string; attempts: { status: number }[] }[] }>("GET", "/webhooks/deliveries?since=0");
    expect(log.body.deliveries.find((d) => d.id === result.body.webhook.deliveryId)?.attempts.map((a) => a.status)).toEqual([503, 503, 200]);

    await control("POST", "/webhooks/sink/fail", { times: 5, status: 500 });
    const failed = await personComment({ platform: "facebook", account: COFFEE, post: fbPost, author: { name: "Retry Person" }, text: "never arrives" });
    expect(failed.body.webhook).toMatchObject({ delivered: true, ok: false, status: 500, attempts: 3 });
    await control("POST", "/webhooks/sink/fail", { times: 0 });
  });

  it("redelivers the same bytes when duplicateRate says so", async () => {
    expect((await control("POST", "/webhooks/settings", { duplicateRate: 1 })).body).toEqual({ settings: { duplicateRate: 1, maxAttempts: 3 } });
    const since = await lastReceipt();
    const result = await control<{ webhook: Outcome }>("POST", "/events/message", { platform: "facebook", account: COFFEE, author: { name: "Dup" }, text: "twice" });
    expect(result.body.webhook).toMatchObject({ delivered: true, duplicates: 1 });
    const [first, second, ...rest] = await received(since);
    expect(rest).toEqual([]);
    expect(second?.body).toBe(first?.body);
    expect(second?.headers["x-hub-signature-256"]).toBe(first?.headers["x-hub-signature-256"]);
    await control("POST", "/webhooks/settings", { duplicateRate: 0 });
    expect((await control("POST", "/webhooks/settings", { duplicateRate: 2 })).status).toBe(400);
  });
});

describe("sandbox webhooks: traffic generator", () => {
  type Run = { id: string; total: number; emitted: number; delivered: number; failed: number; notDelivered: number; statuses: Record<string, number> };

  it("emits N events per second on sandbox time and reports progress", async () => {
    const since = await lastReceipt();
    const started = await control<{ run: Run }>("POST", "/events/traffic", { kind: "comment", platform: "facebook", account: COFFEE, post: fbPost, perSecond: 4, durationSeconds: 2.5, textPattern: "Load {n} from {name}" });
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ total: 10, emitted: 0 });
    const id = started.body.run.id;

    await control("POST", "/clock", { advanceMs: 1000 });
    const partway = await control<{ run: Run; done: boolean }>("GET", `/events/traffic/${id}`);
    // Due at 0, 250, 500, 750 and 1000 ms (the alarm may have added one more in real time).
    expect(partway.body.run.emitted).toBeGreaterThanOrEqual(5);
    expect(partway.body.run.emitted).toBeLessThan(10);
    expect(partway.body.done).toBe(false);
    expect(partway.body.run.delivered).toBe(partway.body.run.emitted);

    await control("POST", "/clock", { advanceMs: 2000 });
    const finished = await control<{ run: Run; done: boolean }>("GET", `/events/traffic/${id}`);
    expect(finished.body).toMatchObject({ done: true, run: { total: 10, emitted: 10, delivered: 10, failed: 0, notDelivered: 0, statuses: { "200": 10 } } });
    const bodies = (await received(since)).map((r) => r.body);
    const texts = bodies.map((b) => (JSON.parse(b) as { entry: { changes: { value: { message: string } }[] }[] }).entry[0]?.changes[0]?.value.message);
    expect(texts).toHaveLength(10);
    for (const text of texts) expect(text).toMatch(/^Load \d+ from Visitor \d+$/);
    expect(texts.map((t) => Number(/^Load (\d+)/.exec(t ?? "")?.[1])).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await control("GET", "/events/traffic/traffic_nope")).status).toBe(404);
  });
});
