import { Hono, type Context } from "hono";
import type { AppEnv } from "../http/app-env";
import { problemResponse, toProblem, type ProblemKind } from "../http/problems";
import { constantTimeEqual } from "../security/encoding";
import { verifyHubSignature } from "../security/hub-signature";
import { MetaDelivery, splitDelivery } from "../webhooks/meta-delivery";
import { countRejection } from "../webhooks/rejections";

const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function problem(c: Context<AppEnv>, kind: ProblemKind, detail: string): Response {
  return problemResponse(toProblem(kind, detail, { requestId: c.var.requestId, instance: new URL(c.req.url).pathname }));
}

/**
 * `/webhooks/meta`: Meta's verification challenge (GET) and event deliveries (POST) for Pages,
 * Messenger and Instagram. No session, no Origin check: Meta authenticates with the verify token and
 * the body's HMAC. The POST path does no D1 work when the signature holds: it queues and answers.
 */
export const webhookRoutes = new Hono<AppEnv>()
  .get("/meta", (c) => {
    const expected = c.env.META_WEBHOOK_VERIFY_TOKEN;
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token") ?? "";
    const challenge = c.req.query("hub.challenge") ?? "";
    const tokenMatches = expected !== undefined && expected !== "" && constantTimeEqual(encoder.encode(token), encoder.encode(expected));
    if (mode !== "subscribe" || !tokenMatches || challenge === "" || challenge.length > 256) {
      console.warn(JSON.stringify({ msg: "webhook verification refused", source: "meta", requestId: c.var.requestId, mode: mode ?? null, configured: expected !== undefined }));
      return problem(c, "forbidden", "This webhook verification request does not carry the verify token configured for this app.");
    }
    return c.text(challenge, 200, { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  })
  .post("/meta", async (c) => {
    const secret = c.env.META_APP_SECRET;
    if (!secret) {
      console.error(JSON.stringify({ msg: "meta webhook received but META_APP_SECRET is not set", requestId: c.var.requestId }));
      return problem(c, "unavailable", "Meta webhooks are not configured on this server (the Meta app secret is missing).");
    }
    // The raw bytes are read once and hashed before anything looks inside them.
    const raw = await c.req.arrayBuffer();
    const header = c.req.header("X-Hub-Signature-256");
    if (!(await verifyHubSignature(raw, header, secret))) {
      const reason = header === undefined ? "missing" : header.startsWith("sha256=") ? "mismatch" : "malformed";
      await countRejection(c.env.DB, "meta", c.var.clock(), { reason, requestId: c.var.requestId, bytes: raw.byteLength });
      return problem(c, "unauthenticated", "The X-Hub-Signature-256 header is missing or does not match the body signed with the app secret.");
    }
    let delivery: MetaDelivery;
    try {
      const parsed = MetaDelivery.safeParse(JSON.parse(utf8.decode(raw)));
      if (!parsed.success) return problem(c, "malformed-request", "The delivery is not a Meta webhook payload: it needs an `object` and an `entry` array.");
      delivery = parsed.data;
    } catch {
      return problem(c, "malformed-request", "The delivery body is not valid UTF-8 JSON.");
    }
    const { batches, oversized } = splitDelivery(delivery, c.var.clock());
    if (oversized > 0) console.error(JSON.stringify({ msg: "meta webhook entries too large for a queue message were dropped", requestId: c.var.requestId, object: delivery.object, oversized }));
    try {
      await Promise.all(batches.map((messages) => c.env.INBOUND_QUEUE.sendBatch(messages)));
    } catch (error) {
      // Meta redelivers on any non-2xx; the consumer deduplicates entries that did get through.
      console.error(JSON.stringify({ msg: "meta webhook could not be queued", requestId: c.var.requestId, object: delivery.object, entries: delivery.entry.length, error: String(error) }));
      return problem(c, "unavailable", "The delivery could not be queued right now; Meta will send it again.");
    }
    return c.text("EVENT_RECEIVED", 200);
  });
