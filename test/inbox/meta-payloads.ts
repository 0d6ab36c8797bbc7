/**
 * Webhook entries as ../shared/platforms/meta-webhooks-and-deletion.md §4 shows them (the page and
 * Instagram ids are the sandbox's: Northwind Coffee and its Instagram account).
 */
export const PAGE_ID = "104938271234567";
export const IG_ID = "17841400000000001";

export function feedComment(overrides: Record<string, unknown> = {}, pageId = PAGE_ID) {
  return {
    id: pageId,
    time: 1767312000,
    changes: [
      {
        field: "feed",
        value: {
          item: "comment",
          verb: "add",
          post_id: `${pageId}_122100000000000001`,
          comment_id: "122100000000000001_1098765432",
          parent_id: `${pageId}_122100000000000001`,
          from: { id: "6543210987654321", name: "Jane Doe" },
          message: "How much is it?",
          created_time: 1767311998,
          post: { id: `${pageId}_122100000000000001`, status_type: "added_photos", is_published: true, updated_time: "2026-01-02T00:00:00+0000", promotion_status: "inactive", permalink_url: "https://www.facebook.com/northwindcoffee/posts/1" },
          ...overrides,
        },
      },
    ],
  };
}

export function feedReaction(pageId = PAGE_ID) {
  return {
    id: pageId,
    time: 1767312100,
    changes: [{ field: "feed", value: { item: "reaction", verb: "add", reaction_type: "love", post_id: `${pageId}_122100000000000001`, from: { id: "6543210987654321", name: "Jane Doe" }, created_time: 1767312099 } }],
  };
}

export function messengerMessage(message: Record<string, unknown> = {}, pageId = PAGE_ID, sender = "7023456789012345") {
  return {
    id: pageId,
    time: 1767312200123,
    messaging: [
      {
        sender: { id: sender },
        recipient: { id: pageId },
        timestamp: 1767312199876,
        message: { mid: "m_AbCdEfGh", text: "Hi, are you open today?", attachments: [{ type: "image", payload: { url: "https://lookaside.fbsbx.com/ig_messaging_cdn/1" } }], quick_reply: { payload: "OPEN_HOURS" }, ...message },
      },
    ],
  };
}

/** Our own message coming back: sender is the Page, the person is the recipient. */
export function messengerEcho(mid: string, text: string, pageId = PAGE_ID, person = "7023456789012345") {
  return { id: pageId, time: 1767312300000, messaging: [{ sender: { id: pageId }, recipient: { id: person }, timestamp: 1767312299000, message: { mid, text, is_echo: true, app_id: 100000000000001 } }] };
}

export function messengerReceipts(pageId = PAGE_ID) {
  return {
    id: pageId,
    time: 1767312400000,
    messaging: [
      { sender: { id: "7023456789012345" }, recipient: { id: pageId }, timestamp: 1767312400000, delivery: { mids: ["m_AbCdEfGh"], watermark: 1767312399000 } },
      { sender: { id: "7023456789012345" }, recipient: { id: pageId }, timestamp: 1767312400001, read: { watermark: 1767312399000 } },
    ],
  };
}

export function instagramComment(overrides: Record<string, unknown> = {}, igId = IG_ID) {
  return {
    id: igId,
    time: 1767312300,
    changes: [
      {
        field: "comments",
        value: { id: "17998877665544332", text: "so cool!", from: { id: "17841455555555555", username: "fan_account" }, media: { id: "17912345678901234", media_product_type: "FEED" }, parent_id: "17998877665544000", ...overrides },
      },
    ],
  };
}

export function instagramMessage(igId = IG_ID) {
  return { id: igId, time: 1767312500000, messaging: [{ sender: { id: "987654321098765" }, recipient: { id: igId }, timestamp: 1767312499000, message: { mid: "aWdfZAG1faXRlbToxOklH", text: "Do you ship to Austria?" } }] };
}
