import { afterEach, describe, expect, it } from "vitest";
import type { LiveEvent } from "../../worker/contracts/live";
import { FRESH_EVERY_MS } from "../../worker/inbox/polling/cadence";
import { pollComments } from "../../worker/inbox/polling/poller";
import { clearFaults, fault } from "../publishing/harness";
import { advance, commentCursor, linkedinComment, pollDeps, publishedPair, threadOf, youtubeComment } from "./polling-fixtures";

/** Comments on LinkedIn posts and YouTube videos reach the inbox by polling, driven with an injected clock. */
afterEach(async () => {
  await clearFaults();
});

describe("comment polling", () => {
  it("records each post's new comments in one thread, ours as outbound, and records nothing twice when run again", async () => {
    const w = await publishedPair();
    const first = await linkedinComment({ postUrn: w.postUrn, text: "Do you deliver on Sundays?", firstName: "Ada", lastName: "Baker" });
    await advance(w, 1_000);
    await linkedinComment({ postUrn: w.postUrn, text: "Yes, from 8 am!", actorUrn: w.authorUrn, parentCommentId: first.id });
    await youtubeComment({ videoId: w.videoId, text: "That crust sounds amazing", authorName: "Crumb Fan" });
    await advance(w, 1_000);
    const question = await youtubeComment({ videoId: w.videoId, text: "What flour is that?", authorName: "Grace Rye" });
    await youtubeComment({ videoId: w.videoId, text: "Stone-ground spelt.", authorChannelId: w.channelId, parentId: question.id });
    await advance(w, 60_000);

    const events: LiveEvent[] = [];
    const report = await pollComments(pollDeps(w, events));
    expect(report.failed).toBe(0);
    expect(report.created).toBeGreaterThanOrEqual(5);

    const linkedin = await threadOf(w.channels.linkedin!, w.postUrn);
    expect(linkedin).toMatchObject({ platform: "linkedin", kind: "comments", post_target_id: w.targets.linkedin, permalink: `https://www.linkedin.com/feed/update/${w.postUrn}/` });
    expect(linkedin?.title).toMatch(/^Fresh bread today/);
    expect(linkedin?.messages.map((m) => [m.text, m.direction, m.author_name, m.parent_external_id])).toEqual([
      ["Do you deliver on Sundays?", "in", "Ada Baker", null],
      ["Yes, from 8 am!", "out", expect.any(String), first.commentUrn],
    ]);
    expect(linkedin?.messages[0]?.external_id).toBe(first.commentUrn);

    const youtube = await threadOf(w.channels.youtube!, w.videoId);
    expect(youtube).toMatchObject({ platform: "youtube", kind: "comments", post_target_id: w.targets.youtube, permalink: `https://www.youtube.com/watch?v=${w.videoId}` });
    expect(youtube?.messages.map((m) => [m.text, m.direction, m.parent_external_id])).toEqual([
      ["That crust sounds amazing", "in", null],
      ["Stone-ground spelt.", "out", question.id],
      ["What flour is that?", "in", null],
    ]);
    expect(youtube?.messages.find((m) => m.text === "What flour is that?")?.author_name).toBe("@gracerye");
    expect(events.filter((e) => e.kind === "message.changed")).toHaveLength(5);

    const cursor = await commentCursor(w.targets.youtube);
    expect(cursor).toEqual({ lastPolledAt: w.clock.now, lastSeenAt: expect.any(Number), sweep: null });

    await advance(w, FRESH_EVERY_MS);
    const again = await pollComments(pollDeps(w, events));
    expect(again.failed).toBe(0);
    expect((await threadOf(w.channels.linkedin!, w.postUrn))?.messages).toHaveLength(2);
    expect((await threadOf(w.channels.youtube!, w.videoId))?.messages).toHaveLength(3);
    expect(events.filter((e) => e.kind === "message.changed")).toHaveLength(5);
    expect((await commentCursor(w.targets.youtube))?.lastPolledAt).toBe(w.clock.now);
  });

  it("reads a burst bigger than one poll's pages over several polls, going on where the last one stopped, none lost", async () => {
    const w = await publishedPair();
    await pollComments(pollDeps(w));
    await advance(w, 1_000);
    // 230 comments on the video and 130 on the LinkedIn post: three and two pages of 100, one page per poll.
    const texts = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix} ${String(i).padStart(3, "0")}`);
    for (const chunk of [texts(230, "Burst")].flatMap((all) => Array.from({ length: Math.ceil(all.length / 23) }, (_, i) => all.slice(i * 23, i * 23 + 23)))) {
      await Promise.all(chunk.map((text) => youtubeComment({ videoId: w.videoId, text })));
    }
    for (const text of texts(130, "Ask")) await linkedinComment({ postUrn: w.postUrn, text });
    const onePage = (deps: ReturnType<typeof pollDeps>) => ({ ...deps, budget: { youtubeCallsPerRun: 100, linkedinCallsPerRun: 100, pagesPerPost: 1 } });
    const count = async () => [(await threadOf(w.channels.youtube!, w.videoId))?.messages.length ?? 0, (await threadOf(w.channels.linkedin!, w.postUrn))?.messages.length ?? 0];

    await advance(w, FRESH_EVERY_MS);
    await pollComments(onePage(pollDeps(w)));
    expect(await count()).toEqual([100, 100]);
    const midSweep = await commentCursor(w.targets.youtube);
    expect(midSweep).toMatchObject({ sweep: { page: expect.any(String), newestSeenAt: expect.any(Number) } });

    // A new comment during the sweep waits for the sweep to finish, then is read from the top.
    await advance(w, 1_000);
    const late = await youtubeComment({ videoId: w.videoId, text: "Arrived mid-sweep" });
    await advance(w, FRESH_EVERY_MS);
    await pollComments(onePage(pollDeps(w)));
    // The sandbox's page tokens are positions (YouTube's are opaque; unverified): the comment that
    // arrived on top pushed one already-read comment onto this page, read twice and recorded once.
    expect(await count()).toEqual([199, 130]);
    expect((await commentCursor(w.targets.linkedin))?.sweep).toBeNull();
    await advance(w, FRESH_EVERY_MS);
    await pollComments(onePage(pollDeps(w)));
    expect(await count()).toEqual([230, 130]);
    const swept = await commentCursor(w.targets.youtube);
    expect(swept?.sweep).toBeNull();
    expect(swept?.lastSeenAt).toBe(midSweep?.sweep?.newestSeenAt);

    await advance(w, FRESH_EVERY_MS);
    await pollComments(onePage(pollDeps(w)));
    const video = await threadOf(w.channels.youtube!, w.videoId);
    expect(video?.messages).toHaveLength(231);
    expect(video?.messages.some((m) => m.external_id === late.id)).toBe(true);
    expect(new Set(video?.messages.map((m) => m.external_id)).size).toBe(231);
  });

  it("polls a fresh post every 5 minutes, a week-old one hourly, and an older one never", async () => {
    const w = await publishedPair();
    await pollComments(pollDeps(w));
    const polledAt = (await commentCursor(w.targets.linkedin))?.lastPolledAt;
    expect(polledAt).toBe(w.clock.now);

    await advance(w, 60_000);
    await linkedinComment({ postUrn: w.postUrn, text: "Early bird question" });
    await pollComments(pollDeps(w));
    expect((await commentCursor(w.targets.linkedin))?.lastPolledAt).toBe(polledAt);
    expect(await threadOf(w.channels.linkedin!, w.postUrn)).toBeNull();

    await advance(w, FRESH_EVERY_MS - 60_000);
    await pollComments(pollDeps(w));
    expect((await threadOf(w.channels.linkedin!, w.postUrn))?.messages.map((m) => m.text)).toEqual(["Early bird question"]);

    // Two days on: hourly.
    await advance(w, 2 * 86_400_000);
    await pollComments(pollDeps(w));
    const dayTwo = (await commentCursor(w.targets.linkedin))?.lastPolledAt;
    expect(dayTwo).toBe(w.clock.now);
    await advance(w, 30 * 60_000);
    await pollComments(pollDeps(w));
    expect((await commentCursor(w.targets.linkedin))?.lastPolledAt).toBe(dayTwo);
    await advance(w, 30 * 60_000);
    await pollComments(pollDeps(w));
    expect((await commentCursor(w.targets.linkedin))?.lastPolledAt).toBe(w.clock.now);

    // Past a week: never again.
    await advance(w, 6 * 86_400_000);
    await linkedinComment({ postUrn: w.postUrn, text: "Late to the party" });
    const lastPoll = (await commentCursor(w.targets.linkedin))?.lastPolledAt;
    await pollComments(pollDeps(w));
    expect((await commentCursor(w.targets.linkedin))?.lastPolledAt).toBe(lastPoll);
    expect((await threadOf(w.channels.linkedin!, w.postUrn))?.messages).toHaveLength(1);
  });

  it("a platform failing on one post does not stop the other; the failed post is read again at its next interval", async () => {
    const w = await publishedPair();
    await linkedinComment({ postUrn: w.postUrn, text: "Is there a gluten-free loaf?" });
    await youtubeComment({ videoId: w.videoId, text: "Love the music" });
    await advance(w, 1_000);
    await fault({ platform: "linkedin", method: "GET", path: "/rest/socialActions/*/comments", mode: "respond", status: 500, body: JSON.stringify({ status: 500, message: "Internal Server Error" }), times: 100 });

    const report = await pollComments(pollDeps(w));
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(await threadOf(w.channels.linkedin!, w.postUrn)).toBeNull();
    expect((await threadOf(w.channels.youtube!, w.videoId))?.messages.map((m) => m.text)).toEqual(["Love the music"]);
    expect((await commentCursor(w.targets.linkedin))?.lastSeenAt).toBeNull();

    await clearFaults();
    await advance(w, FRESH_EVERY_MS);
    const retry = await pollComments(pollDeps(w));
    expect(retry.failed).toBe(0);
    expect((await threadOf(w.channels.linkedin!, w.postUrn))?.messages.map((m) => m.text)).toEqual(["Is there a gluten-free loaf?"]);
  });
});
