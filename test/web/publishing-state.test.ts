import { describe, expect, it } from "vitest";
import { canCancel, canPostNow, liveTargets, readOnlyReason, showsPublishing } from "../../web/src/features/publishing/post-rules.ts";
import { fixFor, STATE_LABEL } from "../../web/src/features/publishing/target-states.ts";
import type { Post, Target } from "../../worker/contracts/posts";
import { TARGET_STATES, type TargetState } from "../../worker/publishing/states";

/** A channel of a post as the API returns it, in `state`. */
function target(id: string, state: TargetState, extra: Partial<Target> = {}): Target {
  return {
    id,
    connectionId: `c-${id}`,
    platform: "facebook",
    format: "post",
    textOverride: null,
    options: {},
    state,
    dueAt: "2026-11-29T10:00:00.000Z",
    remoteId: null,
    remoteUrl: null,
    publishedAt: null,
    statusDetail: null,
    errorCode: null,
    nextAttemptAt: null,
    remoteDeletedAt: null,
    ...extra,
  };
}

const post = (status: Post["status"], ...states: TargetState[]) => ({ status, targets: states.map((s, i) => target(`t${i}`, s)) });
const name = (t: Target) => `Page ${t.id}`;

describe("the action that fixes each channel state", () => {
  it("retries a failed channel, reconnects a disconnected one and asks for a review of an unconfirmed one", () => {
    expect(fixFor("failed")).toBe("retry");
    expect(fixFor("needs_reconnect", "needs_reconnect")).toBe("reconnect");
    expect(fixFor("unconfirmed")).toBe("review");
  });

  it("offers a retry instead of another reconnect once the channel's connection is active again", () => {
    expect(fixFor("needs_reconnect", "active")).toBe("retry");
    expect(fixFor("needs_reconnect")).toBe("reconnect");
  });

  it("offers nothing for states the engine is still driving or that are settled", () => {
    for (const s of ["draft", "scheduled", "preparing", "ready", "committing", "published", "cancelled"] as const) expect(fixFor(s)).toBeNull();
  });

  it("has words for every ledger state, with the go-live step read as Publishing…", () => {
    for (const s of TARGET_STATES) expect(STATE_LABEL[s]).toMatch(/\w/);
    expect(STATE_LABEL.committing).toBe("Publishing…");
    expect(STATE_LABEL.needs_reconnect).toBe("Needs reconnect");
  });
});

describe("what a post offers at post level", () => {
  it("shows the Publishing panel from scheduled on, and not for a plain draft", () => {
    expect(showsPublishing(post("draft", "draft"))).toBe(false);
    expect(showsPublishing(post("scheduled", "scheduled"))).toBe(true);
    expect(showsPublishing(post("cancelled", "cancelled"))).toBe(true);
  });

  it("offers Post now and Cancel while a channel is still waiting to go live", () => {
    expect(canPostNow(post("scheduled", "scheduled", "published"))).toBe(true);
    expect(canPostNow(post("scheduled", "published", "failed"))).toBe(false);
    expect(canCancel(post("scheduled", "published", "failed"))).toBe(true);
    expect(canCancel(post("scheduled", "published", "unconfirmed"))).toBe(false);
    expect(canCancel(post("cancelled", "cancelled"))).toBe(false);
  });

  it("lists only channels still live as needing a choice when the post is deleted", () => {
    const p = { targets: [target("a", "published"), target("b", "published", { remoteDeletedAt: "2026-11-29T11:00:00.000Z" }), target("c", "failed")] };
    expect(liveTargets(p).map((t) => t.id)).toEqual(["a"]);
  });
});

describe("why a post is read-only in the composer", () => {
  it("lets a scheduled, failed or cancelled post be edited", () => {
    expect(readOnlyReason(post("scheduled", "scheduled", "failed", "needs_reconnect"), name)).toBeNull();
  });

  it("names the channels it is live on, being published on, or may be live on", () => {
    const reason = readOnlyReason({ targets: [target("a", "published"), target("b", "committing"), target("c", "unconfirmed"), target("d", "failed")] }, name);
    expect(reason).toContain("it is live on Page a, is being published on Page b right now and may already be live on Page c.");
    expect(reason).toContain("being published on Page b right now");
    expect(reason).toContain("may already be live on Page c");
    expect(reason).not.toContain("Page d");
    expect(reason).toContain("Duplicate it");
    expect(reason).not.toContain("Edit on YouTube");
  });

  it("points to Edit on YouTube when a YouTube video is live", () => {
    const reason = readOnlyReason({ targets: [target("a", "published", { platform: "youtube" })] }, name);
    expect(reason).toContain("can be changed with “Edit on YouTube” below.");
  });
});
