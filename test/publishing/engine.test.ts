import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { deadLetterHandler, publishHandler } from "../../worker/publishing/consumer";
import { MAX_DELIVERIES, runTarget } from "../../worker/publishing/engine";
import { publishMessage, type PublishMessage } from "../../worker/publishing/messages";
import { runWatchdog } from "../../worker/publishing/watchdog";
import { consumeBatch } from "../../worker/queues/consumer";
import { attemptsOf, clearFaults, drainAt, fault, ledger, messageFor, openNotifications, publishingWorkspace, sandboxPosts, sandboxSettings, scheduledRows, schedulePost, storedJpeg } from "./harness";

const HOUR = 3_600_000;
let counter = 0;
const uniqueText = (label: string) => `${label} #${Date.now()}-${++counter}`;

afterEach(async () => {
  await clearFaults();
});

describe("the workspace schedule", () => {
  it("keeps one row per target with its lead time and drains it at due − lead into the publish queue", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const dueAt = w.clock.now + HOUR;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("schedule"), dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const target = post.targets[0]!;
    const rows = await scheduledRows(w.workspace.id);
    const row = rows.find((r) => r.targetId === target.id);
    expect(row).toMatchObject({ dueAt, revision: (await ledger(target.id)).revision });
    expect(row!.leadMs).toBeGreaterThan(0);
    // Nothing is handed over before its start time …
    expect((await drainAt(w.workspace.id, dueAt - row!.leadMs - 1)).enqueued).toBe(0);
    // … and at it, exactly this target, after which the row is gone and the alarm moves on.
    const drained = await drainAt(w.workspace.id, dueAt - row!.leadMs);
    expect(drained.enqueued).toBeGreaterThanOrEqual(1);
    expect((await scheduledRows(w.workspace.id)).some((r) => r.targetId === target.id)).toBe(false);
  });

  it("moves the row on reschedule (new revision) and drops it on cancel", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const dueAt = w.clock.now + HOUR;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("move"), dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const target = post.targets[0]!;
    const before = await ledger(target.id);
    const moved = await w.client.call("PATCH", `/api/workspaces/${w.workspace.id}/posts/${post.id}`, { cookie: w.owner.cookie, body: { revision: post.revision, scheduledLocal: new Date(dueAt + HOUR).toISOString().slice(0, 16) } });
    expect(moved.status).toBe(200);
    const after = await ledger(target.id);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.due_at).toBe(dueAt + HOUR);
    expect((await scheduledRows(w.workspace.id)).find((r) => r.targetId === target.id)).toMatchObject({ dueAt: dueAt + HOUR, revision: after.revision });
    const cancelled = await w.client.call("PATCH", `/api/workspaces/${w.workspace.id}/posts/${post.id}`, { cookie: w.owner.cookie, body: { revision: post.revision + 1, status: "cancelled" } });
    expect(cancelled.status).toBe(200);
    expect((await ledger(target.id)).state).toBe("cancelled");
    expect((await scheduledRows(w.workspace.id)).some((r) => r.targetId === target.id)).toBe(false);
  });
});

