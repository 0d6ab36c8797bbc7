import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { Schedule } from "../../durable-objects/workspace/schedule";
import { deadLetterHandler } from "../../worker/publishing/consumer";
import { MAX_DELIVERIES } from "../../worker/publishing/engine";
import { PublishMessage } from "../../worker/publishing/messages";
import { runWatchdog } from "../../worker/publishing/watchdog";
import type { WorkspaceDO } from "../../worker/index";
import { SANDBOX } from "../helpers/connect";
import { libraryFile, mp4 } from "./adapter-fixtures";
import { clearFaults, EngineHarness, fault, hub, publishingWorkspace, sandboxPosts, sandboxSettings, schedulePost, storedJpeg } from "./harness";

/** A deterministic generator, so a failing run can be replayed with the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Delivery = { message: PublishMessage; attempts: number };

const TARGETS = 336;
const SEED = 20261129;
const TERMINAL = new Set(["published", "failed", "needs_reconnect", "unconfirmed", "cancelled"]);
const PLATFORMS = ["facebook", "instagram", "threads", "tiktok", "linkedin", "youtube"] as const;

type Kind = { platform: (typeof PLATFORMS)[number]; format: string; media: "none" | "photo" | "video"; options?: (text: string) => Record<string, unknown>; chain?: boolean };
/** Every platform, in turn (the last Threads kind carries a reply, so follow-ups go through the chaos too). */
const KINDS: Kind[] = [
  { platform: "facebook", format: "post", media: "none" },
  { platform: "facebook", format: "photo", media: "photo" },
  { platform: "instagram", format: "feed", media: "photo" },
  { platform: "threads", format: "text", media: "none" },
  { platform: "threads", format: "text", media: "none", chain: true },
  { platform: "tiktok", format: "video", media: "video", options: () => ({ privacyLevel: "PUBLIC_TO_EVERYONE" }) },
  { platform: "linkedin", format: "text", media: "none" },
  { platform: "youtube", format: "video", media: "video", options: (text) => ({ title: text, privacyStatus: "public", madeForKids: false }) },
];

const GRAPH_ERROR = { error: { message: "An unknown error has occurred.", type: "OAuthException", code: 1 } };
/** The faults the chaos run injects before deliveries, each hitting the next matching platform call once. */
const FAULTS = {
  "Meta 5xx before acting": { method: "POST", path: "/v23.0/**", mode: "respond", status: 503, body: { error: { message: "Service temporarily unavailable", type: "OAuthException", code: 2, is_transient: true } } },
  "Meta 429 rate limit": { method: "POST", path: "/v23.0/**", mode: "respond", status: 429, body: { error: { message: "(#4) Application request limit reached", type: "OAuthException", code: 4, is_transient: true } } },
  "Facebook commit then 500": { method: "POST", path: "/v23.0/*/feed", mode: "after", status: 500, body: GRAPH_ERROR },
  "Instagram commit then 500": { method: "POST", path: "/v23.0/*/media_publish", mode: "after", status: 500, body: GRAPH_ERROR },
  "Meta hang (no answer in time)": { method: "POST", path: "/v23.0/**", mode: "respond", status: 504, delayMs: 900 },
  "Facebook commit then hang": { method: "POST", path: "/v23.0/*/feed", mode: "after", status: 200, delayMs: 900, body: "{}" },
  "Instagram commit then hang": { method: "POST", path: "/v23.0/*/media_publish", mode: "after", status: 200, delayMs: 900, body: "{}" },
  "Meta 5xx on a read": { method: "GET", path: "/v23.0/**", mode: "respond", status: 500, body: GRAPH_ERROR },
  "Threads commit then 500": { platform: "threads", method: "POST", path: "/v1.0/*/threads_publish", mode: "after", status: 500, body: GRAPH_ERROR },
  "Threads commit then hang": { platform: "threads", method: "POST", path: "/v1.0/*/threads_publish", mode: "after", status: 200, delayMs: 900, body: "{}" },
  "Threads 5xx before acting": { platform: "threads", method: "POST", path: "/v1.0/**", mode: "respond", status: 503, body: GRAPH_ERROR },
  "TikTok chunk then 500": { platform: "tiktok", method: "PUT", path: "/video/**", mode: "after", status: 500, body: "" },
  "TikTok 5xx before acting": { platform: "tiktok", method: "POST", path: "/v2/post/publish/**", mode: "respond", status: 500, body: { data: {}, error: { code: "internal_error", message: "Something went wrong. Please try again later.", log_id: "chaos" } } },
  "LinkedIn post then 500": { platform: "linkedin", method: "POST", path: "/rest/posts", mode: "after", status: 500, body: { status: 500, message: "Internal Server Error" } },
  "LinkedIn post then hang": { platform: "linkedin", method: "POST", path: "/rest/posts", mode: "after", status: 201, delayMs: 900, body: "" },
  "LinkedIn 429": { platform: "linkedin", method: "POST", path: "/rest/**", mode: "respond", status: 429, body: { status: 429, message: "Too Many Requests" } },
  "YouTube go-public then 500": { platform: "google", method: "PUT", path: "/youtube/v3/videos", mode: "after", status: 500, body: { error: { code: 500, message: "Backend Error", errors: [{ message: "Backend Error", domain: "global", reason: "backendError" }], status: "INTERNAL" } } },
  "YouTube upload chunk 503": { platform: "google", method: "PUT", path: "/upload/youtube/v3/videos", mode: "respond", status: 503, body: "" },
  "YouTube 5xx on a read": { platform: "google", method: "GET", path: "/youtube/v3/videos", mode: "respond", status: 503, body: { error: { code: 503, message: "The service is currently unavailable.", errors: [{ message: "The service is currently unavailable.", domain: "global", reason: "backendError" }], status: "UNAVAILABLE" } } },
} as const;

