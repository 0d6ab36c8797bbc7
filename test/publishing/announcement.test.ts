import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { SANDBOX } from "../helpers/connect";
import { libraryFile, mp4 } from "./adapter-fixtures";
import { attemptsOf, ledger, messageFor, publishingWorkspace, sandboxPosts, sandboxSettings, schedulePost } from "./harness";

/**
 * The promise end to end: one announcement with one video, scheduled through the API to
 * Threads, TikTok, LinkedIn (as the member and as the organization) and YouTube, goes live once on
 * each, at its due time, through the real engine and the sandbox's platforms.
 */
it("one announcement goes live once on Threads, TikTok, LinkedIn (member and page) and YouTube", async () => {
  await sandboxSettings({ processingScale: 0 });
  await fetch(`${SANDBOX}/_sandbox/tiktok/creator`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dailyPostCap: 1000 }) });
  const w = await publishingWorkspace(["threads", "tiktok", "linkedin", "youtube"]);
  const linkedin = async (kind: string) => (await env.DB.prepare("SELECT id FROM connections WHERE workspace_id = ? AND kind = ? AND status = 'active' ORDER BY created_at LIMIT 1").bind(w.workspace.id, kind).first<{ id: string }>())?.id;
  const member = await linkedin("linkedin_member");
  const org = await linkedin("linkedin_organization");
  expect(member && org).toBeTruthy();
  const video = await libraryFile(w.workspace.id, mp4(512 * 1024), { kind: "video", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 20_000 });
  const text = `Our spring collection is here 🌷 ${crypto.randomUUID().slice(0, 8)}`;
  const dueAt = w.clock.now + 10 * 60_000;
  const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, {
    text,
    dueAt,
    mediaIds: [video.id],
    targets: [
      { connectionId: w.channels.threads!, format: "video" },
      { connectionId: w.channels.tiktok!, format: "video", options: { privacyLevel: "PUBLIC_TO_EVERYONE" } },
      { connectionId: member!, format: "video" },
      { connectionId: org!, format: "video" },
      { connectionId: w.channels.youtube!, format: "video", options: { title: "Spring collection", privacyStatus: "public", madeForKids: false } },
    ],
  });
  expect(post.targets).toHaveLength(5);

  for (const target of post.targets) await w.harness.settle(await messageFor(target.id, w.workspace.id), { maxSteps: 60 });

  const rows = await Promise.all(post.targets.map((t) => ledger(t.id)));
  const youtubeRow = rows[post.targets.findIndex((t) => t.connectionId === w.channels.youtube)]!;
  expect(rows.map((r) => r.state)).toEqual(["published", "published", "published", "published", "published"]);
  for (const row of rows) expect(row.remote_id).toBeTruthy();
  // Each was prepared ahead (uploads, processing) and committed by one go-live call.
  for (const target of post.targets) {
    const steps = (await attemptsOf(target.id)).map((a) => a.step);
    expect(steps).toContain("prepare");
    expect(steps).toContain("commit");
  }
  const live = {
    threads: (await sandboxPosts("threads")).filter((p) => p.text === text),
    tiktok: (await sandboxPosts("tiktok")).filter((p) => p.text === text),
    linkedin: (await sandboxPosts("linkedin")).filter((p) => p.text === text),
    youtube: (await sandboxPosts("youtube")).filter((p) => p.text === "Spring collection" && p.id === youtubeRow.remote_id),
  };
  expect(live.threads).toHaveLength(1);
  expect(live.tiktok).toHaveLength(1);
  // Two LinkedIn authors: the member and the organization, one post each.
  expect(live.linkedin).toHaveLength(2);
  expect(new Set(live.linkedin.map((p) => p.account_id)).size).toBe(2);
  expect(live.linkedin.some((p) => p.account_id.startsWith("urn:li:organization:"))).toBe(true);
  expect(live.youtube).toHaveLength(1);
  // Every go-live call was made at the due second (on the injected clock), never before it.
  for (const target of post.targets) {
    const times = await env.DB.prepare("SELECT commit_started_at, published_at FROM post_targets WHERE id = ?").bind(target.id).first<{ commit_started_at: number; published_at: number }>();
    expect(times!.commit_started_at).toBeGreaterThanOrEqual(dueAt - 2_000);
    expect(times!.published_at).toBeGreaterThanOrEqual(dueAt);
  }
});
