import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { attemptsOf, clearFaults, fault, ledger, messageFor, publishingWorkspace, sandboxPosts, sandboxSettings, schedulePost, storedJpeg } from "./harness";

/** The LinkedIn publisher driven by the real engine: ledger states, checkpoints and reconciliation end to end. */
let counter = 0;
const uniqueText = (label: string) => `${label} (LinkedIn) #${Date.now()}-${++counter}`;

/** The author URN the channel was connected with (connection metadata). */
async function authorOf(connectionId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT metadata FROM connections WHERE id = ?").bind(connectionId).first<{ metadata: string }>();
  return (JSON.parse(row?.metadata ?? "{}") as { authorUrn?: string }).authorUrn ?? "";
}

afterEach(async () => {
  await clearFaults();
});

describe("LinkedIn through the publishing engine", () => {
  it("uploads an image ahead of time, waits out LinkedIn's processing, and publishes once", async () => {
    await sandboxSettings({ processingScale: 1 });
    const w = await publishingWorkspace(["linkedin"]);
    const text = uniqueText("engine image");
    const mediaId = await storedJpeg(w.workspace.id, 1200, 627);
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 60_000, mediaIds: [mediaId], targets: [{ connectionId: w.channels.linkedin!, format: "image" }] });
    const target = post.targets[0]!;
    const dispositions = await w.harness.settle(await messageFor(target.id, w.workspace.id));
    expect(dispositions.at(-1)).toBe("ack");
    const row = await ledger(target.id);
    expect(row).toMatchObject({ state: "published" });
    expect(row.remote_id).toMatch(/^urn:li:share:\d+$/);
    expect(row.remote_url).toBe(`https://www.linkedin.com/feed/update/${row.remote_id}/`);
    expect(JSON.parse(row.checkpoint)).toMatchObject({ postUrn: row.remote_id, assets: [{ kind: "image", mediaId, available: true }] });
    const live = (await sandboxPosts("linkedin")).filter((p) => p.text === text);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ id: row.remote_id, kind: "image", account_id: await authorOf(w.channels.linkedin!) });
  });

  it("reconciles a create whose answer was lost to the one live post, never posting twice", async () => {
    const w = await publishingWorkspace(["linkedin"]);
    const text = uniqueText("engine lost answer");
    const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 4_000, targets: [{ connectionId: w.channels.linkedin!, format: "text" }] });
    await fault({ platform: "linkedin", method: "POST", path: "/rest/posts", mode: "after", status: 504, body: "" });
    await w.harness.settle(await messageFor(post.targets[0]!.id, w.workspace.id));
    const row = await ledger(post.targets[0]!.id);
    expect(row.state).toBe("published");
    expect((await attemptsOf(post.targets[0]!.id)).map((a) => `${a.step}:${a.outcome}`)).toEqual(["prepare:ok", "commit:uncertain", "reconcile:published"]);
    const live = (await sandboxPosts("linkedin")).filter((p) => p.text === text);
    expect(live.map((p) => [p.id, p.account_id])).toEqual([[row.remote_id, await authorOf(w.channels.linkedin!)]]);
  });
});