async function sandboxControl(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${SANDBOX}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(200);
}

it(
  `${TARGETS} targets through ≥ 1,000 publish attempts with random faults end terminal, with no duplicate and nothing missing`,
  async () => {
    const random = mulberry32(SEED);
    const w = await publishingWorkspace([...PLATFORMS]);
    // Daily platform caps out of the way (each is tested on its own): this run posts ~40 times per channel in a minute.
    await sandboxSettings({ processingScale: 0, igPublishLimitPerDay: 100_000 });
    await sandboxControl("/_sandbox/tiktok/creator", { dailyPostCap: 1000 });
    await sandboxControl("/_sandbox/youtube/quota", { unitsPerDay: 10_000_000, uploadsPerDay: 100_000 });
    await clearFaults();
    // A hung call counts as lost after 400 ms here (30 s in production), so hangs cost the test little.
    const harness = new EngineHarness(w.clock, { platformTimeoutMs: 400, random });
    const photo = await storedJpeg(w.workspace.id);
    const video = (await libraryFile(w.workspace.id, mp4(256 * 1024), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 15_000 })).id;

    // Scheduled through the API: every platform in turn, due within one minute. Texts carry a run id,
    // so a second run against the same sandbox never counts the first one's posts.
    const prefix = `Chaos ${SEED}.${crypto.randomUUID().slice(0, 6)} #`;
    const dueBase = w.clock.now + 10 * 60_000;
    const texts = new Map<string, string>();
    const replies = new Map<string, string>();
    for (let i = 0; i < TARGETS; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const text = `${prefix}${i}`;
      const options = { ...(kind.options?.(text) ?? {}), ...(kind.chain ? { chain: [`${text} (2/2)`] } : {}) };
      const mediaIds = kind.media === "photo" ? [photo] : kind.media === "video" ? [video] : [];
      const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: dueBase + Math.floor(random() * 60) * 1000, mediaIds, targets: [{ connectionId: w.channels[kind.platform]!, format: kind.format, options }] });
      texts.set(post.targets[0]!.id, text);
      if (kind.chain) replies.set(post.targets[0]!.id, `${text} (2/2)`);
    }

    // The alarm, with a queue that fails half-way through its second batch: the runtime retries the
    // alarm, which re-sends what it had not deleted (some of it twice).
    const queue: Delivery[] = [];
    let sends = 0;
    const flaky = {
      async sendBatch(messages: { body: unknown }[]) {
        sends += 1;
        const part = sends === 2 ? messages.slice(0, Math.floor(messages.length / 2)) : messages;
        for (const m of part) queue.push({ message: PublishMessage.parse(m.body), attempts: 1 });
        if (sends === 2) throw new Error("queue unavailable (injected)");
      },
    } as unknown as Queue<unknown>;
    const drainAt = dueBase + 61_000;
    const drain = () => runInDurableObject(hub(w.workspace.id), (_instance: WorkspaceDO, state) => new Schedule(state.storage.sql, state.storage, flaky).drain(drainAt));
    await expect(drain()).rejects.toThrow(/injected/);
    const afterRetry = await drain();
    expect(afterRetry.nextAlarmAt).toBeNull();
    const enqueuedIds = new Set(queue.map((d) => d.message.targetId));
    expect(enqueuedIds.size).toBe(TARGETS);

    // The consumer, with random faults, duplicate deliveries and message retries, until the queue is empty.
    const counts = { attempts: 0, duplicateDeliveries: 0, retries: 0, rearmed: 0, deadLettered: 0, faults: {} as Record<string, number>, watchdogRuns: 0 };
    const faultNames = Object.keys(FAULTS) as (keyof typeof FAULTS)[];
    const dlq = deadLetterHandler({ now: w.clock.read, live: async () => {} });
    const deliver = async (d: Delivery) => {
      counts.attempts += 1;
      const disposition = await harness.run(d.message, d.attempts);
      if (disposition === "ack") return;
      counts.retries += 1;
      w.clock.advance(disposition.retryAfterSeconds * 1000);
      if (d.attempts >= MAX_DELIVERIES) {
        counts.deadLettered += 1;
        await dlq(d.message, 1, env);
      } else queue.push({ message: d.message, attempts: d.attempts + 1 });
    };
    let guard = 0;
    while (queue.length > 0 || counts.attempts < 1000) {
      if (++guard > 20_000) throw new Error("chaos run did not settle");
      if (queue.length === 0) {
        // Out of work but short of 1,000 attempts: the watchdog's view of the world, and replays of old messages.
        w.clock.advance(5 * 60_000);
        counts.watchdogRuns += 1;
        await runWatchdog(harness.deps());
        for (const id of [...enqueuedIds].slice(0, 200)) queue.push({ message: { v: 1, kind: "publish.target", workspaceId: w.workspace.id, targetId: id, revision: 1 }, attempts: 1 });
      }
      const d = queue.splice(Math.floor(random() * queue.length), 1)[0]!;
      if (random() < 0.3) {
        const name = faultNames[Math.floor(random() * faultNames.length)]!;
        counts.faults[name] = (counts.faults[name] ?? 0) + 1;
        await fault({ ...FAULTS[name], times: 1 });
      }
      if (random() < 0.15) {
        counts.duplicateDeliveries += 1;
        await Promise.all([deliver(d), deliver({ ...d })]);
      } else await deliver(d);
      // Messages the engine sent itself (polling, coming back nearer the due time) join the queue.
      while (harness.sent.length) {
        counts.rearmed += 1;
        const s = harness.sent.shift()!;
        w.clock.advance(s.delaySeconds * 1000);
        queue.push({ message: s.message, attempts: 1 });
      }
    }
    await clearFaults();
    // The watchdog's last word: anything overdue and not terminal is driven once more, cleanly.
    for (let round = 0; round < 5; round++) {
      w.clock.advance(5 * 60_000);
      await runWatchdog(harness.deps());
      if (harness.sent.length === 0) break;
      while (harness.sent.length) {
        const s = harness.sent.shift()!;
        let disposition = await harness.run(s.message, 1);
        for (let n = 2; disposition !== "ack" && n <= MAX_DELIVERIES; n++) disposition = await harness.run(s.message, n);
      }
    }

    const rows = (await env.DB.prepare("SELECT id, state, remote_id FROM post_targets WHERE workspace_id = ?").bind(w.workspace.id).all<{ id: string; state: string; remote_id: string | null }>()).results;
    const byState: Record<string, number> = {};
    for (const r of rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
    const live = (await Promise.all(PLATFORMS.map((p) => sandboxPosts(p)))).flat().filter((p) => p.text.startsWith(prefix));
    const liveByText = new Map<string, number>();
    for (const p of live) liveByText.set(p.text, (liveByText.get(p.text) ?? 0) + 1);
    const duplicates = [...liveByText.values()].filter((n) => n > 1).length;
    const published = rows.filter((r) => r.state === "published");
    const missing = published.filter((r) => (liveByText.get(texts.get(r.id)!) ?? 0) === 0).length;
    const liveButNotPublished = rows.filter((r) => r.state !== "published" && r.state !== "unconfirmed" && (liveByText.get(texts.get(r.id)!) ?? 0) > 0).length;
    // A thread's reply goes out after its first post; every published one's reply is live once (follow-ups resumed by the watchdog included).
    const repliesMissing = published.filter((r) => replies.has(r.id) && (liveByText.get(replies.get(r.id)!) ?? 0) === 0).length;
    const perPlatform: Record<string, Record<string, number>> = {};
    const platformOf = new Map((await env.DB.prepare("SELECT id, platform FROM post_targets WHERE workspace_id = ?").bind(w.workspace.id).all<{ id: string; platform: string }>()).results.map((r) => [r.id, r.platform]));
    for (const r of rows) {
      const p = platformOf.get(r.id)!;
      perPlatform[p] = perPlatform[p] ?? {};
      perPlatform[p]![r.state] = (perPlatform[p]![r.state] ?? 0) + 1;
    }
    console.log(JSON.stringify({ chaos: { seed: SEED, targets: TARGETS, ...counts, states: byState, perPlatform, livePosts: live.length, duplicatePosts: duplicates, missing, liveButNotPublished, repliesMissing } }));

    expect(counts.attempts).toBeGreaterThanOrEqual(1000);
    expect(rows).toHaveLength(TARGETS);
    expect(rows.filter((r) => !TERMINAL.has(r.state))).toEqual([]);
    expect(duplicates).toBe(0);
    expect(missing).toBe(0);
    expect(liveButNotPublished).toBe(0);
    expect(repliesMissing).toBe(0);
    // Every published target carries the platform's id.
    expect(published.every((r) => r.remote_id)).toBe(true);
  },
  15 * 60_000,
);
