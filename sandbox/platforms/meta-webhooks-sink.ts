import { SANDBOX_META_WEBHOOK_VERIFY_TOKEN } from "../apps";
import type { SandboxStore } from "../store/store";
import { nextSeq } from "./meta-publish-common";
import { emitWebhook, SINK_PATH, type CallbackFetch, type DeliveryOutcome, type WebhookEvent } from "./meta-webhooks-delivery";

/**
 * A webhook receiver inside the sandbox, for tests and demos that want to see exactly what Meta would
 * send (raw bytes and headers) without the app. Any callback URL whose path is `/_sandbox/webhooks/sink`
 * is answered here in-process: in tests the sandbox's outbound requests go to the app, and locally the
 * sandbox cannot be sure of its own address. It answers the verification challenge for the sandbox
 * app's verify token, records every POST and can be told to fail the next N deliveries.
 */
const FAIL_KEY = "webhooks:sink_fail";
const SINK_ACCOUNT = "sink";

export type SinkReceipt = { seq: number; body: string; headers: Record<string, string> };

export function failSink(store: SandboxStore, times: number, status: number): void {
  store.setMeta(FAIL_KEY, JSON.stringify({ remaining: times, status }));
}

export function sinkReceipts(store: SandboxStore, since: number): SinkReceipt[] {
  return store.publishing
    .objectsOf("meta", SINK_ACCOUNT, "webhook_receipt")
    .map((o) => o.data as SinkReceipt)
    .filter((r) => r.seq > since)
    .sort((a, b) => a.seq - b.seq);
}

/** What the sink answers to a request, as its own HTTP server would. */
export async function answerSink(store: SandboxStore, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === "GET") {
    const ok = url.searchParams.get("hub.mode") === "subscribe" && url.searchParams.get("hub.verify_token") === SANDBOX_META_WEBHOOK_VERIFY_TOKEN;
    return ok ? new Response(url.searchParams.get("hub.challenge") ?? "", { status: 200 }) : new Response("Forbidden", { status: 403 });
  }
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const body = await request.text();
  const fail = JSON.parse(store.meta(FAIL_KEY) ?? "null") as { remaining: number; status: number } | null;
  if (fail && fail.remaining > 0) {
    store.setMeta(FAIL_KEY, JSON.stringify({ ...fail, remaining: fail.remaining - 1 }));
    return new Response("Injected failure", { status: fail.status });
  }
  const headers: Record<string, string> = {};
  for (const name of ["content-type", "x-hub-signature-256", "x-hub-signature", "user-agent"]) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const seq = nextSeq(store);
  store.publishing.createObject({ id: `whr_${String(seq).padStart(12, "0")}`, platform: "meta", accountId: SINK_ACCOUNT, kind: "webhook_receipt", data: { seq, body, headers } });
  return new Response("EVENT_RECEIVED", { status: 200 });
}

/** Reaches a callback URL: the sink in-process, anything else over the network. */
export function callbackFetch(store: SandboxStore): CallbackFetch {
  return (url, init) => {
    const parsed = new URL(url);
    if (parsed.pathname === SINK_PATH) return answerSink(store, new Request(url, init));
    return fetch(url, init);
  };
}

/** Emits events to the app's subscription the way every sandbox caller does (sink in-process). */
export function emitEvents(store: SandboxStore, events: WebhookEvent[]): Promise<DeliveryOutcome> {
  return emitWebhook(store, callbackFetch(store), events);
}
