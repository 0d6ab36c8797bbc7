// Meta-shaped webhook deliveries for the benchmarks, signed with the sandbox app's secret exactly as
// Meta signs them: HMAC-SHA256 of the raw body, which carries non-ASCII as `\u00e4` escapes.
import { createHmac } from "node:crypto";
import { SANDBOX_APP_CREDENTIALS } from "../scripts/sandbox-credentials.mjs";

/** The raw body (Meta's escapes kept) and its `X-Hub-Signature-256` header for `payload`. */
export function signedDelivery(payload) {
  // JSON.stringify would emit "\\u00e4" literally; undo the doubled backslash so the body carries Meta's escapes.
  const body = JSON.stringify(payload).replaceAll("\\\\u", "\\u");
  return { body, signature: `sha256=${createHmac("sha256", SANDBOX_APP_CREDENTIALS.META_APP_SECRET).update(body).digest("hex")}` };
}

/** A Page feed comment as Meta delivers it: one entry, one `changes` item. */
export function pageComment({ pageId, postId, commentId, authorId, authorName, text, at = Date.now() }) {
  const createdTime = Math.floor(at / 1000);
  return {
    object: "page",
    entry: [{ id: pageId, time: createdTime, changes: [{ field: "feed", value: { item: "comment", verb: "add", post_id: postId, comment_id: commentId, parent_id: postId, from: { id: authorId, name: authorName }, message: text, created_time: createdTime } }] }],
  };
}

/** A Messenger message as Meta delivers it: one entry, one `messaging` item. */
export function messengerMessage({ pageId, senderId, mid, text, at = Date.now() }) {
  return { object: "page", entry: [{ id: pageId, time: at, messaging: [{ sender: { id: senderId }, recipient: { id: pageId }, timestamp: at, message: { mid, text } }] }] };
}

export async function postDelivery(base, { body, signature }) {
  return fetch(`${base}/webhooks/meta`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });
}
