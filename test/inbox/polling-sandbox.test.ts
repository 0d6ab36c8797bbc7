import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { openPollChannel, type PollChannel } from "../../worker/inbox/polling/channel";
import { commenterName, listLinkedInComments } from "../../worker/platforms/linkedin-comments";
import { LINKEDIN_VERSION } from "../../worker/platforms/linkedin";
import { listCommentThreads } from "../../worker/platforms/youtube-comments";
import { SANDBOX } from "../helpers/connect";
import { linkedinComment, pollDeps, publishedPair, youtubeComment, type Pair } from "./polling-fixtures";

/** The sandbox's comment endpoints as the poller's platform calls see them: shapes, paging, quota and refusals. */
let w: Pair;
let linkedin: PollChannel;
let youtube: PollChannel;

async function channelOf(connectionId: string): Promise<PollChannel> {
  const opened = await openPollChannel({ ...pollDeps(w), db: createDb(env.DB) }, connectionId);
  if (!opened.ok) throw new Error(opened.failure.message);
  return opened.channel;
}

beforeAll(async () => {
  w = await publishedPair();
  linkedin = await channelOf(w.channels.linkedin!);
  youtube = await channelOf(w.channels.youtube!);
});

describe("sandbox LinkedIn comments", () => {
  it("lists a post's comments newest first with the commenter's name, replies pointing at their parent", async () => {
    const top = await linkedinComment({ postUrn: w.postUrn, text: "First!", firstName: "Lin", lastName: "Reader" });
    const reply = await linkedinComment({ postUrn: w.postUrn, text: "Thanks Lin", actorUrn: w.authorUrn, parentCommentId: top.id });
    const page = await listLinkedInComments(linkedin.ctx, linkedin.accessToken, { urn: linkedin.selfId, name: linkedin.name }, w.postUrn, 0);
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(page.total).toBe(2);
    expect(page.comments.map((c) => [c.commentUrn, c.message.text, c.actor, c.parentComment ?? null])).toEqual([
      [reply.commentUrn, "Thanks Lin", w.authorUrn, top.commentUrn],
      [top.commentUrn, "First!", expect.stringMatching(/^urn:li:person:/), null],
    ]);
    expect(commenterName(page.comments[1]!)).toBe("Lin Reader");
  });

  it("answers 404 in LinkedIn's envelope for a post that does not exist, and refuses a call without a version", async () => {
    const missing = await listLinkedInComments(linkedin.ctx, linkedin.accessToken, { urn: linkedin.selfId, name: linkedin.name }, "urn:li:share:7169999999999999999", 0);
    expect(missing).toMatchObject({ ok: false, failure: { status: 404 } });
    const unversioned = await fetch(`${SANDBOX}/api.linkedin.com/rest/socialActions/${encodeURIComponent(w.postUrn)}/comments`, { headers: { authorization: `Bearer ${linkedin.accessToken}`, "x-restli-protocol-version": "2.0.0" } });
    expect(unversioned.status).toBe(400);
    expect(await unversioned.json()).toMatchObject({ code: "VERSION_MISSING" });
    const paged = await fetch(`${SANDBOX}/api.linkedin.com/rest/socialActions/${encodeURIComponent(w.postUrn)}/comments?start=1&count=1`, { headers: { authorization: `Bearer ${linkedin.accessToken}`, "x-restli-protocol-version": "2.0.0", "linkedin-version": LINKEDIN_VERSION } });
    expect(await paged.json()).toMatchObject({ elements: [{ message: { text: "First!" } }], paging: { start: 1, count: 1, total: 2 } });
  });

  it("refuses a control comment on a post it does not hold", async () => {
    const response = await fetch(`${SANDBOX}/_sandbox/events/linkedin-comment`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ postUrn: "urn:li:share:1", text: "hi" }) });
    expect(response.status).toBe(404);
  });
});

describe("sandbox YouTube comment threads", () => {
  const threadsUrl = (query: string) => `${SANDBOX}/www.googleapis.com/youtube/v3/commentThreads?${query}`;

  it("lists threads newest first with their replies and charges 1 quota unit a call", async () => {
    const before = (await (await fetch(`${SANDBOX}/_sandbox/youtube/quota`)).json()) as { units: number };
    const first = await youtubeComment({ videoId: w.videoId, text: "Great video", authorName: "Ada Viewer" });
    await youtubeComment({ videoId: w.videoId, text: "Glad you liked it", authorChannelId: w.channelId, parentId: first.id });
    await youtubeComment({ videoId: w.videoId, text: "Second thread" });
    const page = await listCommentThreads(youtube.ctx, youtube.accessToken, w.videoId, null);
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(page.nextPageToken).toBeNull();
    expect(page.threads.map((t) => [t.snippet.topLevelComment.snippet.textOriginal, t.replies?.comments.map((r) => [r.snippet.textOriginal, r.snippet.parentId, r.snippet.authorChannelId?.value]) ?? []])).toEqual([
      ["Second thread", []],
      ["Great video", [["Glad you liked it", first.id, w.channelId]]],
    ]);
    const after = (await (await fetch(`${SANDBOX}/_sandbox/youtube/quota`)).json()) as { units: number };
    expect(after.units - before.units).toBe(1);
  });

  it("pages with nextPageToken, and answers videoNotFound and a missing videoId in Google's envelope", async () => {
    const auth = { authorization: `Bearer ${youtube.accessToken}` };
    const one = (await (await fetch(threadsUrl(`part=snippet&videoId=${w.videoId}&order=time&maxResults=1`), { headers: auth })).json()) as { nextPageToken?: string; items: { id: string }[] };
    expect(one.items).toHaveLength(1);
    expect(one.nextPageToken).toEqual(expect.any(String));
    const two = (await (await fetch(threadsUrl(`part=snippet&videoId=${w.videoId}&order=time&maxResults=1&pageToken=${one.nextPageToken}`), { headers: auth })).json()) as { nextPageToken?: string; items: { id: string }[] };
    expect(two.items).toHaveLength(1);
    expect(two.items[0]?.id).not.toBe(one.items[0]?.id);
    expect(two.nextPageToken).toBeUndefined();

    const missing = await listCommentThreads(youtube.ctx, youtube.accessToken, "AAAAAAAAAAA", null);
    expect(missing).toMatchObject({ ok: false, failure: { kind: "fatal", status: 404, platformCode: "videoNotFound" } });
    const noVideo = await fetch(threadsUrl("part=snippet"), { headers: auth });
    expect(noVideo.status).toBe(400);
    expect(await noVideo.json()).toMatchObject({ error: { errors: [{ reason: "missingRequiredParameter" }] } });
  });
});
