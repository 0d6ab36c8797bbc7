import { z } from "zod";
import type { SandboxStore } from "../store/store";
import { addPersonComment, comment, ensurePerson, feedCommentEvent, igCommentEvent, inboundMessage, rootPost, type InboxPlatform } from "./meta-inbox-store";
import { META_IG_ACCOUNTS, META_PAGES } from "./meta-world";
import type { DeliveryOutcome } from "./meta-webhooks-delivery";
import { emitEvents } from "./meta-webhooks-sink";

/**
 * People acting on the sandbox's Meta world: a comment on a post the sandbox holds, a direct message.
 * Shared by the control API (one event) and the traffic generator (many). Each produces its webhook.
 */
export const Author = z.object({ id: z.string().regex(/^[0-9]{5,20}$/, "a numeric id").optional(), name: z.string().min(1).max(100) });
export const CommentEventInput = z.object({
  platform: z.enum(["facebook", "instagram"]),
  account: z.string().min(1),
  post: z.string().min(1),
  author: Author,
  text: z.string().min(1).max(8000),
  parentId: z.string().min(1).optional(),
});
export const MessageEventInput = z.object({
  platform: z.enum(["facebook", "instagram"]),
  account: z.string().min(1),
  author: Author,
  text: z.string().max(2000).default(""),
  attachments: z.array(z.object({ type: z.enum(["image", "video", "audio", "file"]), url: z.url() })).max(10).default([]),
});

export type EventResult<T> = { ok: true; value: T; webhook: DeliveryOutcome } | { ok: false; status: 400 | 404; detail: string };

export function accountExists(platform: InboxPlatform, account: string): boolean {
  return platform === "facebook" ? META_PAGES.some((p) => p.id === account) : META_IG_ACCOUNTS.some((a) => a.id === account);
}

export async function personComments(store: SandboxStore, input: z.infer<typeof CommentEventInput>): Promise<EventResult<{ id: string; postId: string; parentId: string; authorId: string }>> {
  if (!accountExists(input.platform, input.account)) return { ok: false, status: 404, detail: `${input.account} is not a sandbox ${input.platform === "facebook" ? "Page" : "Instagram account"}.` };
  const post = store.publishing.post(input.post);
  if (!post || post.platform !== input.platform || post.account_id !== input.account || post.deleted_at !== null) {
    return { ok: false, status: 404, detail: `The sandbox holds no live ${input.platform} post ${input.post} of account ${input.account}: publish one through the app (or the Graph API) first.` };
  }
  if (input.parentId !== undefined) {
    const parent = comment(store, input.parentId);
    if (!parent || parent.data.deleted || rootPost(store, parent.id)?.id !== post.id) return { ok: false, status: 404, detail: `Comment ${input.parentId} is not a live comment on post ${post.id}.` };
  }
  if (input.author.id === input.account) return { ok: false, status: 400, detail: "The author must be a person, not the account itself (the app comments through the Graph API)." };
  const author = ensurePerson(store, input.platform, input.account, input.author);
  const created = addPersonComment(store, { platform: input.platform, accountId: input.account, post, parentId: input.parentId ?? null, author, text: input.text });
  const webhook = await emitEvents(store, [input.platform === "facebook" ? feedCommentEvent(store, created, "add") : igCommentEvent(store, created)]);
  return { ok: true, value: { id: created.id, postId: post.id, parentId: created.data.parentId, authorId: author.id }, webhook };
}

export async function personWrites(store: SandboxStore, input: z.infer<typeof MessageEventInput>): Promise<EventResult<{ mid: string; authorId: string }>> {
  if (!accountExists(input.platform, input.account)) return { ok: false, status: 404, detail: `${input.account} is not a sandbox ${input.platform === "facebook" ? "Page" : "Instagram account"}.` };
  if (input.text === "" && input.attachments.length === 0) return { ok: false, status: 400, detail: "A message needs text or at least one attachment." };
  const author = ensurePerson(store, input.platform, input.account, input.author);
  const message = inboundMessage(store, { platform: input.platform, accountId: input.account, author, text: input.text, attachments: input.attachments });
  const webhook = await emitEvents(store, [message.event]);
  return { ok: true, value: { mid: message.mid, authorId: author.id }, webhook };
}