describe("publishing a Facebook post", () => {
  it("goes scheduled → preparing → ready → committing → published at its second, with id, link and history", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("on the second");
    const dueAt = w.clock.now + 60_000;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const target = post.targets[0]!;
    // Delivered a minute early (e.g. by a generous lead): prepared, then sent back to return nearer the due time.
    const message = await messageFor(target.id, w.workspace.id);
    expect(await w.harness.run(message)).toBe("ack");
    expect((await ledger(target.id)).state).toBe("ready");
    const back = w.harness.sent.splice(0);
    expect(back).toHaveLength(1);
    expect(back[0]!.message).toEqual(message);
    w.clock.advance(back[0]!.delaySeconds * 1000);
    expect(dueAt - w.clock.now).toBeLessThanOrEqual(15_000);
    expect(await w.harness.run(message)).toBe("ack");
    // The consumer held the prepared target until the due second (the injected clock moved to it).
    expect(w.clock.now).toBe(dueAt);
    const row = await ledger(target.id);
    expect(row).toMatchObject({ state: "published", lease_owner: null });
    expect(row.remote_id).toBeTruthy();
    expect(row.remote_url).toMatch(/^https:\/\//);
    // The commit marker went in just ahead of the due second (never after the call).
    expect(row.commit_started_at).toBeGreaterThanOrEqual(dueAt - 2_000);
    expect(row.commit_started_at).toBeLessThanOrEqual(dueAt);
    expect(w.harness.states(target.id)).toEqual(["preparing", "ready", "published"]);
    expect((await attemptsOf(target.id)).map((a) => `${a.step}:${a.outcome}`)).toEqual(["prepare:ok", "commit:published"]);
    void message;
    const live = (await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text);
    expect(live).toHaveLength(1);
    // The API shows it too.
    const shown = await (await w.client.call("GET", `/api/workspaces/${w.workspace.id}/posts/${post.id}`, { cookie: w.owner.cookie })).json<{ targets: { state: string; remoteUrl: string; publishedAt: string }[] }>();
    expect(shown.targets[0]).toMatchObject({ state: "published", remoteUrl: row.remote_url });
  });

  it("acks a second delivery of the same message without acting (the lease or the state turns it away)", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("twice");
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const message = await messageFor(post.targets[0]!.id, w.workspace.id);
    const [first, second] = await Promise.all([w.harness.run(message), w.harness.run(message)]);
    expect([first, second]).toEqual(["ack", "ack"]);
    expect(await w.harness.run(message)).toBe("ack");
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(1);
    expect((await attemptsOf(post.targets[0]!.id)).filter((a) => a.step === "commit")).toHaveLength(1);
  });

  it("ignores a message of an older revision (rescheduled meanwhile)", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("stale");
    const dueAt = w.clock.now + 10_000;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const stale = await messageFor(post.targets[0]!.id, w.workspace.id);
    await w.client.call("PATCH", `/api/workspaces/${w.workspace.id}/posts/${post.id}`, { cookie: w.owner.cookie, body: { revision: post.revision, scheduledLocal: new Date(dueAt + HOUR).toISOString().slice(0, 16) } });
    expect(await w.harness.run(stale)).toBe("ack");
    expect((await ledger(post.targets[0]!.id)).state).toBe("scheduled");
    expect(await attemptsOf(post.targets[0]!.id)).toEqual([]);
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(0);
  });

  it("reconciles a commit whose answer was lost: the post is found live, recorded once, never re-sent", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("lost answer");
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "after", status: 500, body: { error: { message: "An unknown error has occurred.", type: "OAuthException", code: 1 } } });
    expect(await w.harness.run(await messageFor(post.targets[0]!.id, w.workspace.id))).toBe("ack");
    const row = await ledger(post.targets[0]!.id);
    expect(row.state).toBe("published");
    expect(row.remote_id).toBeTruthy();
    expect((await attemptsOf(post.targets[0]!.id)).map((a) => `${a.step}:${a.outcome}`)).toEqual(["prepare:ok", "commit:uncertain", "reconcile:published"]);
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(1);
  });

  it("reconciles a failed commit that did not go out, then commits again on the retry", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("not out");
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const target = post.targets[0]!;
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "respond", status: 503, body: { error: { message: "Service temporarily unavailable", type: "OAuthException", code: 2, is_transient: true } } });
    const message = await messageFor(target.id, w.workspace.id);
    const first = await w.harness.run(message, 1);
    expect(first).toEqual({ retryAfterSeconds: expect.any(Number) });
    const between = await ledger(target.id);
    expect(between.state).toBe("ready");
    expect(between.commit_started_at).toBeNull();
    expect(between.status_detail).toBeTruthy();
    expect(await w.harness.run(message, 2)).toBe("ack");
    expect((await ledger(target.id)).state).toBe("published");
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(1);
  });

  it("holds off the batch when the queue allows it (waitUntil), and a failed detached commit comes back as a fresh message with its try number", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("detached");
    const dueAt = w.clock.now + 4_000;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const detached: (() => Promise<void>)[] = [];
    const deps = { ...w.harness.deps(), detach: (work: () => Promise<void>) => void detached.push(work) };
    const message = await messageFor(post.targets[0]!.id, w.workspace.id);
    // Prepared and acked at once; the hold and the go-live call run after the message is done.
    expect(await runTarget(deps, message, 2)).toBe("ack");
    expect((await ledger(post.targets[0]!.id)).state).toBe("ready");
    expect(detached).toHaveLength(1);
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "respond", status: 503, body: { error: { message: "Service temporarily unavailable", code: 2, is_transient: true } } });
    await detached[0]!();
    expect(w.clock.now).toBe(dueAt);
    const back = w.harness.sent.splice(0);
    expect(back).toHaveLength(1);
    expect(back[0]!.message).toEqual({ ...message, attempt: 3 });
    expect(back[0]!.delaySeconds).toBeGreaterThan(0);
    expect((await ledger(post.targets[0]!.id)).state).toBe("ready");
    // The fresh message publishes (delivered once more, inline this time).
    expect(await w.harness.run(back[0]!.message, 1)).toBe("ack");
    expect((await ledger(post.targets[0]!.id)).state).toBe("published");
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(1);
  });

  it("backs off on a rate limit, honouring Retry-After, and says so", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("throttled"), dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "respond", status: 429, headers: { "retry-after": "120" }, body: { error: { message: "(#32) Page request limit reached", type: "OAuthException", code: 32 } } });
    const disposition = await w.harness.run(await messageFor(post.targets[0]!.id, w.workspace.id), 1);
    expect(disposition).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect((disposition as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(120);
    const row = await ledger(post.targets[0]!.id);
    expect(row.state).toBe("ready");
    expect(row.next_attempt_at).toBeGreaterThanOrEqual(w.clock.now + 120_000);
    expect(row.status_detail).toMatch(/again/i);
  });

  it("fails with the platform's reason when the post is refused, and raises a notification with Retry", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("refused"), dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "respond", status: 400, body: { error: { message: "(#100) The parameter message is invalid", type: "OAuthException", code: 100 } } });
    expect(await w.harness.run(await messageFor(post.targets[0]!.id, w.workspace.id))).toBe("ack");
    const row = await ledger(post.targets[0]!.id);
    expect(row.state).toBe("failed");
    expect(row.status_detail).toBeTruthy();
    const notes = await openNotifications(w.workspace.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "publish_failed", target_id: post.targets[0]!.id });
    const listed = await (await w.client.call("GET", `/api/workspaces/${w.workspace.id}/notifications`, { cookie: w.owner.cookie })).json<{ notifications: { action: string }[] }>();
    expect(listed.notifications[0]!.action).toBe("retry");
    // Retry puts it back on the schedule, resolves the notification, and it publishes.
    const retried = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/posts/${post.id}/targets/${post.targets[0]!.id}/retry`, { cookie: w.owner.cookie, body: {} });
    expect(retried.status).toBe(200);
    expect(await openNotifications(w.workspace.id)).toHaveLength(0);
    expect(await w.harness.run(await messageFor(post.targets[0]!.id, w.workspace.id))).toBe("ack");
    expect((await ledger(post.targets[0]!.id)).state).toBe("published");
  });

  it("asks to reconnect when the Page token is dead (Meta cannot refresh), with a notification", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("dead token"), dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "respond", status: 400, body: { error: { message: "Error validating access token: The session has been invalidated because the user changed their password.", type: "OAuthException", code: 190, error_subcode: 460 } } });
    expect(await w.harness.run(await messageFor(post.targets[0]!.id, w.workspace.id))).toBe("ack");
    expect((await ledger(post.targets[0]!.id)).state).toBe("needs_reconnect");
    expect((await openNotifications(w.workspace.id)).map((n) => n.kind)).toEqual(["needs_reconnect"]);
  });

  it("becomes unconfirmed, saying what was checked, when the answer was lost and the platform cannot be asked", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("cannot tell");
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "after", status: 502, body: "Bad Gateway" });
    await fault({ method: "GET", path: "/v23.0/*/published_posts", mode: "respond", status: 500, body: { error: { message: "An unknown error has occurred.", code: 1 } }, times: 20 });
    await fault({ method: "GET", path: "/v23.0/*/feed", mode: "respond", status: 500, body: { error: { message: "An unknown error has occurred.", code: 1 } }, times: 20 });
    // The last delivery: the reconcile cannot ask, so the person is told.
    expect(await w.harness.run(await messageFor(post.targets[0]!.id, w.workspace.id), MAX_DELIVERIES)).toBe("ack");
    const row = await ledger(post.targets[0]!.id);
    expect(row.state).toBe("unconfirmed");
    expect(row.status_detail).toMatch(/Check Facebook/);
    expect((await openNotifications(w.workspace.id)).map((n) => n.kind)).toEqual(["unconfirmed"]);
    // A retry of an unconfirmed channel needs the person's word that it is not there.
    const blind = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/posts/${post.id}/targets/${post.targets[0]!.id}/retry`, { cookie: w.owner.cookie, body: {} });
    expect(blind.status).toBe(409);
    const settled = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/posts/${post.id}/targets/${post.targets[0]!.id}/resolve`, { cookie: w.owner.cookie, body: { outcome: "published" } });
    expect(settled.status).toBe(200);
    expect((await ledger(post.targets[0]!.id)).state).toBe("published");
    expect(await openNotifications(w.workspace.id)).toHaveLength(0);
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(1);
  });
});

describe("queue batches, the dead-letter queue and the watchdog", () => {
  it("acks and retries each message of a real batch on its own", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const ok = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("batch ok"), dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const down = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("batch down"), dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await fault({ method: "POST", path: "/v23.0/*/feed", mode: "respond", status: 503, body: { error: { message: "Service temporarily unavailable", code: 2, is_transient: true } } });
    const h = w.harness.deps();
    const handlers = new Map([["publish.target", publishHandler({ now: h.now, wait: h.wait, send: h.send, live: h.live, random: h.random })]]);
    const batch = createMessageBatch("publish", [
      { id: "down", timestamp: w.clock.now, attempts: 1, body: await messageFor(down.targets[0]!.id, w.workspace.id) },
      { id: "ok", timestamp: w.clock.now, attempts: 1, body: await messageFor(ok.targets[0]!.id, w.workspace.id) },
      { id: "junk", timestamp: w.clock.now, attempts: 1, body: { v: 1, kind: "publish.target", workspaceId: w.workspace.id } as unknown as PublishMessage },
    ]);
    const ctx = createExecutionContext();
    await consumeBatch("publish", batch, handlers, env);
    const result = await getQueueResult(batch, ctx);
    // One of the two posts met the single 503; that one is retried, the other acked.
    expect(result.retryMessages).toHaveLength(1);
    expect(result.explicitAcks.sort()).toContain("junk");
    const states = [(await ledger(ok.targets[0]!.id)).state, (await ledger(down.targets[0]!.id)).state].sort();
    expect(states).toEqual(["published", "ready"]);
  });

  it("marks a target failed when its message lands in the dead-letter queue, and unconfirmed if it was committing", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const a = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("dlq a"), dueAt: w.clock.now + 5_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const b = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("dlq b"), dueAt: w.clock.now + 5_000, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await env.DB.prepare("UPDATE post_targets SET state = 'committing', commit_started_at = ? WHERE id = ?").bind(w.clock.now, b.targets[0]!.id).run();
    const h = w.harness.deps();
    const handlers = new Map([["publish.target", deadLetterHandler({ now: h.now, live: h.live })]]);
    const batch = createMessageBatch("publish-dlq", [
      { id: "a", timestamp: w.clock.now, attempts: 1, body: await messageFor(a.targets[0]!.id, w.workspace.id) },
      { id: "b", timestamp: w.clock.now, attempts: 1, body: await messageFor(b.targets[0]!.id, w.workspace.id) },
    ]);
    const ctx = createExecutionContext();
    await consumeBatch("publish-dlq", batch, handlers, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks.sort()).toEqual(["a", "b"]);
    expect((await ledger(a.targets[0]!.id)).state).toBe("failed");
    expect((await ledger(b.targets[0]!.id)).state).toBe("unconfirmed");
    expect((await openNotifications(w.workspace.id)).map((n) => n.kind).sort()).toEqual(["publish_failed", "unconfirmed"]);
  });

  it("re-drives an overdue target whose alarm was lost, reconciles one stuck committing, and tells the person after 15 minutes", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const dueAt = w.clock.now + 10_000;
    const lost = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("lost alarm"), dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    const stuck = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: uniqueText("stuck"), dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
    await env.DB.prepare("UPDATE post_targets SET state = 'committing', commit_started_at = ?, lease_owner = 'crashed', lease_expires_at = ? WHERE id = ?").bind(dueAt, dueAt + 1000, stuck.targets[0]!.id).run();
    // Not yet overdue: nothing happens to these two (the scan covers every workspace; others' targets may be picked).
    w.clock.advance(20_000);
    await runWatchdog(w.harness.deps());
    const mine = [lost.targets[0]!.id, stuck.targets[0]!.id];
    expect(w.harness.sent.filter((s) => mine.includes(s.message.targetId))).toEqual([]);
    w.clock.advance(16 * 60_000);
    const report = await runWatchdog(w.harness.deps());
    expect(report.redriven).toBeGreaterThanOrEqual(1);
    expect(report.reconciling).toBeGreaterThanOrEqual(1);
    expect(report.lateNotices).toBeGreaterThanOrEqual(2);
    const sentIds = w.harness.sent.map((s) => s.message.targetId);
    expect(sentIds).toEqual(expect.arrayContaining([lost.targets[0]!.id, stuck.targets[0]!.id]));
    // Driving the re-sent messages settles both: the lost one publishes, the stuck one is reconciled (nothing went out: committed again).
    for (const s of w.harness.sent.filter((x) => [lost.targets[0]!.id, stuck.targets[0]!.id].includes(x.message.targetId))) {
      let d = await w.harness.run(s.message, 1);
      if (d !== "ack") d = await w.harness.run(s.message, 2);
    }
    expect((await ledger(lost.targets[0]!.id)).state).toBe("published");
    expect(["published", "ready"]).toContain((await ledger(stuck.targets[0]!.id)).state);
  });
});

describe("publishing to Instagram", () => {
  it("polls a processing container during prepare (re-arming itself), then publishes on the second", async () => {
    const w = await publishingWorkspace(["instagram"]);
    await sandboxSettings({ processingScale: 1 });
    const mediaId = await storedJpeg(w.workspace.id);
    const text = uniqueText("ig image");
    const dueAt = w.clock.now + 60_000;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt, mediaIds: [mediaId], targets: [{ connectionId: w.channels.instagram!, format: "feed" }] });
    const target = post.targets[0]!;
    const message = await messageFor(target.id, w.workspace.id);
    expect(await w.harness.run(message)).toBe("ack");
    let row = await ledger(target.id);
    // The container is still processing: the step re-armed itself with a fresh message, keeping the container id.
    expect(row.state).toBe("preparing");
    const resend = w.harness.sent[0]!;
    expect(resend.message).toEqual(message);
    expect(resend.delaySeconds).toBeGreaterThan(0);
    expect(JSON.parse(row.checkpoint)).toHaveProperty("containerId");
    expect(row.status_detail).toBeTruthy();
    // Polled until FINISHED (sandbox time follows the injected clock), held, then published on the second.
    await w.harness.settle(message);
    row = await ledger(target.id);
    expect(row.state).toBe("published");
    // The commit marker went in just ahead of the due second (never after the call).
    expect(row.commit_started_at).toBeGreaterThanOrEqual(dueAt - 2_000);
    expect(row.commit_started_at).toBeLessThanOrEqual(dueAt);
    expect(row.remote_url).toMatch(/instagram\.com/);
    expect((await sandboxPosts("instagram", w.externalIds.instagram)).filter((p) => p.text === text)).toHaveLength(1);
  });

  it("reconciles a lost media_publish answer through the container's status", async () => {
    const w = await publishingWorkspace(["instagram"]);
    await sandboxSettings({ processingScale: 0 });
    const mediaId = await storedJpeg(w.workspace.id);
    const text = uniqueText("ig lost");
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 60_000, mediaIds: [mediaId], targets: [{ connectionId: w.channels.instagram!, format: "feed" }] });
    await fault({ method: "POST", path: "/v23.0/*/media_publish", mode: "after", status: 500, body: { error: { message: "An unexpected error has occurred. Please retry your request later.", type: "OAuthException", code: 2, is_transient: true } } });
    const message = await messageFor(post.targets[0]!.id, w.workspace.id);
    await w.harness.settle(message);
    expect((await ledger(post.targets[0]!.id)).state).toBe("published");
    expect((await attemptsOf(post.targets[0]!.id)).map((a) => `${a.step}:${a.outcome}`)).toContain("reconcile:published");
    expect((await sandboxPosts("instagram", w.externalIds.instagram)).filter((p) => p.text === text)).toHaveLength(1);
  });
});

describe("post actions", () => {
  it("posts now, duplicates, and deletes a published Facebook post on the platform too", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const text = uniqueText("actions");
    const created = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/posts`, { cookie: w.owner.cookie, body: { baseText: text, status: "draft", timezone: "UTC", targets: [{ connectionId: w.channels.facebook!, format: "post", options: {} }] } });
    const post = await created.json<{ id: string; targets: { id: string }[] }>();
    const now = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/posts/${post.id}/publish-now`, { cookie: w.owner.cookie });
    expect(now.status).toBe(200);
    const target = post.targets[0]!.id;
    expect((await ledger(target))).toMatchObject({ state: "scheduled", due_at: w.clock.now });
    expect((await scheduledRows(w.workspace.id)).some((r) => r.targetId === target)).toBe(true);
    expect(await w.harness.run(await messageFor(target, w.workspace.id))).toBe("ack");
    expect((await ledger(target)).state).toBe("published");
    // A published post cannot be edited …
    const edit = await w.client.call("PATCH", `/api/workspaces/${w.workspace.id}/posts/${post.id}`, { cookie: w.owner.cookie, body: { revision: 2, baseText: "changed" } });
    expect(edit.status).toBe(409);
    // … but can be duplicated into a new draft.
    const copy = await w.client.call("POST", `/api/workspaces/${w.workspace.id}/posts/${post.id}/duplicate`, { cookie: w.owner.cookie });
    expect(copy.status).toBe(201);
    expect(await copy.json()).toMatchObject({ status: "draft", baseText: text, targets: [{ state: "draft", remoteId: null }] });
    const history = await (await w.client.call("GET", `/api/workspaces/${w.workspace.id}/posts/${post.id}/attempts`, { cookie: w.owner.cookie })).json<{ attempts: { step: string }[] }>();
    expect(history.attempts.map((a) => a.step)).toEqual(["prepare", "commit"]);
    const removed = await w.client.call("DELETE", `/api/workspaces/${w.workspace.id}/posts/${post.id}?remove=platform`, { cookie: w.owner.cookie });
    expect(removed.status).toBe(204);
    expect((await sandboxPosts("facebook", w.externalIds.facebook)).filter((p) => p.text === text)).toHaveLength(0);
  });
});

it("a publish message names a target and its revision", () => {
  expect(publishMessage("w", "t", 3)).toEqual({ v: 1, kind: "publish.target", workspaceId: "w", targetId: "t", revision: 3 });
});
