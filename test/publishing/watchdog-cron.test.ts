import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { PublishMessage } from "../../worker/publishing/messages";
import { OVERDUE_GRACE_MS } from "../../worker/publishing/watchdog";
import { TestClock } from "../helpers/client";
import { channel, ownerWithWorkspace } from "../posts/fixtures";
import { attemptsOf, ledger, sandboxPosts, schedulePost } from "./harness";

const MINUTE = 60_000;
let counter = 0;
const uniqueText = (label: string) => `${label} #${Date.now()}-${++counter}`;

/**
 * These tests go through the Worker's real entry points: `scheduled` (the cron, as Cloudflare and the
 * local cron fire it) and `queue` (the publish consumer), with the engine on real time. The post is
 * scheduled by a client whose clock is a few minutes behind, so its due time is already past in real
 * time when the cron runs; nothing sleeps.
 */
async function overduePost(label: string) {
  const clock = new TestClock(Date.now() - 4 * MINUTE);
  const base = await ownerWithWorkspace(clock);
  const page = await channel(base.client, base.owner, base.workspace.id, "facebook");
  const text = uniqueText(label);
  const dueAt = clock.now + MINUTE;
  const post = await schedulePost(base.client, base.owner.cookie, base.workspace.id, { text, dueAt, targets: [{ connectionId: page, format: "post" }] });
  return { ...base, text, dueAt, targetId: post.targets[0]!.id };
}

/** Fires the cron through the Worker's `scheduled` entry point; resolves with the publish messages it sent for `targetId`. */
async function fireCron(scheduledTime: number, targetId: string): Promise<PublishMessage[]> {
  const send = vi.spyOn(env.PUBLISH_QUEUE, "send");
  try {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    return send.mock.calls.map(([body]) => PublishMessage.safeParse(body)).flatMap((r) => (r.success && r.data.targetId === targetId ? [r.data] : []));
  } finally {
    send.mockRestore();
  }
}

/** Delivers messages to the publish consumer through the Worker's `queue` entry point. */
async function deliver(messages: PublishMessage[]) {
  const batch = createMessageBatch("publish", messages.map((body, i) => ({ id: `redriven-${i}`, timestamp: Date.now(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the cron's publishing watchdog, from the scheduled entry point", () => {
  it("re-drives a target whose queue message was dropped, and the post goes live exactly once", async () => {
    const p = await overduePost("dropped message");
    // The schedule handed the target over (its message went to a queue nobody consumes here: lost), so
    // the ledger still says scheduled, past due.
    expect((await ledger(p.targetId)).state).toBe("scheduled");
    expect(await sandboxPosts("facebook").then((posts) => posts.filter((x) => x.text === p.text))).toEqual([]);

    // Within the grace minute the watchdog leaves it to the queue.
    expect(await fireCron(p.dueAt + OVERDUE_GRACE_MS - 1_000, p.targetId)).toEqual([]);

    const resent = await fireCron(Date.now(), p.targetId);
    expect(resent).toEqual([{ v: 1, kind: "publish.target", workspaceId: p.workspace.id, targetId: p.targetId, revision: (await ledger(p.targetId)).revision }]);

    const result = await deliver(resent);
    expect(result.explicitAcks).toEqual(["redriven-0"]);
    const row = await ledger(p.targetId);
    expect(row).toMatchObject({ state: "published", lease_owner: null });
    const live = (await sandboxPosts("facebook")).filter((x) => x.text === p.text);
    expect(live).toHaveLength(1);
    expect(row.remote_id).toBe(live[0]!.id);
    expect((await attemptsOf(p.targetId)).map((a) => `${a.step}:${a.outcome}`)).toContain("commit:published");

    // Published is final: the next runs send nothing more, and a late duplicate delivery changes nothing.
    expect(await fireCron(Date.now() + MINUTE, p.targetId)).toEqual([]);
    expect((await deliver(resent)).explicitAcks).toEqual(["redriven-0"]);
    expect((await sandboxPosts("facebook")).filter((x) => x.text === p.text)).toHaveLength(1);
  });

  it("waits for a crashed consumer's lease to run out, then re-drives the target it held", async () => {
    const p = await overduePost("crashed consumer");
    const leaseEnds = Date.now() - 1_000;
    await env.DB.prepare("UPDATE post_targets SET state = 'preparing', lease_owner = 'consumer-that-died', lease_expires_at = ? WHERE id = ?").bind(leaseEnds, p.targetId).run();

    expect(await fireCron(leaseEnds - 1_000, p.targetId)).toEqual([]);
    const resent = await fireCron(Date.now(), p.targetId);
    expect(resent).toHaveLength(1);

    expect((await deliver(resent)).explicitAcks).toEqual(["redriven-0"]);
    expect(await ledger(p.targetId)).toMatchObject({ state: "published", lease_owner: null });
    expect((await sandboxPosts("facebook")).filter((x) => x.text === p.text)).toHaveLength(1);
  });

  it("reports the run as failed when the queue is unreachable, after still running the other parts", async () => {
    const p = await overduePost("queue outage");
    await env.DB.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES (?, 0, 1)").bind(`stale-${p.targetId}`).run();
    const log = vi.spyOn(console, "log");
    vi.spyOn(env.PUBLISH_QUEUE, "send").mockRejectedValue(new Error("queue unavailable"));
    const ctx = createExecutionContext();
    await expect(worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx)).rejects.toThrow("cron parts failed: watchdog");
    await waitOnExecutionContext(ctx);

    const line = log.mock.calls.map(([first]) => String(first)).find((l) => l.includes('"cron done"'));
    expect(JSON.parse(line ?? "{}")).toMatchObject({ msg: "cron done", watchdog: null, failed: ["watchdog"], retention: expect.objectContaining({ rateLimits: expect.any(Number) }), commentPolling: expect.objectContaining({ failed: 0 }) });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM rate_limits WHERE key = ?").bind(`stale-${p.targetId}`).first("n")).toBe(0);
    // Nothing was lost: the target is still due, for the next run.
    expect(await ledger(p.targetId)).toMatchObject({ state: "scheduled", lease_owner: null });
  });
});
