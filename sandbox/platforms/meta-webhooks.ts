import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS, SANDBOX_META_WEBHOOK_VERIFY_TOKEN } from "../apps";
import type { SandboxStore } from "../store/store";
import { graphError } from "./graph-common";
import { publishParams, type Ctx } from "./meta-publish-common";
import { appSubscriptions, deliveries, saveAppSubscription, updateWebhookSettings, webhookSettings, type CallbackFetch, type WebhookObject } from "./meta-webhooks-delivery";
import { answerSink, callbackFetch, failSink, sinkReceipts } from "./meta-webhooks-sink";

/**
 * App-level webhook subscriptions (meta-webhooks-and-deletion.md §1–2): `POST|GET|DELETE
 * /{app-id}/subscriptions` with the app token `{app-id}|{app-secret}`, and the control shortcuts under
 * `/_sandbox/webhooks`. A subscription is stored only after its callback echoed the challenge.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";
const APP = SANDBOX_APPS.meta;
const APP_TOKEN = `${APP.clientId}|${APP.clientSecret}`;

/** Fields the sandbox can emit, per object. Instagram subscriptions are a dashboard setting at Meta; the sandbox takes them through the same API. */
export const WEBHOOK_FIELDS: Record<WebhookObject, string[]> = {
  page: ["feed", "messages", "message_echoes", "messaging_postbacks", "message_deliveries", "message_reads", "message_reactions", "mention"],
  instagram: ["comments", "live_comments", "mentions", "messages", "messaging_postbacks", "messaging_seen", "message_reactions"],
};
const DEFAULT_FIELDS: Record<WebhookObject, string[]> = { page: ["feed", "messages", "message_echoes"], instagram: ["comments", "messages"] };

export type SubscribeResult = { ok: true } | { ok: false; status: number | null; detail: string };

/**
 * Meta's verification request: `GET <callback>?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`,
 * accepted only when the answer is 200 with the challenge as the whole body.
 */
