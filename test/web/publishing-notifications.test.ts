import { describe, expect, it } from "vitest";
import { announcementFor, arrivals, badgeCount, countDescription, fixHref } from "../../web/src/features/notifications/notification-text.ts";
import type { Notification } from "../../worker/contracts/posts";

function notification(id: string, action: Notification["action"], extra: Partial<Notification> = {}): Notification {
  return {
    id,
    kind: action === "retry" ? "publish_failed" : action === "reconnect" ? "needs_reconnect" : "unconfirmed",
    title: `Title ${id}`,
    body: "Body",
    postId: "p1",
    targetId: "t1",
    connectionId: "c1",
    action,
    createdAt: "2026-11-29T13:00:00.000Z",
    resolvedAt: null,
    ...extra,
  };
}

describe("the notification bell's count and announcements", () => {
  it("shows the exact count up to nine and 9+ beyond, and describes it for screen readers", () => {
    expect(badgeCount(3)).toBe("3");
    expect(badgeCount(12)).toBe("9+");
    expect(countDescription(0)).toBe("Nothing needs attention");
    expect(countDescription(2)).toBe("2 open");
  });

  it("announces nothing for what was already waiting when the page opened", () => {
    expect(arrivals(null, [notification("a", "retry")])).toEqual([]);
  });

  it("announces only notifications not seen before, naming a single one by its title", () => {
    const fresh = arrivals(new Set(["a"]), [notification("b", "review"), notification("a", "retry")]);
    expect(fresh.map((n) => n.id)).toEqual(["b"]);
    expect(announcementFor(fresh)).toBe("New notification: Title b");
    expect(announcementFor([notification("c", "retry"), notification("d", "retry")])).toBe("2 new notifications. The latest: Title c");
    expect(announcementFor([])).toBe("");
  });
});

describe("where a notification's fix action goes", () => {
  it("sends a reconnect to the Accounts page and a review to the post with that channel's review open", () => {
    expect(fixHref("w1", notification("a", "reconnect"))).toBe("/w/w1/accounts");
    expect(fixHref("w1", notification("b", "review"))).toBe("/w/w1/posts/p1?review=t1");
  });

  it("falls back to the post itself, or nowhere when the notification names no post", () => {
    expect(fixHref("w1", notification("c", "retry"))).toBe("/w/w1/posts/p1");
    expect(fixHref("w1", notification("d", "review", { postId: null }))).toBeNull();
  });
});
