import { describe, expect, it } from "vitest";
import { byDay, monthGrid, placeOf, scheduledLocalFor, visibleDays } from "../../web/src/features/calendar/calendar-math.ts";
import type { Post } from "../../worker/contracts/posts";

/** A scheduled post as the API returns it, with only the fields the calendar reads varying. */
function post(id: string, scheduledLocal: string, timezone: string, scheduledAt: string): Post {
  return { id, status: "scheduled", baseText: id, firstComment: null, mediaIds: [], scheduledAt, scheduledLocal, timezone, revision: 1, targets: [], createdBy: null, createdAt: scheduledAt, updatedAt: scheduledAt };
}

describe("the calendar's grid and placement across daylight-saving changes", () => {
  it("lays March 2026 out as six Monday-first weeks, including the day Paris changes clocks", () => {
    const grid = monthGrid("2026-03-15");
    expect(grid).toHaveLength(6);
    expect(grid[0]?.[0]).toBe("2026-02-23");
    expect(grid.flat()).toContain("2026-03-29");
    expect(new Set(grid.flat()).size).toBe(42);
    expect(visibleDays("week", "2026-03-29")).toEqual({ first: "2026-03-23", end: "2026-03-30" });
  });

  it("keeps a 09:00 Paris post at 09:00 on the workspace calendar on both sides of the change", () => {
    const before = post("before", "2026-03-28T09:00", "Europe/Paris", "2026-03-28T08:00:00.000Z");
    const after = post("after", "2026-03-30T09:00", "Europe/Paris", "2026-03-30T07:00:00.000Z");
    expect(placeOf(before, "Europe/Paris")).toBe("2026-03-28T09:00");
    expect(placeOf(after, "Europe/Paris")).toBe("2026-03-30T09:00");
  });

  it("shows a New York post at the right Paris time while only one of the two zones has changed clocks", () => {
    // The US changes on 8 March 2026, Europe on 29 March: for three weeks the gap is 5 hours, not 6.
    const gap = post("gap", "2026-03-10T09:00", "America/New_York", "2026-03-10T13:00:00.000Z");
    const normal = post("normal", "2026-03-31T09:00", "America/New_York", "2026-03-31T13:00:00.000Z");
    expect(placeOf(gap, "Europe/Paris")).toBe("2026-03-10T14:00");
    expect(placeOf(normal, "Europe/Paris")).toBe("2026-03-31T15:00");
  });

  it("writes a drop back in the post's own zone, and groups posts by workspace day in time order", () => {
    const ny = post("ny", "2026-03-10T09:00", "America/New_York", "2026-03-10T13:00:00.000Z");
    // Dropped on 1 April 15:00 Paris = 09:00 New York (both on summer time).
    expect(scheduledLocalFor(ny, "2026-04-01T15:00", "Europe/Paris")).toBe("2026-04-01T09:00");
    const late = post("late", "2026-03-28T23:30", "Europe/Paris", "2026-03-28T22:30:00.000Z");
    const early = post("early", "2026-03-28T07:00", "Europe/Paris", "2026-03-28T06:00:00.000Z");
    const days = byDay([late, early, ny], "Europe/Paris");
    expect(days.get("2026-03-28")?.map((p) => p.post.id)).toEqual(["early", "late"]);
    expect(days.get("2026-03-10")?.map((p) => p.local)).toEqual(["2026-03-10T14:00"]);
  });
});