export async function verifyAndSubscribe(store: SandboxStore, send: CallbackFetch, input: { object: WebhookObject; callbackUrl: string; fields: string[]; verifyToken: string }): Promise<SubscribeResult> {
  const challenge = String(crypto.getRandomValues(new Uint32Array(1))[0] ?? 1);
  const url = new URL(input.callbackUrl);
  url.searchParams.set("hub.mode", "subscribe");
  url.searchParams.set("hub.verify_token", input.verifyToken);
  url.searchParams.set("hub.challenge", challenge);
  let response: Response;
  try {
    response = await send(url.toString(), { method: "GET", signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return { ok: false, status: null, detail: `Callback verification failed: the callback URL could not be reached (${error instanceof Error ? error.message : String(error)}).` };
  }
  const text = await response.text();
  if (response.status !== 200 || text.trim() !== challenge) {
    return { ok: false, status: response.status, detail: `Callback verification failed with the following errors: HTTP Status Code = ${response.status}; ${response.status === 200 ? "the response did not match the challenge" : `HTTP Message = ${response.statusText || "error"}`}` };
  }
  saveAppSubscription(store, input.object, { object: input.object, callbackUrl: input.callbackUrl, fields: input.fields, verifyToken: input.verifyToken, active: true });
  return { ok: true };
}

function renderSubscriptions(store: SandboxStore) {
  return Object.values(appSubscriptions(store)).map((s) => ({ object: s.object, callback_url: s.callbackUrl, active: s.active, fields: s.fields.map((name) => ({ name, version: "v23.0" })) }));
}

const appTokenError = (c: Ctx) => graphError(c, { code: 190, message: "Invalid OAuth access token - Cannot parse access token" });

/** `graph.facebook.com/{version}/{app-id}/subscriptions`. */
export function metaSubscriptionRoutes(): Hono<SandboxEnv> {
  const path = `${V}/:app{[0-9]+}/subscriptions`;
  const checkApp = async (c: Ctx): Promise<URLSearchParams | Response> => {
    const params = await publishParams(c);
    if (c.req.param("app") !== APP.clientId) return graphError(c, { code: 100, subcode: 33, type: "GraphMethodException", message: `Unsupported ${c.req.method.toLowerCase()} request. Object with ID '${c.req.param("app") ?? ""}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.` });
    const header = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if ((header ?? params.get("access_token")) !== APP_TOKEN) return appTokenError(c);
    return params;
  };
  return new Hono<SandboxEnv>()
    .get(path, async (c) => {
      const params = await checkApp(c);
      return params instanceof Response ? params : c.json({ data: renderSubscriptions(c.var.store) });
    })
    .post(path, async (c) => {
      const params = await checkApp(c);
      if (params instanceof Response) return params;
      const object = params.get("object");
      if (object !== "page" && object !== "instagram") return graphError(c, { code: 100, message: `(#100) Param object must be one of {page, instagram} in the sandbox - got "${object ?? ""}"` });
      const callbackUrl = params.get("callback_url");
      const verifyToken = params.get("verify_token");
      const fields = (params.get("fields") ?? "").split(",").map((f) => f.trim()).filter(Boolean);
      if (!callbackUrl) return graphError(c, { code: 100, message: "(#100) The parameter callback_url is required" });
      if (!verifyToken) return graphError(c, { code: 100, message: "(#100) The parameter verify_token is required" });
      if (fields.length === 0) return graphError(c, { code: 100, message: "(#100) The parameter fields is required" });
      const bad = fields.find((f) => !WEBHOOK_FIELDS[object].includes(f));
      if (bad) return graphError(c, { code: 100, message: `(#100) Param fields[0] must be one of {${WEBHOOK_FIELDS[object].join(", ")}} - got "${bad}"` });
      if (!/^https?:\/\//.test(callbackUrl)) return graphError(c, { code: 100, message: "(#100) Param callback_url must be a valid URL" });
      // Fields accumulate across calls for the same object, as in the App Dashboard.
      const existing = appSubscriptions(c.var.store)[object];
      const merged = existing && existing.callbackUrl === callbackUrl ? [...new Set([...existing.fields, ...fields])] : fields;
      const result = await verifyAndSubscribe(c.var.store, callbackFetch(c.var.store), { object, callbackUrl, fields: merged, verifyToken });
      // Graph's code for a failed callback verification (unverified: code 2200 as commonly reported).
      return result.ok ? c.json({ success: true }) : graphError(c, { code: 2200, message: `(#2200) ${result.detail}` });
    })
    .delete(path, async (c) => {
      const params = await checkApp(c);
      if (params instanceof Response) return params;
      const object = params.get("object");
      for (const key of ["page", "instagram"] as const) if (object === null || object === key) saveAppSubscription(c.var.store, key, null);
      return c.json({ success: true });
    });
}

const SubscribeShortcut = z.object({ callbackUrl: z.url(), objects: z.array(z.enum(["page", "instagram"])).min(1).default(["page", "instagram"]) });

/** `/_sandbox/webhooks/…`: subscribe with the sandbox app's verify token, settings, the delivery log and the sink. */
export function webhookControlRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post("/subscribe", async (c) => {
      const parsed = SubscribeShortcut.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
      const results: Record<string, SubscribeResult> = {};
      for (const object of parsed.data.objects) {
        results[object] = await verifyAndSubscribe(c.var.store, callbackFetch(c.var.store), { object, callbackUrl: parsed.data.callbackUrl, fields: DEFAULT_FIELDS[object], verifyToken: SANDBOX_META_WEBHOOK_VERIFY_TOKEN });
      }
      const ok = Object.values(results).every((r) => r.ok);
      return c.json({ ok, results, subscriptions: renderSubscriptions(c.var.store) }, ok ? 200 : 502);
    })
    .get("/subscriptions", (c) => c.json({ data: renderSubscriptions(c.var.store) }))
    .delete("/subscriptions", (c) => {
      saveAppSubscription(c.var.store, "page", null);
      saveAppSubscription(c.var.store, "instagram", null);
      return c.json({ ok: true });
    })
    .get("/settings", (c) => c.json({ settings: webhookSettings(c.var.store) }))
    .post("/settings", async (c) => {
      const result = updateWebhookSettings(c.var.store, await c.req.json().catch(() => ({})));
      return result.ok ? c.json({ settings: result.settings }) : c.json({ error: result.issues }, 400);
    })
    .get("/deliveries", (c) => c.json({ deliveries: deliveries(c.var.store, Number(c.req.query("since") ?? "0") || 0) }))
    .get("/sink/received", (c) => c.json({ received: sinkReceipts(c.var.store, Number(c.req.query("since") ?? "0") || 0) }))
    .post("/sink/fail", async (c) => {
      const body = z.object({ times: z.number().int().min(0).max(1000), status: z.number().int().min(300).max(599).default(500) }).safeParse(await c.req.json().catch(() => null));
      if (!body.success) return c.json({ error: body.error.issues }, 400);
      failSink(c.var.store, body.data.times, body.data.status);
      return c.json({ ok: true });
    })
    .on(["GET", "POST"], "/sink", (c) => answerSink(c.var.store, c.req.raw));
}
