import { describe, expect, it } from "vitest";
import type { Conversation, Message, Note } from "../../worker/contracts/inbox";
import { claimText, markRead, timeline, unreadCount } from "../../web/src/features/inbox/conversation-timeline.ts";
import { DEFAULT_FILTERS, filtersToQuery, isFiltered, moveSelection, queryString } from "../../web/src/features/inbox/inbox-query.ts";
import { channelLabel, listTime } from "../../web/src/features/inbox/inbox-labels.ts";
import { defaultReplyTarget, messageActions, messageStateLabel, replyKind, replyWindowClosed } from "../../web/src/features/inbox/message-actions.ts";

const ME = { id: "user_me_000001", name: "Mia Me", avatarUrl: null };
const ANA = { id: "user_ana_00001", name: "Ana Alves", avatarUrl: null };

function conversation(patch: Partial<Conversation> = {}): Conversation {
  return {
    id: "conv_0000000001",
    connectionId: "conn_000000001",
    platform: "facebook",
    kind: "comments",
    title: "Our autumn menu",
    participantName: null,
    permalink: null,
    postId: null,
    status: "open",
    assignee: null,
    claimedBy: null,
    claimedAt: null,
    tags: [],
    preview: "Love it",
    lastMessageAt: "2026-11-29T10:00:00.000Z",
    unread: false,
    replyWindowEndsAt: null,
    ...patch,
  };
}

function message(patch: Partial<Message> = {}): Message {
  return {
    id: "msg_000000001",
    conversationId: "conv_0000000001",
    externalId: "123_456",
    parentExternalId: null,
    direction: "in",
    state: "received",
    authorId: "999",
    authorName: "Carla Customer",
    text: "What is the price?",
    attachments: [],
    hidden: false,
    liked: false,
    sentBy: null,
    ruleId: null,
    at: "2026-11-29T10:00:00.000Z",
    editedAt: null,
    removedAt: null,
    ...patch,
  };
}

describe("inbox filters as a query", () => {
  it("sends only the filters that narrow the list, and trims the search", () => {
    expect(filtersToQuery(DEFAULT_FILTERS)).toEqual({ status: "open" });
    expect(filtersToQuery({ channel: "conn_000000001", status: null, assignee: "me", unread: true, q: "  price  " })).toEqual({
      channel: "conn_000000001",
      assignee: "me",
      unread: "true",
      q: "price",
    });
    expect(filtersToQuery({ ...DEFAULT_FILTERS, q: "   " })).toEqual({ status: "open" });
  });

  it("cuts a search to the 200 characters the server accepts and encodes it", () => {
    expect(filtersToQuery({ ...DEFAULT_FILTERS, q: "x".repeat(250) }).q).toHaveLength(200);
    expect(queryString({ ...DEFAULT_FILTERS, status: null, q: "café & co" })).toBe("?q=caf%C3%A9+%26+co");
    expect(queryString({ ...DEFAULT_FILTERS, status: null })).toBe("");
  });

  it("knows whether anything narrows the list", () => {
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, unread: true })).toBe(true);
    expect(isFiltered({ ...DEFAULT_FILTERS, status: null })).toBe(true);
  });

  it("moves the keyboard selection within the list", () => {
    expect(moveSelection(null, 1, 3)).toBe(0);
    expect(moveSelection(null, -1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(1, 1, 3)).toBe(2);
    expect(moveSelection(null, 1, 0)).toBeNull();
  });
});

describe("unread and claims", () => {
  it("clears one conversation's unread dot and counts the rest", () => {
    const list = [conversation({ id: "conv_0000000001", unread: true }), conversation({ id: "conv_0000000002", unread: true })];
    const after = markRead(list, "conv_0000000001");
    expect(after.map((c) => c.unread)).toEqual([false, true]);
    expect(unreadCount(after)).toBe(1);
    expect(after[1]).toBe(list[1]);
  });

  it("names who holds a claim, from the reader's point of view", () => {
    expect(claimText(conversation(), ME.id)).toBeNull();
    expect(claimText(conversation({ claimedBy: ME }), ME.id)).toBe("Claimed by you");
    expect(claimText(conversation({ claimedBy: ANA }), ME.id)).toBe("Claimed by Ana Alves");
  });
});

