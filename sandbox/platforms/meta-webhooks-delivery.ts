import { z } from "zod";
import { SANDBOX_APPS } from "../apps";
import type { SandboxStore } from "../store/store";
import { hex, nextSeq } from "./meta-publish-common";
import { META_IG_ACCOUNTS } from "./meta-world";

/**
 * Meta's webhook emitter (meta-webhooks-and-deletion.md §1, §3, §7): which events reach the app
 * (app-level subscription × asset-level subscription), the exact bytes on the wire (escaped unicode),
 * their signatures, deliveries with retries and optional duplicates, and a log tests can read.
 */
const APP_ID = SANDBOX_APPS.meta.clientId;
const SUBSCRIPTIONS_KEY = "webhooks:subscriptions";
const SETTINGS_KEY = "webhooks:settings";
const LOG_ACCOUNT = "webhooks";
/** Callback URLs with this path are answered in-process by the sandbox's own sink (see meta-webhooks-sink.ts). */
export const SINK_PATH = "/_sandbox/webhooks/sink";

export type WebhookObject = "page" | "instagram";
export type AppSubscription = { object: WebhookObject; callbackUrl: string; fields: string[]; verifyToken: string; active: boolean };

export function appSubscriptions(store: SandboxStore): Partial<Record<WebhookObject, AppSubscription>> {
  return JSON.parse(store.meta(SUBSCRIPTIONS_KEY) ?? "{}") as Partial<Record<WebhookObject, AppSubscription>>;
}

export function saveAppSubscription(store: SandboxStore, object: WebhookObject, subscription: AppSubscription | null): void {
  const all = appSubscriptions(store);
  if (subscription) all[object] = subscription;
  else delete all[object];
  store.setMeta(SUBSCRIPTIONS_KEY, JSON.stringify(all));
}

export const WebhookSettings = z.object({
  /** Probability (0–1) that a delivered event is delivered a second time, as Meta sometimes does. */
  duplicateRate: z.number().min(0).max(1),
  /** Attempts per delivery before giving up (the first one included). */
  maxAttempts: z.number().int().min(1).max(10),
});
export type WebhookSettings = z.infer<typeof WebhookSettings>;
const DEFAULT_SETTINGS: WebhookSettings = { duplicateRate: 0, maxAttempts: 3 };

export function webhookSettings(store: SandboxStore): WebhookSettings {
  const stored = WebhookSettings.partial().safeParse(JSON.parse(store.meta(SETTINGS_KEY) ?? "{}"));
  return { ...DEFAULT_SETTINGS, ...(stored.success ? stored.data : {}) };
}

export function updateWebhookSettings(store: SandboxStore, input: unknown): { ok: true; settings: WebhookSettings } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = WebhookSettings.partial().strict().safeParse(input ?? {});
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const settings: WebhookSettings = { ...webhookSettings(store), ...parsed.data };
  store.setMeta(SETTINGS_KEY, JSON.stringify(settings));
  return { ok: true, settings };
}

// ── the bytes on the wire ──────────────────────────────────────────────────

/**
 * Meta's escaped-unicode JSON: every UTF-16 unit outside ASCII as a lowercase `\uXXXX` (an emoji
 * becomes its surrogate pair) and `/` as `\/`. Both only occur inside JSON strings, so escaping the
 * serialized text is safe. Older docs also list `<`, `%`, `@`; the sandbox follows the current text
 * (non-ASCII and `/` only) — unverified which set Meta escapes today.
 */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u007f-\uffff/]/g, (ch) => (ch === "/" ? "\\/" : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

async function hmacHex(algorithm: "SHA-256" | "SHA-1", secret: string, bytes: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: algorithm }, false, ["sign"]);
  return hex(new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes)));
}

/** `X-Hub-Signature-256` and the legacy `X-Hub-Signature` over exactly these bytes, with the app secret. */
export async function signBody(body: string): Promise<{ sha256: string; sha1: string }> {
  const bytes = new TextEncoder().encode(body);
  const secret = SANDBOX_APPS.meta.clientSecret;
  return { sha256: `sha256=${await hmacHex("SHA-256", secret, bytes)}`, sha1: `sha1=${await hmacHex("SHA-1", secret, bytes)}` };
}

// ── events ─────────────────────────────────────────────────────────────────

/**
 * One change to deliver: a `changes[]` value (feed, comments: entry `time` in seconds) or a
 * `messaging[]` event (messages and echoes: entry `time` in milliseconds).
 */
export type WebhookEvent = { object: WebhookObject; accountId: string; field: string } & ({ change: Record<string, unknown> } | { messaging: Record<string, unknown> });

export type DeliveryAttempt = { status: number | null; error: string | null; at: number; ms: number };
export type DeliveryRecord = { seq: number; object: WebhookObject; field: string; accountId: string; callbackUrl: string; body: string; signature256: string; signature1: string; attempts: DeliveryAttempt[]; ok: boolean; duplicate: boolean };
export type DeliveryOutcome = { delivered: false; reason: string } | { delivered: true; deliveryId: string; ok: boolean; status: number | null; attempts: number; duplicates: number };

