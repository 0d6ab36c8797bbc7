import { SANDBOX_APPS } from "../apps";
import type { SandboxObject, SandboxPost, SandboxStore } from "../store/store";
import { fbPermalink } from "./facebook-publish";
import { DAY, graphTime, newIds, nextSeq } from "./meta-publish-common";
import { META_IG_ACCOUNTS, META_PAGES } from "./meta-world";
import type { WebhookEvent } from "./meta-webhooks-delivery";

/**
 * The inbox side of the sandbox's Meta world: people who comment and write, their comments and
 * messages, the messaging windows, what the app did (replies, likes, hides, deletes, private replies,
 * DMs: counted by tests) and the webhook events each of these produces.
 */
export type InboxPlatform = "facebook" | "instagram";
/** `data` of a comment object (kind "comment"). Page/IG-account comments carry the account as author. */
export type InboxComment = { parentId: string; postId?: string; message: string; fromId?: string; fromName?: string; username?: string; hidden?: boolean; deleted?: boolean; privateReplied?: boolean; likedByPage?: boolean };
export type Person = { id: string; name: string; username: string; platform: InboxPlatform; accountId: string };
export type InboxActionKind = "comment" | "reply" | "like" | "unlike" | "hide" | "unhide" | "delete" | "private_reply" | "dm";
export type InboxActionRecord = { seq: number; action: InboxActionKind; platform: InboxPlatform; account: string; targetId: string; text: string | null; resultId: string | null; at: number };

const APP_ID = Number(SANDBOX_APPS.meta.clientId);
/** Messenger's and Instagram's standard messaging window after the person's last message. */
export const MESSAGING_WINDOW_MS = DAY;
/** Private replies are accepted within 7 days of the comment (Messenger private replies guide). */
export const PRIVATE_REPLY_WINDOW_MS = 7 * DAY;

// ── people ─────────────────────────────────────────────────────────────────

/** A person as the account sees them: page-scoped (PSID) on Facebook, IG-scoped (IGSID) on Instagram. */
export function person(store: SandboxStore, id: string): Person | null {
  return JSON.parse(store.meta(`inbox:person:${id}`) ?? "null") as Person | null;
}

export function ensurePerson(store: SandboxStore, platform: InboxPlatform, accountId: string, author: { id?: string | undefined; name: string }): Person {
  const id = author.id ?? (platform === "facebook" ? `70${String(nextSeq(store)).padStart(14, "0")}` : `178415${String(nextSeq(store)).padStart(11, "0")}`);
  const existing = person(store, id);
  if (existing && existing.accountId === accountId) return existing;
  const username = author.name.toLowerCase().normalize("NFD").replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || `user_${id.slice(-6)}`;
  const created: Person = { id, name: author.name, username, platform, accountId };
  store.setMeta(`inbox:person:${id}`, JSON.stringify(created));
  return created;
}

const lastInboundKey = (platform: InboxPlatform, accountId: string, personId: string) => `inbox:last_in:${platform}:${accountId}:${personId}`;

export function lastInbound(store: SandboxStore, platform: InboxPlatform, accountId: string, personId: string): number | null {
  const value = store.meta(lastInboundKey(platform, accountId, personId));
  return value === null ? null : Number(value);
}

// ── what the app did ───────────────────────────────────────────────────────

export function recordAction(store: SandboxStore, action: Omit<InboxActionRecord, "seq" | "at">): InboxActionRecord {
  const record: InboxActionRecord = { ...action, seq: nextSeq(store), at: store.now() };
  store.publishing.createObject({ id: `iba_${String(record.seq).padStart(12, "0")}`, platform: action.platform, accountId: action.account, kind: "inbox_action", data: record });
  return record;
}

export function actions(store: SandboxStore, filter: { platform: string | null; account: string | null }): InboxActionRecord[] {
  const accounts: [InboxPlatform, string][] = [...META_PAGES.map((p) => ["facebook", p.id] as [InboxPlatform, string]), ...META_IG_ACCOUNTS.map((a) => ["instagram", a.id] as [InboxPlatform, string])];
  return accounts
    .filter(([platform, account]) => (!filter.platform || filter.platform === platform) && (!filter.account || filter.account === account))
    .flatMap(([platform, account]) => store.publishing.objectsOf(platform, account, "inbox_action").map((o) => o.data as InboxActionRecord))
    .sort((a, b) => a.seq - b.seq);
}

// ── comments ───────────────────────────────────────────────────────────────

export function comment(store: SandboxStore, id: string): SandboxObject<InboxComment> | null {
  const object = store.publishing.object<InboxComment>(id);
  return object && object.kind === "comment" && (object.platform === "facebook" || object.platform === "instagram") ? object : null;
}

/** The post (or IG media) a comment hangs under, following replies up. */
export function rootPost(store: SandboxStore, id: string): SandboxPost | null {
  let current = id;
  for (let depth = 0; depth < 10; depth += 1) {
    const post = store.publishing.post(current);
    if (post) return post;
    const parent = comment(store, current);
    if (!parent) return null;
    current = parent.data.postId ?? parent.data.parentId;
  }
  return null;
}

