import { describe, expect, it } from "vitest";
import { applyTargetChange, channelStatesText, summarise } from "../../web/src/features/publishing/calendar-summary.ts";
import { nextTryText } from "../../web/src/features/publishing/next-try.ts";
import type { Post, Target } from "../../worker/contracts/posts";
import type { TargetState } from "../../worker/publishing/states";

const targets = (...states: TargetState[]) => states.map((state) => ({ state }));

describe("a calendar chip's summary of its channels", () => {
  it("puts a channel that needs a person first, with how many of the channels it concerns", () => {
    expect(summarise(targets("published", "failed", "needs_reconnect"))).toEqual({ state: "failed", label: "1 of 3 failed", notable: true });
    expect(summarise(targets("failed"))).toEqual({ state: "failed", label: "Failed", notable: true });
    expect(summarise(targets("published", "needs_reconnect", "needs_reconnect"))?.label).toBe("2 of 3 need reconnect");
    expect(summarise(targets("unconfirmed", "published"))?.label).toBe("1 of 2 unconfirmed");
    expect(summarise(targets("needs_reconnect", "published"))?.label).toBe("1 of 2 needs reconnect");
  });

  it("shows what the engine is doing while it publishes", () => {
    expect(summarise(targets("committing", "ready", "published"))?.label).toBe("Publishing…");
    expect(summarise(targets("ready", "preparing"))?.label).toBe("Ready");
    expect(summarise(targets("preparing", "scheduled"))?.label).toBe("Preparing");
  });

  it("reads Published once every channel not cancelled is live, and counts a partial one", () => {
    expect(summarise(targets("published", "published", "cancelled"))).toEqual({ state: "published", label: "Published", notable: true });
    expect(summarise(targets("published", "scheduled"))?.label).toBe("1 of 2 published");
  });

  it("keeps the chip plain for scheduled and draft posts, and says Cancelled when every channel is", () => {
    expect(summarise(targets("scheduled", "scheduled"))?.notable).toBe(false);
    expect(summarise(targets("draft"))?.notable).toBe(false);
    expect(summarise(targets("cancelled", "cancelled"))?.label).toBe("Cancelled");
    expect(summarise([])).toBeNull();
  });

  it("spells every channel's state for screen readers", () => {
    const list = [{ id: "a", state: "published" }, { id: "b", state: "needs_reconnect" }] as Target[];
    expect(channelStatesText(list, (t) => (t.id === "a" ? "Acme Page" : "Acme IG"))).toBe("Acme Page: Published, Acme IG: Needs reconnect");
  });
});

describe("a live target.changed event applied to the calendar's posts", () => {
  const posts = [
    { id: "p1", targets: [{ id: "t1", state: "scheduled" }, { id: "t2", state: "scheduled" }] },
    { id: "p2", targets: [{ id: "t3", state: "scheduled" }] },
  ] as unknown as Post[];

  it("changes only the named channel of the named post", () => {
    const next = applyTargetChange(posts, { postId: "p1", targetId: "t2", state: "published" });
    expect(next[0]?.targets.map((t) => t.state)).toEqual(["scheduled", "published"]);
    expect(next[1]).toBe(posts[1]);
    expect(posts[0]?.targets[1]?.state).toBe("scheduled");
  });

  it("returns the same list when the event is about a post not shown or changes nothing", () => {
    expect(applyTargetChange(posts, { postId: "elsewhere", targetId: "t9", state: "failed" })).toBe(posts);
    expect(applyTargetChange(posts, { postId: "p2", targetId: "t3", state: "scheduled" })).toBe(posts);
  });
});

describe("the next-try sentence", () => {
  const now = new Date("2026-11-29T13:00:00.000Z");

  it("gives the clock time in the viewer's zone and how long until then", () => {
    expect(nextTryText("2026-11-29T13:05:00.000Z", now, "Europe/Paris", "en-US")).toBe("Next try at 2:05 PM (in 5 minutes)");
    expect(nextTryText("2026-11-29T15:00:00.000Z", now, "UTC", "en-US")).toBe("Next try at 3:00 PM (in 2 hours)");
  });

  it("adds the day when the next try is not today in that zone", () => {
    expect(nextTryText("2026-11-30T09:00:00.000Z", now, "UTC", "en-US")).toBe("Next try at Mon, Nov 30, 9:00 AM (in 20 hours)");
  });

  it("says it is trying now when the time has just passed, instead of a time in the past", () => {
    expect(nextTryText("2026-11-29T12:59:50.000Z", now, "UTC", "en-US")).toBe("Trying again now");
    expect(nextTryText("2026-11-29T13:00:40.000Z", now, "UTC", "en-US")).toBe("Next try at 1:00 PM (in 1 minute)");
  });
});