/**
 * Whether Meta would send this event at all: the app subscribed the object and field, and the asset
 * subscribed the app. Instagram (Facebook Login) events flow through the linked Page's subscription,
 * which needs at least one field (partially verified in the doc). Page echoes need `message_echoes`.
 */
function gate(store: SandboxStore, event: WebhookEvent): AppSubscription | string {
  const app = appSubscriptions(store)[event.object];
  if (!app || !app.active) return `The app has no active "${event.object}" webhook subscription (POST /{app-id}/subscriptions or /_sandbox/webhooks/subscribe).`;
  if (!app.fields.includes(event.field)) return `The app's "${event.object}" subscription does not include the field "${event.field}".`;
  const pageId = event.object === "page" ? event.accountId : META_IG_ACCOUNTS.find((a) => a.id === event.accountId)?.pageId;
  if (!pageId) return `${event.accountId} is not an Instagram account linked to a sandbox Page.`;
  const pageFields = (JSON.parse(store.meta(`meta:subscribed:${pageId}`) ?? "{}") as Record<string, string[]>)[APP_ID] ?? [];
  if (event.object === "page" && !pageFields.includes(event.field)) return `Page ${pageId} has not subscribed the app to "${event.field}" (POST /${pageId}/subscribed_apps).`;
  if (event.object === "instagram" && pageFields.length === 0) return `Page ${pageId}, linked to Instagram account ${event.accountId}, has not subscribed the app (POST /${pageId}/subscribed_apps).`;
  return app;
}

export function envelope(events: WebhookEvent[], now: number): Record<string, unknown> {
  const object = events[0]?.object ?? "page";
  return {
    object,
    entry: events.map((e) => ("change" in e ? { id: e.accountId, time: Math.floor(now / 1000), changes: [{ field: e.field, value: e.change }] } : { id: e.accountId, time: now, messaging: [e.messaging] })),
  };
}

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

/** How the sandbox reaches a callback URL: over the network, except its own sink (answered in-process). */
export type CallbackFetch = (url: string, init: RequestInit) => Promise<Response>;

async function attempt(send: CallbackFetch, url: string, body: string, signatures: { sha256: string; sha1: string }, now: () => number): Promise<DeliveryAttempt> {
  const started = Date.now();
  const at = now();
  try {
    const response = await send(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signatures.sha256, "x-hub-signature": signatures.sha1, "user-agent": "facebookexternalua" },
      body,
      // Messenger wants an answer within 5 s; the sandbox waits a little longer before calling it a failure.
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return { status: response.status, error: null, at, ms: Date.now() - started };
  } catch (error) {
    return { status: null, error: error instanceof Error ? error.message : String(error), at, ms: Date.now() - started };
  }
}

/**
 * Sends the events (one object per POST) if Meta would. Meta retries a failed delivery at once, then
 * with decreasing frequency over 36 h; the sandbox keeps no timers for that and retries inline
 * (`maxAttempts` in all, no pause), recording every attempt. With `duplicateRate`, a delivered body is
 * sent a second time, byte for byte, as Meta's redeliveries are.
 */
export async function emitWebhook(store: SandboxStore, send: CallbackFetch, events: WebhookEvent[]): Promise<DeliveryOutcome> {
  const first = events[0];
  if (!first) return { delivered: false, reason: "No events." };
  const subscription = gate(store, first);
  if (typeof subscription === "string") return { delivered: false, reason: subscription };
  const body = metaJson(envelope(events, store.now()));
  const signatures = await signBody(body);
  const settings = webhookSettings(store);
  const deliver = async (duplicate: boolean): Promise<{ id: string; record: DeliveryRecord }> => {
    const attempts: DeliveryAttempt[] = [];
    for (let i = 0; i < settings.maxAttempts; i += 1) {
      const result = await attempt(send, subscription.callbackUrl, body, signatures, () => store.now());
      attempts.push(result);
      if (isSuccess(result.status)) break;
    }
    const seq = nextSeq(store);
    const record: DeliveryRecord = { seq, object: first.object, field: first.field, accountId: first.accountId, callbackUrl: subscription.callbackUrl, body, signature256: signatures.sha256, signature1: signatures.sha1, attempts, ok: isSuccess(attempts.at(-1)?.status ?? null), duplicate };
    const id = `whd_${String(seq).padStart(12, "0")}`;
    store.publishing.createObject({ id, platform: "meta", accountId: LOG_ACCOUNT, kind: "webhook_delivery", data: record });
    return { id, record };
  };
  const original = await deliver(false);
  let duplicates = 0;
  if (original.record.ok && settings.duplicateRate > 0 && Math.random() < settings.duplicateRate) {
    await deliver(true);
    duplicates += 1;
  }
  return { delivered: true, deliveryId: original.id, ok: original.record.ok, status: original.record.attempts.at(-1)?.status ?? null, attempts: original.record.attempts.length, duplicates };
}

/** Deliveries after sequence number `since`, oldest first. */
export function deliveries(store: SandboxStore, since: number): (DeliveryRecord & { id: string })[] {
  return store.publishing
    .objectsOf("meta", LOG_ACCOUNT, "webhook_delivery")
    .map((o) => ({ ...(o.data as DeliveryRecord), id: o.id }))
    .filter((d) => d.seq > since)
    .sort((a, b) => a.seq - b.seq);
}