describe("the thread", () => {
  it("interleaves messages and notes by time, a note after a message of the same instant", () => {
    const note: Note = { id: "note_00000001", conversationId: "conv_0000000001", author: ANA, text: "VIP", createdAt: "2026-11-29T10:00:00.000Z" };
    const items = timeline([message({ id: "msg_000000002", at: "2026-11-29T11:00:00.000Z" }), message()], [note]);
    expect(items.map((i) => (i.type === "note" ? i.note.id : i.message.id))).toEqual(["msg_000000001", "note_00000001", "msg_000000002"]);
  });

  it("offers like, hide and private reply on a received comment, and their opposites when done", () => {
    const c = conversation();
    expect(messageActions(message(), c).map((a) => a.label)).toEqual(["Like", "Hide", "Reply privately"]);
    expect(messageActions(message({ liked: true, hidden: true }), c).map((a) => a.kind)).toEqual(["unlike", "unhide", "private_reply"]);
    expect(messageActions(message(), conversation({ platform: "youtube" })).map((a) => a.kind)).toEqual(["like", "hide"]);
  });

  it("offers delete only on our own sent replies, and nothing on messages in flight, removed, or in DMs", () => {
    const c = conversation();
    expect(messageActions(message({ direction: "out", state: "sent" }), c).map((a) => a.kind)).toEqual(["delete"]);
    expect(messageActions(message({ direction: "out", state: "sent" }), c)[0]?.confirm).toMatch(/cannot be restored/);
    expect(messageActions(message({ direction: "out", state: "pending", externalId: null }), c)).toEqual([]);
    expect(messageActions(message({ state: "removed" }), c)).toEqual([]);
    expect(messageActions(message(), conversation({ kind: "dm" }))).toEqual([]);
  });

  it("spells out pending, failed, removed and hidden states", () => {
    expect(messageStateLabel(message({ state: "pending" }))).toBe("Sending…");
    expect(messageStateLabel(message({ state: "failed" }))).toBe("Not sent");
    expect(messageStateLabel(message({ state: "removed" }))).toBe("Removed");
    expect(messageStateLabel(message({ hidden: true }))).toBe("Hidden");
    expect(messageStateLabel(message())).toBeNull();
  });

  it("answers the newest comment still on the platform by default, and picks the action kind", () => {
    const older = message({ id: "msg_000000001" });
    const ours = message({ id: "msg_000000002", direction: "out", state: "sent" });
    const removed = message({ id: "msg_000000003", state: "removed" });
    expect(defaultReplyTarget([older, ours, removed])?.id).toBe("msg_000000001");
    expect(defaultReplyTarget([])).toBeNull();
    expect(replyKind(conversation(), false)).toBe("reply");
    expect(replyKind(conversation(), true)).toBe("private_reply");
    expect(replyKind(conversation({ kind: "dm" }), true)).toBe("dm");
  });

  it("knows when a DM's reply window has closed", () => {
    const now = new Date("2026-11-29T12:00:00.000Z");
    expect(replyWindowClosed(conversation({ replyWindowEndsAt: null }), now)).toBe(false);
    expect(replyWindowClosed(conversation({ replyWindowEndsAt: "2026-11-29T12:00:01.000Z" }), now)).toBe(false);
    expect(replyWindowClosed(conversation({ replyWindowEndsAt: "2026-11-29T12:00:00.000Z" }), now)).toBe(true);
  });
});

describe("labels and times", () => {
  it("names the channel kind", () => {
    expect(channelLabel({ platform: "instagram", kind: "dm" })).toBe("Instagram DM");
    expect(channelLabel({ platform: "facebook", kind: "comments" })).toBe("Facebook comments");
  });

  it("shows a row's time in the viewer's zone: the clock today, the weekday this week, else the date", () => {
    const now = new Date("2026-11-29T12:00:00.000Z");
    // 23:30 UTC the day before is already today in Tokyo, but yesterday in New York.
    const lateYesterday = "2026-11-28T23:30:00.000Z";
    expect(listTime(lateYesterday, now, "Asia/Tokyo")).toMatch(/8:30/);
    expect(listTime(lateYesterday, now, "America/New_York")).not.toMatch(/:/);
    expect(listTime("2026-10-01T12:00:00.000Z", now, "UTC")).toMatch(/Oct/);
  });
});
