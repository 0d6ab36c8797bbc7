import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { MetaWebhookMessage } from "../../worker/inbox/messages";
import { verifyHubSignature } from "../../worker/security/hub-signature";
import { envelope, metaJson, signBody } from "../../sandbox/platforms/meta-webhooks-delivery";
import { problemOf, TestClock } from "../helpers/client";
import { APP_SECRET, ESCAPED_BODY, ESCAPED_BODY_SIGNATURE, pageDelivery, RecordingQueue, signed } from "./meta-delivery-fixtures";

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const DAY = "2026-11-29";

/** Calls the real app with INBOUND_QUEUE replaced by a recorder. */
async function deliver(init: { method?: string; query?: string; body?: string; headers?: Record<string, string> }, queue = new RecordingQueue()) {
  const app = createApp({ clock: new TestClock(NOW).read });
  const ctx = createExecutionContext();
  const response = await app.request(
    `http://atelier.test/webhooks/meta${init.query ?? ""}`,
    { method: init.method ?? "POST", headers: { "Content-Type": "application/json", ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) },
    { ...env, INBOUND_QUEUE: queue as unknown as Queue },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { response, queue };
}

async function rejectionCount(): Promise<number> {
  const row = await env.DB.prepare("SELECT count FROM webhook_rejections WHERE source = 'meta' AND day = ?").bind(DAY).first<{ count: number }>();
  return row?.count ?? 0;
}

async function inboxRowCount(): Promise<number> {
  const row = await env.DB.prepare("SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM conversations) + (SELECT COUNT(*) FROM inbox_actions) AS n").first<{ n: number }>();
  return row?.n ?? 0;
}

describe("X-Hub-Signature-256 over the raw bytes", () => {
  it("accepts the escaped-unicode body Meta signs (vector computed outside workerd) and queues the entry with its text decoded", async () => {
    const { response, queue } = await deliver({ body: ESCAPED_BODY, headers: { "X-Hub-Signature-256": ESCAPED_BODY_SIGNATURE } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("EVENT_RECEIVED");
    expect(queue.messages).toHaveLength(1);
    const message = MetaWebhookMessage.parse(queue.messages[0]);
    expect(message).toMatchObject({ v: 1, kind: "meta.webhook", object: "page", receivedAt: NOW });
    expect(JSON.stringify(message.entry)).toContain("Grüße äöå 😀 café/<<");
  });

  it("accepts an uppercase hex digest of the right HMAC", async () => {
    const { response } = await deliver({ body: ESCAPED_BODY, headers: { "X-Hub-Signature-256": `sha256=${ESCAPED_BODY_SIGNATURE.slice(7).toUpperCase()}` } });
    expect(response.status).toBe(200);
  });

  const reSerialized = JSON.stringify(JSON.parse(ESCAPED_BODY));
  const oneByteChanged = ESCAPED_BODY.replace("1767311998", "1767311999");
  const refused: [string, string, Record<string, string>][] = [
    ["no signature header", ESCAPED_BODY, {}],
    ["the legacy sha1= prefix", ESCAPED_BODY, { "X-Hub-Signature-256": ESCAPED_BODY_SIGNATURE.replace("sha256=", "sha1=") }],
    ["only the legacy X-Hub-Signature header", ESCAPED_BODY, { "X-Hub-Signature": "sha1=0123456789abcdef0123456789abcdef01234567" }],
    ["one byte of the body changed", oneByteChanged, { "X-Hub-Signature-256": ESCAPED_BODY_SIGNATURE }],
    ["the body re-serialized by JSON.parse + JSON.stringify (unicode un-escaped)", reSerialized, { "X-Hub-Signature-256": ESCAPED_BODY_SIGNATURE }],
    ["a truncated digest", ESCAPED_BODY, { "X-Hub-Signature-256": ESCAPED_BODY_SIGNATURE.slice(0, 40) }],
    ["a digest that is not hex", ESCAPED_BODY, { "X-Hub-Signature-256": `sha256=${"zz".repeat(32)}` }],
  ];

  for (const [name, body, headers] of refused) {
    it(`refuses ${name} with 401, counts it, and leaves no other trace`, async () => {
      const before = { rejections: await rejectionCount(), rows: await inboxRowCount() };
      const { response, queue } = await deliver({ body, headers });
      expect(response.status).toBe(401);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ type: "/problems/unauthenticated", status: 401 });
      expect(problem.detail).toContain("X-Hub-Signature-256");
      expect(queue.batches).toHaveLength(0);
      expect(await rejectionCount()).toBe(before.rejections + 1);
      expect(await inboxRowCount()).toBe(before.rows);
    });
  }

  it("accepts what the sandbox's Meta emitter puts on the wire (escaped unicode, both signature headers)", async () => {
    const body = metaJson(envelope([{ object: "instagram", accountId: "17841400000000001", field: "comments", change: { id: "1799", text: "Trop mignon 😍 / à bientôt", from: { id: "1784", username: "zoë" }, media: { id: "1791" } } }], NOW));
    expect(body).toContain("\\u00e0");
    const signatures = await signBody(body);
    const { response, queue } = await deliver({ body, headers: { "X-Hub-Signature-256": signatures.sha256, "X-Hub-Signature": signatures.sha1 } });
    expect(response.status).toBe(200);
    expect(JSON.stringify(MetaWebhookMessage.parse(queue.messages[0]).entry)).toContain("Trop mignon 😍 / à bientôt");
  });

  it("re-serializing really changes the bytes (so the vector above tests what it claims)", async () => {
    expect(reSerialized).not.toBe(ESCAPED_BODY);
    expect(await verifyHubSignature(new TextEncoder().encode(reSerialized), ESCAPED_BODY_SIGNATURE, APP_SECRET)).toBe(false);
    expect(await verifyHubSignature(new TextEncoder().encode(ESCAPED_BODY), ESCAPED_BODY_SIGNATURE, APP_SECRET)).toBe(true);
    expect(await verifyHubSignature(new TextEncoder().encode(ESCAPED_BODY), ESCAPED_BODY_SIGNATURE, "another-app-secret")).toBe(false);
  });
});

describe("POST /webhooks/meta", () => {
  it("splits a 1,000-entry delivery into 1,000 queue messages in at most 10 sendBatch calls of at most 100", async () => {
    const { body, signature } = await signed(pageDelivery(1000));
    const { response, queue } = await deliver({ body, headers: { "X-Hub-Signature-256": signature } });
    expect(response.status).toBe(200);
    expect(queue.batches.length).toBeLessThanOrEqual(10);
    expect(Math.max(...queue.batches.map((b) => b.length))).toBeLessThanOrEqual(100);
    const messages = queue.messages.map((m) => MetaWebhookMessage.parse(m));
    expect(messages).toHaveLength(1000);
    expect(new Set(messages.map((m) => (m.entry as { time: number }).time)).size).toBe(1000);
    expect(messages.every((m) => m.object === "page" && m.receivedAt === NOW)).toBe(true);
  });

  it("is not subject to the API's Origin guard or session (Meta sends neither)", async () => {
    const { body, signature } = await signed(pageDelivery(1));
    const { response, queue } = await deliver({ body, headers: { "X-Hub-Signature-256": signature, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } });
    expect(response.status).toBe(200);
    expect(queue.messages).toHaveLength(1);
  });

  it("answers 400 for a validly signed body that is not a Meta delivery, and queues nothing", async () => {
    for (const raw of ['{"object":"page"}', "not json", '{"object":"page","entry":{}}']) {
      const { body, signature } = await signed(raw);
      const { response, queue } = await deliver({ body, headers: { "X-Hub-Signature-256": signature } });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).type).toBe("/problems/malformed-request");
      expect(queue.batches).toHaveLength(0);
    }
  });

  it("answers 503 when the queue refuses, so Meta delivers again", async () => {
    const queue = new RecordingQueue();
    queue.failWith = new Error("queue unavailable");
    const { body, signature } = await signed(pageDelivery(3));
    const { response } = await deliver({ body, headers: { "X-Hub-Signature-256": signature } }, queue);
    expect(response.status).toBe(503);
    expect((await problemOf(response)).detail).toContain("Meta will send it again");
  });

  it("acknowledges an empty entry list without queueing anything", async () => {
    const { body, signature } = await signed('{"object":"instagram","entry":[]}');
    const { response, queue } = await deliver({ body, headers: { "X-Hub-Signature-256": signature } });
    expect(response.status).toBe(200);
    expect(queue.batches).toHaveLength(0);
  });
});

describe("GET /webhooks/meta (verification challenge)", () => {
  it("echoes hub.challenge as plain text when the verify token matches", async () => {
    const token = env.META_WEBHOOK_VERIFY_TOKEN ?? "";
    const { response } = await deliver({ method: "GET", query: `?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444` });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
  });

  it("refuses a wrong token, a wrong mode and a missing challenge with 403", async () => {
    const token = encodeURIComponent(env.META_WEBHOOK_VERIFY_TOKEN ?? "");
    for (const query of [`?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`, `?hub.mode=unsubscribe&hub.verify_token=${token}&hub.challenge=1`, `?hub.mode=subscribe&hub.verify_token=${token}`, "?hub.mode=subscribe&hub.challenge=1"]) {
      const { response } = await deliver({ method: "GET", query });
      expect(response.status, query).toBe(403);
      const problem = await problemOf(response);
      expect(problem.type).toBe("/problems/forbidden");
      expect(problem.detail).toContain("verify token");
    }
  });
});
