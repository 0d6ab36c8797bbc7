import { afterEach, expect, it } from "vitest";
import { FOLLOW_UP_STALL_MS } from "../../worker/publishing/follow-ups";
import { runWatchdog } from "../../worker/publishing/watchdog";
import { attemptsOf, clearFaults, fault, ledger, messageFor, publishingWorkspace, sandboxPosts, sandboxSettings, schedulePost } from "./harness";

/**
 * Follow-ups after a post is live (here: the rest of a Threads thread) run through the engine, save
 * their progress on the published row, and are finished by the watchdog when they stop half-way —
 * whether a link failed for a transient reason or the consumer died — without repeating a reply.
 */
type Reply = { id: string; text: string; kind: string; data?: { replyToId?: string | null } };

afterEach(async () => {
  await clearFaults();
});

async function threadPost(chain: string[]) {
  const w = await publishingWorkspace(["threads"]);
  await sandboxSettings({ processingScale: 0 });
  const text = `Thread root ${crypto.randomUUID().slice(0, 8)}`;
  const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt: w.clock.now + 60_000, targets: [{ connectionId: w.channels.threads!, format: "text", options: { chain } }] });
  const target = post.targets[0]!;
  return { w, text, targetId: target.id, message: await messageFor(target.id, w.workspace.id) };
}

async function repliesOf(account: string, chain: string[]): Promise<Reply[]> {
  const posts = (await sandboxPosts("threads", account)) as unknown as Reply[];
  return posts.filter((p) => p.kind === "reply" && chain.includes(p.text));
}

it("publishes the thread's further posts right after the first and records it", async () => {
  const chain = [`two ${crypto.randomUUID().slice(0, 6)}`, `three ${crypto.randomUUID().slice(0, 6)}`];
  const { w, targetId, message } = await threadPost(chain);
  await w.harness.settle(message);
  const row = await ledger(targetId);
  expect(row.state).toBe("published");
  expect(JSON.parse(row.checkpoint)).toMatchObject({ followUps: "done", chain: [{ mediaId: expect.any(String) }, { mediaId: expect.any(String) }] });
  expect((await repliesOf(w.externalIds.threads!, chain)).map((r) => r.text).sort()).toEqual([...chain].sort());
  expect((await attemptsOf(targetId)).find((a) => a.step === "after_publish")).toMatchObject({ outcome: "ok", message: "2 more posts of the thread published as replies." });
});

it("a thread stopped half-way is finished by the watchdog, once, without repeating a reply", async () => {
  const chain = [`alpha ${crypto.randomUUID().slice(0, 6)}`, `beta ${crypto.randomUUID().slice(0, 6)}`, `gamma ${crypto.randomUUID().slice(0, 6)}`];
  const { w, targetId, message } = await threadPost(chain);
  // The root's container and the first reply's go through; the second reply's creation fails (a transient 503).
  await fault({ platform: "threads", method: "POST", path: "/v1.0/*/threads", mode: "respond", status: 503, skip: 2, body: { error: { message: "Service temporarily unavailable", type: "OAuthException", code: 2, is_transient: true } } });
  await w.harness.settle(message);
  let row = await ledger(targetId);
  expect(row.state).toBe("published");
  expect(JSON.parse(row.checkpoint)).toMatchObject({ followUps: "pending", followUpTries: 1 });
  expect((await repliesOf(w.externalIds.threads!, chain)).map((r) => r.text)).toEqual([chain[0]]);
  const failed = (await attemptsOf(targetId)).find((a) => a.step === "after_publish");
  expect(failed?.outcome).toBe("retry");
  expect(failed?.message).toMatch(/^The post is live, but posts 3–4 of the thread failed: /);

  // Not yet stalled: the watchdog leaves it alone.
  const early = w.harness.deps();
  expect((await runWatchdog(early)).followUpsResumed).toBe(0);
  // Stalled: one resume message; delivered twice (a duplicate), the replies still go out once.
  w.clock.advance(FOLLOW_UP_STALL_MS + 1000);
  const report = await runWatchdog(w.harness.deps());
  expect(report.followUpsResumed).toBe(1);
  const resume = w.harness.sent.splice(0).map((s) => s.message);
  expect(resume).toEqual([expect.objectContaining({ targetId, followUps: true })]);
  await Promise.all([w.harness.run(resume[0]!), w.harness.run(resume[0]!)]);

  row = await ledger(targetId);
  expect(JSON.parse(row.checkpoint)).toMatchObject({ followUps: "done", followUpTries: 2 });
  expect(row.lease_owner).toBeNull();
  const replies = await repliesOf(w.externalIds.threads!, chain);
  expect(replies.map((r) => r.text).sort()).toEqual([...chain].sort());
  // Each link answers the one before it.
  const byText = new Map(replies.map((r) => [r.text, r]));
  expect(byText.get(chain[2]!)?.data?.replyToId).toBe(byText.get(chain[1]!)?.id);
  expect(byText.get(chain[1]!)?.data?.replyToId).toBe(byText.get(chain[0]!)?.id);
  // Done: the watchdog has nothing more to resume.
  w.clock.advance(FOLLOW_UP_STALL_MS + 1000);
  expect((await runWatchdog(w.harness.deps())).followUpsResumed).toBe(0);
});