/** A person's comment on a post (or a reply to a comment), as created through the control API. */
export function addPersonComment(store: SandboxStore, input: { platform: InboxPlatform; accountId: string; post: SandboxPost; parentId: string | null; author: Person; text: string }): SandboxObject<InboxComment> {
  const parentId = input.parentId ?? input.post.id;
  if (input.platform === "facebook") {
    const id = newIds.fbComment(store, input.post.id);
    return store.publishing.createObject<InboxComment>({ id, platform: "facebook", accountId: input.accountId, kind: "comment", data: { parentId, postId: input.post.id, message: input.text, fromId: input.author.id, fromName: input.author.name } });
  }
  const id = newIds.igComment(store);
  return store.publishing.createObject<InboxComment>({ id, platform: "instagram", accountId: input.accountId, kind: "comment", data: { parentId, postId: input.post.id, message: input.text, username: input.author.username, fromId: input.author.id } });
}

const STATUS_TYPES: Record<string, string> = { photo: "added_photos", multi_photo: "added_photos", video: "added_video", reel: "added_video", link: "shared_story" };
const MEDIA_PRODUCT: Record<string, string> = { reel: "REELS", story: "STORY" };

/** The `feed` change for a Page comment (§4.1): verb add / edited / remove, times in seconds. */
export function feedCommentEvent(store: SandboxStore, object: SandboxObject<InboxComment>, verb: "add" | "edited" | "remove"): WebhookEvent {
  const post = rootPost(store, object.id);
  const postId = post?.id ?? object.data.parentId;
  const page = META_PAGES.find((p) => p.id === object.account_id);
  const value: Record<string, unknown> = {
    item: "comment",
    verb,
    post_id: postId,
    comment_id: object.id,
    parent_id: object.data.parentId,
    from: { id: object.data.fromId ?? page?.id, name: object.data.fromName ?? page?.name },
    created_time: Math.floor(object.created_at / 1000),
  };
  if (verb !== "remove") value.message = object.data.message;
  if (post) value.post = { id: post.id, status_type: STATUS_TYPES[post.kind] ?? "mobile_status_update", is_published: true, updated_time: graphTime(post.published_at), promotion_status: "inactive", permalink_url: post.permalink || fbPermalink(post.account_id, post.id) };
  return { object: "page", accountId: object.account_id, field: "feed", change: value };
}

/** The Instagram `comments` change (§4.4); `parent_id` only on replies. The account's own comments arrive too (unverified for the Facebook-Login path). */
export function igCommentEvent(store: SandboxStore, object: SandboxObject<InboxComment>): WebhookEvent {
  const post = rootPost(store, object.id);
  const account = META_IG_ACCOUNTS.find((a) => a.id === object.account_id);
  const value: Record<string, unknown> = {
    id: object.id,
    text: object.data.message,
    from: { id: object.data.fromId ?? object.account_id, username: object.data.username ?? account?.username },
    media: { id: post?.id ?? object.data.parentId, media_product_type: (post && MEDIA_PRODUCT[post.kind]) ?? "FEED" },
  };
  if (post && object.data.parentId !== post.id) value.parent_id = object.data.parentId;
  return { object: "instagram", accountId: object.account_id, field: "comments", change: value };
}

// ── messages ───────────────────────────────────────────────────────────────

export type Attachment = { type: "image" | "video" | "audio" | "file"; url: string };

const messageId = (platform: InboxPlatform) => {
  const random = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24)))).replace(/[+/=]/g, "");
  return platform === "facebook" ? `m_${random}` : `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE${random}`;
};

/** A person writes to the account: opens (or refreshes) the messaging window and yields the `messages` event. */
export function inboundMessage(store: SandboxStore, input: { platform: InboxPlatform; accountId: string; author: Person; text: string; attachments: Attachment[] }): { mid: string; event: WebhookEvent } {
  const mid = messageId(input.platform);
  const now = store.now();
  store.setMeta(lastInboundKey(input.platform, input.accountId, input.author.id), String(now));
  const message: Record<string, unknown> = { mid, text: input.text };
  if (input.text === "") delete message.text;
  if (input.attachments.length > 0) message.attachments = input.attachments.map((a) => ({ type: a.type, payload: { url: a.url } }));
  return { mid, event: { object: input.platform === "facebook" ? "page" : "instagram", accountId: input.accountId, field: "messages", messaging: { sender: { id: input.author.id }, recipient: { id: input.accountId }, timestamp: now, message } } };
}

/** The account's own message (DM or private reply): its echo, on `message_echoes` for Pages and `messages` for Instagram. */
export function outboundMessage(store: SandboxStore, input: { platform: InboxPlatform; accountId: string; recipientId: string; text: string }): { mid: string; event: WebhookEvent } {
  const mid = messageId(input.platform);
  const facebook = input.platform === "facebook";
  return {
    mid,
    event: { object: facebook ? "page" : "instagram", accountId: input.accountId, field: facebook ? "message_echoes" : "messages", messaging: { sender: { id: input.accountId }, recipient: { id: input.recipientId }, timestamp: store.now(), message: { mid, text: input.text, is_echo: true, app_id: APP_ID } } },
  };
}
