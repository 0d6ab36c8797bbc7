import { describe, expect, it } from "vitest";
import { MetaEntry } from "../../worker/inbox/inbound/meta-entry";
import { normalizeEntry } from "../../worker/inbox/inbound/normalize-entry";
import type { InboundChannel } from "../../worker/inbox/inbound/types";
import { feedComment, feedReaction, IG_ID, instagramComment, instagramMessage, messengerEcho, messengerMessage, messengerReceipts, PAGE_ID } from "./meta-payloads";

const RECEIVED_AT = Date.UTC(2026, 0, 2, 0, 0, 5);
const page: InboundChannel = { connectionId: "conn-fb", workspaceId: "ws-a", platform: "facebook", externalId: PAGE_ID };
const ig: InboundChannel = { connectionId: "conn-ig", workspaceId: "ws-a", platform: "instagram", externalId: IG_ID };

function normalize(object: string, entry: unknown, channel: InboundChannel) {
  return normalizeEntry(object, MetaEntry.parse(entry), channel, RECEIVED_AT);
}

describe("Page feed comments", () => {
  it("turns a new comment into an inbound message in the post's thread (created_time in seconds)", () => {
    const { items, skipped } = normalize("page", feedComment(), page);
    expect(skipped).toEqual([]);
    expect(items).toEqual([
      {
        connectionId: "conn-fb",
        workspaceId: "ws-a",
        platform: "facebook",
        conversation: { kind: "comments", postId: `${PAGE_ID}_122100000000000001`, permalink: "https://www.facebook.com/northwindcoffee/posts/1" },
        externalId: "122100000000000001_1098765432",
        parentExternalId: null,
        direction: "in",
        author: { id: "6543210987654321", name: "Jane Doe" },
        text: "How much is it?",
        attachments: [],
        platformAt: 1767311998000,
        verb: "add",
      },
    ]);
  });

  it("keeps the parent of a reply and carries edits, removals and moderation verbs", () => {
    const reply = normalize("page", feedComment({ parent_id: "122100000000000001_1000" }), page).items[0];
    expect(reply?.parentExternalId).toBe("122100000000000001_1000");
    for (const verb of ["edited", "remove", "hide", "unhide"] as const) {
      expect(normalize("page", feedComment({ verb, ...(verb === "remove" ? { message: undefined } : {}) }), page).items[0]?.verb).toBe(verb);
    }
    expect(normalize("page", feedComment({ verb: "remove", message: undefined }), page).items[0]?.text).toBe("");
  });

  it("records the Page's own comments as outbound", () => {
    const [item] = normalize("page", feedComment({ from: { id: PAGE_ID, name: "Northwind Coffee" }, message: "Thanks!" }), page).items;
    expect(item).toMatchObject({ direction: "out", author: { id: PAGE_ID, name: "Northwind Coffee" }, text: "Thanks!" });
  });

  it("accepts a comment without `from` (no Advanced Access) and a photo comment", () => {
    const [item] = normalize("page", feedComment({ from: undefined, photo: "https://scontent.example/photo.jpg", message: "" }), page).items;
    expect(item).toMatchObject({ direction: "in", author: { id: null, name: null }, attachments: [{ type: "image", url: "https://scontent.example/photo.jpg" }] });
  });

  it("skips reactions and other feed items, other fields, and invalid comments, saying why", () => {
    expect(normalize("page", feedReaction(), page)).toEqual({ items: [], skipped: ["feed item reaction"] });
    expect(normalize("page", { id: PAGE_ID, time: 1, changes: [{ field: "ratings", value: {} }] }, page)).toEqual({ items: [], skipped: ["field ratings"] });
    const invalid = normalize("page", feedComment({ comment_id: undefined }), page);
    expect(invalid.items).toEqual([]);
    expect(invalid.skipped[0]).toMatch(/^invalid feed comment \(comment_id: /);
  });
});

describe("Instagram comments", () => {
  it("uses the media as the thread, the username as the author and the entry's time (seconds)", () => {
    const { items } = normalize("instagram", instagramComment(), ig);
    expect(items).toEqual([
      {
        connectionId: "conn-ig",
        workspaceId: "ws-a",
        platform: "instagram",
        conversation: { kind: "comments", postId: "17912345678901234", permalink: null },
        externalId: "17998877665544332",
        parentExternalId: "17998877665544000",
        direction: "in",
        author: { id: "17841455555555555", name: "fan_account" },
        text: "so cool!",
        attachments: [],
        platformAt: 1767312300000,
        verb: "add",
      },
    ]);
  });

  it("treats the account's own comment as outbound and a top-level comment as parentless", () => {
    const [item] = normalize("instagram", instagramComment({ from: { id: IG_ID, username: "northwind.coffee" }, parent_id: undefined }), ig).items;
    expect(item).toMatchObject({ direction: "out", parentExternalId: null });
  });

  it("does not read Instagram `comments` under a Page object, nor `feed` under Instagram", () => {
    expect(normalize("page", instagramComment(), page)).toEqual({ items: [], skipped: ["field comments"] });
    expect(normalize("instagram", feedComment({}, IG_ID), ig)).toEqual({ items: [], skipped: ["field feed"] });
  });
});

describe("Messenger and Instagram messages", () => {
  it("turns a Messenger message with an attachment into a DM from the sender (timestamp in ms)", () => {
    const { items } = normalize("page", messengerMessage(), page);
    expect(items).toEqual([
      {
        connectionId: "conn-fb",
        workspaceId: "ws-a",
        platform: "facebook",
        conversation: { kind: "dm", participantId: "7023456789012345", participantName: null },
        externalId: "m_AbCdEfGh",
        parentExternalId: null,
        direction: "in",
        author: { id: "7023456789012345", name: null },
        text: "Hi, are you open today?",
        attachments: [{ type: "image", url: "https://lookaside.fbsbx.com/ig_messaging_cdn/1" }],
        platformAt: 1767312199876,
        verb: "add",
      },
    ]);
  });

  it("files an echo of our own message as outbound in the thread with the recipient", () => {
    const [item] = normalize("page", messengerEcho("m_echo1", "We open at 8."), page).items;
    expect(item).toMatchObject({ direction: "out", conversation: { kind: "dm", participantId: "7023456789012345" }, externalId: "m_echo1", text: "We open at 8.", platformAt: 1767312299000 });
  });

  it("ignores deliveries and reads", () => {
    expect(normalize("page", messengerReceipts(), page)).toEqual({ items: [], skipped: ["messaging event without a message", "messaging event without a message"] });
  });

  it("reads Instagram DMs with the same structure, and an attachment without a URL", () => {
    const [item] = normalize("instagram", instagramMessage(), ig).items;
    expect(item).toMatchObject({ platform: "instagram", conversation: { kind: "dm", participantId: "987654321098765" }, text: "Do you ship to Austria?", direction: "in" });
    const [sticker] = normalize("page", messengerMessage({ text: undefined, attachments: [{ type: "fallback", payload: null }] }), page).items;
    expect(sticker).toMatchObject({ text: "", attachments: [{ type: "fallback", url: null }] });
  });

  it("maps an unsent Instagram message to a removal and an edit to an edit", () => {
    expect(normalize("instagram", { ...instagramMessage(), messaging: [{ ...instagramMessage().messaging[0], message: { mid: "aWdf1", is_deleted: true } }] }, ig).items[0]?.verb).toBe("remove");
    const edit = { sender: { id: "987654321098765" }, recipient: { id: IG_ID }, timestamp: 1767312600000, message_edit: { mid: "aWdf1", text: "Do you ship to Vienna?", num_edit: 1 } };
    expect(normalize("instagram", { id: IG_ID, time: 1767312600000, messaging: [edit] }, ig).items[0]).toMatchObject({ verb: "edited", externalId: "aWdf1", text: "Do you ship to Vienna?" });
  });

  it("sets aside an event that is not a messaging event, and keeps the valid ones of the entry", () => {
    const entry = messengerMessage();
    const { items, skipped } = normalize("page", { ...entry, messaging: [{ nonsense: true }, ...entry.messaging] }, page);
    expect(items).toHaveLength(1);
    expect(skipped[0]).toMatch(/^invalid messaging event/);
  });
});
