import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { FRESH_EVERY_MS, isDue, pollIntervalMs, WEEK_EVERY_MS } from "../../worker/inbox/polling/cadence";
import { recentPublishedQuery } from "../../worker/inbox/polling/cursor";
import { pollComments } from "../../worker/inbox/polling/poller";
import { clearFaults, fault } from "../publishing/harness";
import { advance, commentCursor, pollDeps, publishedPair, threadOf, youtubeComment } from "./polling-fixtures";

const HOUR = 3_600_000;

afterEach(async () => {
  await clearFaults();
});

describe("polling cadence", () => {
  it("polls every 5 minutes in the first day, hourly until a week, then never", () => {
    const published = Date.UTC(2026, 10, 1);
    expect(pollIntervalMs(published, published + HOUR)).toBe(FRESH_EVERY_MS);
    expect(pollIntervalMs(published, published + 25 * HOUR)).toBe(WEEK_EVERY_MS);
    expect(pollIntervalMs(published, published + 7 * 24 * HOUR)).toBeNull();
    expect(isDue(published, null, published + 1)).toBe(true);
    expect(isDue(published, published + HOUR, published + HOUR + FRESH_EVERY_MS - 1)).toBe(false);
    expect(isDue(published, published + HOUR, published + HOUR + FRESH_EVERY_MS)).toBe(true);
    expect(isDue(published, null, published + 8 * 24 * HOUR)).toBe(false);
  });
});

describe("polling budget", () => {
  it("spends at most the run's YouTube calls, newest video first, and reaches the others in the next runs", async () => {
    const older = await publishedPair();
    const newer = await publishedPair();
    await youtubeComment({ videoId: older.videoId, text: "From the older video" });
    await youtubeComment({ videoId: newer.videoId, text: "From the newer video" });
    await advance(newer, 1_000);
    const deps = { ...pollDeps(newer), budget: { youtubeCallsPerRun: 1, linkedinCallsPerRun: 100, pagesPerPost: 3 } };

    await pollComments(deps);
    expect((await threadOf(newer.channels.youtube!, newer.videoId))?.messages.map((m) => m.text)).toEqual(["From the newer video"]);
    expect(await threadOf(older.channels.youtube!, older.videoId)).toBeNull();
    expect((await commentCursor(older.targets.youtube))?.lastPolledAt ?? null).toBeNull();

    await advance(newer, 60_000);
    await pollComments(deps);
    expect((await threadOf(older.channels.youtube!, older.videoId))?.messages.map((m) => m.text)).toEqual(["From the older video"]);
  });

  it("stops polling YouTube for the run once the quota is spent, without claiming the videos it could not read", async () => {
    const older = await publishedPair();
    const newer = await publishedPair();
    await youtubeComment({ videoId: older.videoId, text: "Still waiting" });
    await advance(newer, 1_000);
    const quota = { error: { code: 403, message: "The request cannot be completed because you have exceeded your quota.", errors: [{ message: "quota", domain: "youtube.quota", reason: "quotaExceeded" }], status: "PERMISSION_DENIED" } };
    await fault({ platform: "google", method: "GET", path: "/youtube/v3/commentThreads", mode: "respond", status: 403, body: JSON.stringify(quota), times: 1 });

    const report = await pollComments(pollDeps(newer));
    expect(report.failed).toBe(1);
    expect((await commentCursor(newer.targets.youtube))?.lastPolledAt).toBe(newer.clock.now);
    expect((await commentCursor(older.targets.youtube))?.lastPolledAt ?? null).toBeNull();
    // LinkedIn is polled all the same.
    expect((await commentCursor(newer.targets.linkedin))?.lastPolledAt).toBe(newer.clock.now);

    await advance(newer, 60_000);
    await pollComments(pollDeps(newer));
    expect((await threadOf(older.channels.youtube!, older.videoId))?.messages.map((m) => m.text)).toEqual(["Still waiting"]);
  });
});

describe("polling scan", () => {
  it("finds the posts to poll through the (state, due_at) index, not a scan of every target", async () => {
    const { sql, params } = recentPublishedQuery(createDb(env.DB), Date.now()).toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join("\n");
    expect(plan).toMatch(/USING INDEX post_targets_state_due_idx/);
    expect(plan).not.toMatch(/SCAN post_targets/);
  });
});
