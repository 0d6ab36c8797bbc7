import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { mediaObjectKey } from "../../worker/media/keys";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { seedMedia } from "../posts/fixtures";
import { mp4 } from "./adapter-fixtures";
import { attemptsOf, clearFaults, ledger, messageFor, publishingWorkspace, sandboxSettings, schedulePost } from "./harness";
import { creatorSettings, MIB, TIKTOK_OPEN_ID, tiktokPosts } from "./tiktok-fixtures";

let counter = 0;
const uniqueText = (label: string) => `${label} #${Date.now()}-${++counter}`;

async function storedVideo(workspaceId: string, size: number): Promise<string> {
  const id = await seedMedia(workspaceId, { kind: "video", mimeType: "video/mp4", sizeBytes: size, width: 1080, height: 1920, durationMs: 15_000 });
  await env.MEDIA.put(mediaObjectKey(workspaceId, id), mp4(size));
  return id;
}

afterEach(async () => {
  await clearFaults();
});

describe("publishing a TikTok video through the engine", () => {
  it("refreshes an expired token once (TikTok rotates refresh tokens), then publishes exactly once", async () => {
    await sandboxSettings({ processingScale: 1 });
    await creatorSettings({ reset: true, dailyPostCap: 1000 });
    const w = await publishingWorkspace(["tiktok"]);
    const text = uniqueText("engine tiktok");
    const mediaId = await storedVideo(w.workspace.id, 12 * MIB);
    const dueAt = w.clock.now + 60_000;
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt, mediaIds: [mediaId], targets: [{ connectionId: w.channels.tiktok!, format: "video", options: { privacyLevel: "FOLLOWER_OF_CREATOR" } }] });
    const target = post.targets[0]!;

    // TikTok stops accepting the access token (Atelier still thinks it is valid for two hours).
    const expired = await fetch(`${SANDBOX}/_sandbox/tokens/expire`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "tiktok" }) });
    expect(expired.status).toBe(200);
    const since = await lastCallId();

    await w.harness.settle(await messageFor(target.id, w.workspace.id), { maxSteps: 40 });

    const row = await ledger(target.id);
    expect(row.state, row.status_detail ?? "").toBe("published");
    const calls = (await sandboxCalls("tiktok", since)).map((c) => `${c.method} ${c.path} ${c.status}`);
    expect(calls.filter((c) => c.startsWith("POST /v2/oauth/token/"))).toEqual(["POST /v2/oauth/token/ 200"]);
    expect(calls[0]).toBe("POST /v2/post/publish/creator_info/query/ 401");
    expect(calls.filter((c) => c.startsWith("POST /v2/post/publish/video/init/"))).toHaveLength(1);
    // 12 MiB in 5 MiB chunks: two PUTs (the second is the go-live at the due second).
    expect(calls.filter((c) => c.startsWith("PUT /video/"))).toEqual(["PUT /video/ 206", "PUT /video/ 201"]);

    const posts = (await tiktokPosts()).filter((p) => p.text === text);
    expect(posts).toHaveLength(1);
    expect(row.remote_id).toBe(posts[0]!.id);
    expect(row.remote_url).toBe(`https://www.tiktok.com/@samsandbox/video/${posts[0]!.id}`);
    // The go-live was sent at the due second, never before.
    expect(row.commit_started_at).toBeGreaterThanOrEqual(dueAt - 2_000);
    const steps = (await attemptsOf(target.id)).map((a) => `${a.step}:${a.outcome}`);
    expect(steps[0]).toBe("prepare:refresh");
    expect(steps).toContain("commit:uncertain");
    expect(steps.at(-1)).toBe("reconcile:published");
    expect(TIKTOK_OPEN_ID).toBe(w.externalIds.tiktok);
  });
});
