import { z } from "zod";
import { CONVERSATION_KINDS, CONVERSATION_STATUSES, INBOX_ACTION_KINDS, INBOX_ACTION_STATES, MESSAGE_DIRECTIONS, MESSAGE_STATES } from "../inbox/states";
import { Id, IsoDateTime, UserSummary } from "./common";
import { Platform } from "./connections";

/** The inbox API (ARCHITECTURE.md §3): conversations, their messages, notes, actions. Shared with the UI. */

export const ConversationKind = z.enum(CONVERSATION_KINDS);
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);

export const Conversation = z.object({
  id: Id,
  connectionId: Id,
  platform: Platform,
  kind: ConversationKind,
  /** The post's text (comments) or the person's name (DMs). */
  title: z.string(),
  participantName: z.string().nullable(),
  permalink: z.string().nullable(),
  /** Our published post, when the comments are under one. */
  postId: Id.nullable(),
  status: ConversationStatus,
  assignee: UserSummary.nullable(),
  claimedBy: UserSummary.nullable(),
  claimedAt: IsoDateTime.nullable(),
  tags: z.array(z.string()),
  preview: z.string(),
  lastMessageAt: IsoDateTime,
  /** Unread for the member asking: a message newer than their read mark. */
  unread: z.boolean(),
  /**
   * When a reply is possible until (Messenger and Instagram DMs: 24 h after the person's last
   * message); null when the platform has no window. Past it, replies are refused with a sentence.
   */
  replyWindowEndsAt: IsoDateTime.nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

export const MessageAttachment = z.object({ type: z.string(), url: z.string().nullable() });

export const Message = z.object({
  id: Id,
  conversationId: Id,
  externalId: z.string().nullable(),
  parentExternalId: z.string().nullable(),
  direction: z.enum(MESSAGE_DIRECTIONS),
  state: z.enum(MESSAGE_STATES),
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  text: z.string(),
  attachments: z.array(MessageAttachment),
  hidden: z.boolean(),
  liked: z.boolean(),
  /** The member who wrote it in Atelier, for outbound messages. */
  sentBy: UserSummary.nullable(),
  /** The rule that sent it (auto-replies). */
  ruleId: Id.nullable(),
  at: IsoDateTime,
  editedAt: IsoDateTime.nullable(),
  removedAt: IsoDateTime.nullable(),
});
export type Message = z.infer<typeof Message>;

export const Note = z.object({ id: Id, conversationId: Id, author: UserSummary.nullable(), text: z.string(), createdAt: IsoDateTime });
export type Note = z.infer<typeof Note>;

export const InboxAction = z.object({
  id: Id,
  conversationId: Id,
  messageId: Id.nullable(),
  outboundMessageId: Id.nullable(),
  kind: z.enum(INBOX_ACTION_KINDS),
  text: z.string().nullable(),
  state: z.enum(INBOX_ACTION_STATES),
  /** The platform's refusal in plain words, when failed. */
  error: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type InboxAction = z.infer<typeof InboxAction>;

/** `GET /{id}/inbox/conversations`: filters combine; `q` searches message text, titles and names. */
export const ConversationQuery = z.object({
  channel: Id.optional().describe("A connection id."),
  platform: Platform.optional(),
  kind: ConversationKind.optional(),
  status: ConversationStatus.optional(),
  assignee: z.union([Id, z.literal("me"), z.literal("none")]).optional(),
  unread: z.enum(["true", "false"]).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  /** Opaque cursor from the previous page's `next`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const ConversationList = z.object({ conversations: z.array(Conversation), next: z.string().nullable() });

export const ConversationDetail = z.object({ conversation: Conversation, messages: z.array(Message), notes: z.array(Note), actions: z.array(InboxAction) });

/** `PATCH /{id}/inbox/conversations/{conversationId}`: assignment, status, tags (only the fields sent change). */
export const ConversationPatch = z
  .object({ status: ConversationStatus, assigneeId: Id.nullable(), tags: z.array(z.string().trim().min(1).max(40)).max(20) })
  .partial()
  .strict();

/** `POST …/claim`: claim it; `takeOver: true` is required to take it from someone else (they see it happen). */
export const ClaimBody = z.object({ takeOver: z.boolean().default(false) }).strict();

export const NoteBody = z.object({ text: z.string().trim().min(1, "Write the note.").max(5000) }).strict();

/**
 * `POST /{id}/inbox/conversations/{conversationId}/actions`. `messageId` names the comment or message
 * acted on (required for everything but `dm`). `text` for reply, private_reply and dm. The client
 * sends an `idempotencyKey` (a UUID per click) so a retried request never acts twice.
 */
export const ActionBody = z
  .object({
    kind: z.enum(INBOX_ACTION_KINDS),
    messageId: Id.optional(),
    text: z.string().trim().min(1, "Write the reply.").max(8000).optional(),
    idempotencyKey: z.string().min(8).max(100),
  })
  .strict();
