import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import { graphError } from "./graph-common";
import { comment, lastInbound, MESSAGING_WINDOW_MS, outboundMessage, person, PRIVATE_REPLY_WINDOW_MS, recordAction, type InboxPlatform } from "./meta-inbox-store";
import { DAY, hasScope, pageOfToken, publishCaller, unsupported, type Caller, type Ctx } from "./meta-publish-common";
import { META_IG_ACCOUNTS, META_PAGES } from "./meta-world";
import { emitEvents } from "./meta-webhooks-sink";

/**
 * The Send API (meta-auth-and-pages.md §6) and Instagram messaging (instagram.md §4):
 * `POST /{page-id}/messages` for Messenger, for Instagram through the linked Page, and for private
 * replies (`recipient.comment_id`); `POST /{ig-user-id}/messages` as the brief's Instagram path.
 * The 24 h window is enforced with code 10 / subcode 2018278; private replies once per comment within
 * 7 days. Every message sent is recorded and echoed (`is_echo`, `app_id`).
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";
const TEXT_LIMIT = 2000;
/** Tags still accepted outside the window; HUMAN_AGENT extends it to 7 days (tag list unverified). */
const TAGS = new Set(["HUMAN_AGENT", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE"]);

const Id = z.union([z.string().min(1), z.number()]).transform(String);
const Recipient = z.union([z.object({ comment_id: Id }), z.object({ id: Id })]);
const Message = z.object({ text: z.string().optional(), attachment: z.object({ type: z.string(), payload: z.record(z.string(), z.unknown()) }).optional() });

function jsonParam(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const outsideWindow = (c: Ctx) => graphError(c, { code: 10, subcode: 2018278, type: "OAuthException", message: "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview" });
const noUser = (c: Ctx) => graphError(c, { code: 100, subcode: 2018001, message: "(#100) No matching user found" });

/**
 * The token may message as this account: the Page's token (or, for Instagram, the linked Page's token
 * or a user token of the grant) with `pages_messaging` / `instagram_manage_messages`.
 */
function authorizeMessaging(c: Ctx, who: Caller, platform: InboxPlatform, accountId: string): Response | null {
  const pageId = platform === "facebook" ? accountId : META_IG_ACCOUNTS.find((a) => a.id === accountId)?.pageId;
  if (!pageId || !who.grant.assets.includes(accountId)) return unsupported(c, accountId);
  const tokenPage = pageOfToken(who);
  if (platform === "facebook" && tokenPage === null) return graphError(c, { code: 210, message: "(#210) A page access token is required to request this resource." });
  if (tokenPage !== null && tokenPage !== pageId) return unsupported(c, accountId);
  if (platform === "facebook" && !hasScope(who, "pages_messaging")) return graphError(c, { code: 230, message: "(#230) Requires pages_messaging permission to manage the object" });
  if (platform === "instagram" && !hasScope(who, "instagram_manage_messages")) return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
  return null;
}

async function send(c: Ctx): Promise<Response> {
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const store = c.var.store;
  const id = c.req.param("id") ?? "";
  const page = META_PAGES.find((p) => p.id === id);
  const ig = META_IG_ACCOUNTS.find((a) => a.id === id);
  if (!page && !ig) return unsupported(c, id);
  /** Which accounts this endpoint may speak for: a Page for itself and its Instagram account; an IG user for itself. */
  const speaksFor = (platform: InboxPlatform, accountId: string) => (page ? (platform === "facebook" ? accountId === page.id : accountId === page.igId) : platform === "instagram" && accountId === ig?.id);

  const recipientRaw = jsonParam(who.params.get("recipient"));
  if (recipientRaw === undefined) return graphError(c, { code: 100, message: "(#100) The parameter recipient is required" });
  const recipient = Recipient.safeParse(recipientRaw);
  if (!recipient.success) return graphError(c, { code: 100, message: "(#100) param recipient must be an object with id or comment_id" });
  const message = Message.safeParse(jsonParam(who.params.get("message")));
  if (!message.success) return graphError(c, { code: 100, message: "(#100) The parameter message is required" });
  const text = message.data.text ?? "";
  if (!text && !message.data.attachment) return graphError(c, { code: 100, message: "(#100) Message cannot be empty, must provide valid attachment or text" });
  if (text.length > TEXT_LIMIT) return graphError(c, { code: 100, message: `(#100) Length of param message[text] must be less than or equal to ${TEXT_LIMIT}` });
  const shownText = text || `[${message.data.attachment?.type ?? "attachment"}]`;

  if ("comment_id" in recipient.data) {
    const commentId = recipient.data.comment_id;
    const target = comment(store, commentId);
    const platform: InboxPlatform = target?.platform === "instagram" ? "instagram" : "facebook";
    if (!target || target.data.deleted || !speaksFor(platform, target.account_id)) return unsupported(c, commentId);
    const denied = authorizeMessaging(c, who, platform, target.account_id);
    if (denied) return denied;
    const authorId = target.data.fromId;
    // Error texts for these two refusals are unverified; the codes follow the Send API's window error.
    if (!authorId || authorId === target.account_id) return graphError(c, { code: 100, message: "(#100) Cannot send a private reply to your own comment" });
    if (target.data.privateReplied) return graphError(c, { code: 10, subcode: 2018278, message: "(#10) A private reply has already been sent to this comment" });
    if (store.now() - target.created_at > PRIVATE_REPLY_WINDOW_MS) return outsideWindow(c);
    store.publishing.updateObject(commentId, { ...target.data, privateReplied: true });
    const out = outboundMessage(store, { platform, accountId: target.account_id, recipientId: authorId, text: shownText });
    recordAction(store, { action: "private_reply", platform, account: target.account_id, targetId: commentId, text: shownText, resultId: out.mid });
    await emitEvents(store, [out.event]);
    return c.json({ recipient_id: authorId, message_id: out.mid });
  }

  const recipientId = recipient.data.id;
  const who_ = person(store, recipientId);
  if (!who_ || !speaksFor(who_.platform, who_.accountId)) return noUser(c);
  const denied = authorizeMessaging(c, who, who_.platform, who_.accountId);
  if (denied) return denied;
  const type = who.params.get("messaging_type") ?? "RESPONSE";
  if (!["RESPONSE", "UPDATE", "MESSAGE_TAG"].includes(type)) return graphError(c, { code: 100, message: `(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG} - got "${type}"` });
  const tag = who.params.get("tag");
  if (type === "MESSAGE_TAG" && (!tag || !TAGS.has(tag))) return graphError(c, { code: 100, message: "(#100) Param tag must be a valid message tag when messaging_type is MESSAGE_TAG" });
  const last = lastInbound(store, who_.platform, who_.accountId, recipientId);
  const window = type === "MESSAGE_TAG" ? (tag === "HUMAN_AGENT" ? 7 * DAY : Number.POSITIVE_INFINITY) : MESSAGING_WINDOW_MS;
  // Conversations start only when the person writes first: never having written is "outside the window" too.
  if (last === null || store.now() - last > window) return outsideWindow(c);
  const out = outboundMessage(store, { platform: who_.platform, accountId: who_.accountId, recipientId, text: shownText });
  recordAction(store, { action: "dm", platform: who_.platform, account: who_.accountId, targetId: recipientId, text: shownText, resultId: out.mid });
  await emitEvents(store, [out.event]);
  return c.json({ recipient_id: recipientId, message_id: out.mid });
}

export function metaInboxMessageRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().post(`${V}/:id{[0-9]+}/messages`, send);
}
