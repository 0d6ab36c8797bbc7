import { describe, expect, it } from "vitest";
import { runTarget } from "../../worker/publishing/engine";
import { COMMIT_LEASE_MS, LEASE_MS } from "../../worker/publishing/ledger";
import { runWatchdog } from "../../worker/publishing/watchdog";
import { EngineHarness, ledger, messageFor, publishingWorkspace, sandboxPosts, schedulePost, syncSandboxClock } from "./harness";

type Workspace = Awaited<ReturnType<typeof publishingWorkspace>>;
let counter = 0;
const uniqueText = (label: string) => `${label} #${Date.now()}-${++counter}`;

/**
 * A consumer that dies while it holds a prepared target (the process is killed, a deploy): its
 * `wait` never returns. `dieOnWait` counts the waits of commitAt: the first is the hold before the
 * commit marker, the second the last moment between the marker and the go-live call.
 */
function dyingHarness(w: Workspace, dieOnWait: number): EngineHarness {
  let waits = 0;
  return new EngineHarness(w.clock, {
    wait: async (ms) => {
      waits += 1;
      if (waits === dieOnWait) throw new Error("the consumer died");
      w.clock.advance(ms);
    },
  });
}

async function scheduledText(w: Workspace, label: string) {
  const text = uniqueText(label);
  const dueAt = w.clock.now + 4_000;
  const post = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text, dueAt, targets: [{ connectionId: w.channels.facebook!, format: "post" }] });
  return { text, dueAt, targetId: post.targets[0]!.id };
}

/** Runs the watchdog at `at` and every message it sends, until they are acked; returns how many it sent. */
async function watchdogAt(w: Workspace, at: number, targetId: string): Promise<number> {
  w.clock.advance(at - w.clock.now);
  await runWatchdog(w.harness.deps());
  const mine = w.harness.sent.splice(0).filter((s) => s.message.targetId === targetId);
  for (const s of mine) await w.harness.settle(s.message);
  return mine.length;
}

/** The watchdog leaves the target alone until the lease runs out, then it goes live exactly once. */
async function expectRecoveredJustAfterLease(w: Workspace, p: { dueAt: number; targetId: string; text: string }) {
  expect(await watchdogAt(w, p.dueAt + COMMIT_LEASE_MS - 1_000, p.targetId)).toBe(0);
  expect(await watchdogAt(w, p.dueAt + COMMIT_LEASE_MS + 1_000, p.targetId)).toBe(1);
  expect(await ledger(p.targetId)).toMatchObject({ state: "published", lease_owner: null });
  expect((await sandboxPosts("facebook")).filter((x) => x.text === p.text)).toHaveLength(1);
}

describe("the commit-phase lease", () => {
  it("frees a prepared target whose consumer died during the hold 90 s after its due time, and it then goes live once", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const p = await scheduledText(w, "died holding");
    await syncSandboxClock(w.clock.now);
    await expect(runTarget(dyingHarness(w, 1).deps(), await messageFor(p.targetId, w.workspace.id), 1)).rejects.toThrow("the consumer died");
    const held = await ledger(p.targetId);
    expect(held).toMatchObject({ state: "ready", commit_started_at: null });
    expect(held.lease_owner).not.toBeNull();
    expect(held.lease_expires_at).toBe(p.dueAt + COMMIT_LEASE_MS);
    expect(COMMIT_LEASE_MS).toBeLessThan(LEASE_MS);

    await expectRecoveredJustAfterLease(w, p);
  });

  it("frees a committing target whose consumer died after the marker 90 s after its due time; it is reconciled, then posted once", async () => {
    const w = await publishingWorkspace(["facebook"]);
    const p = await scheduledText(w, "died committing");
    await syncSandboxClock(w.clock.now);
    await expect(runTarget(dyingHarness(w, 2).deps(), await messageFor(p.targetId, w.workspace.id), 1)).rejects.toThrow("the consumer died");
    const stuck = await ledger(p.targetId);
    expect(stuck.state).toBe("committing");
    expect(stuck.commit_started_at).not.toBeNull();
    expect(stuck.lease_expires_at).toBe(p.dueAt + COMMIT_LEASE_MS);
    // The go-live call never went out.
    expect((await sandboxPosts("facebook")).filter((x) => x.text === p.text)).toEqual([]);

    await expectRecoveredJustAfterLease(w, p);
  });
});
