import { z } from "zod";
import { Id, Role, UserSummary } from "./common";
import { INBOX_ACTION_STATES } from "../inbox/states";
import { TARGET_STATES } from "../publishing/states";

/**
 * The workspace live protocol (WebSocket at /api/workspaces/{id}/live?since=<seq>).
 * Both directions are parsed with these schemas: the server never trusts a client frame,
 * and the UI never trusts a server frame, before zod has parsed it.
 */

export const OnlineMember = UserSummary.extend({ connections: z.number().int().min(1) });
export type OnlineMember = z.infer<typeof OnlineMember>;

/** Domain events, sequenced per workspace. Later issues add post, connection and inbox events here. */
export const LiveEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("presence.joined"), user: UserSummary }),
  z.object({ kind: z.literal("presence.left"), userId: Id }),
  z.object({ kind: z.literal("member.added"), userId: Id, role: Role }),
  z.object({ kind: z.literal("member.role_changed"), userId: Id, role: Role }),
  z.object({ kind: z.literal("member.removed"), userId: Id }),
  z.object({ kind: z.literal("invite.created"), inviteId: Id }),
  z.object({ kind: z.literal("invite.revoked"), inviteId: Id }),
  z.object({ kind: z.literal("workspace.updated") }),
  /** A channel was connected, reconnected, changed status or was disconnected: refetch connections. */
  z.object({ kind: z.literal("connection.changed"), connectionId: Id, status: z.enum(["active", "needs_reconnect", "disconnected"]) }),
  /** A post was created, edited, rescheduled or deleted: calendars refetch it (or drop it when deleted). */
  z.object({ kind: z.literal("post.changed"), postId: Id, deleted: z.boolean() }),
  /** A channel of a post moved in the publish ledger (scheduled → preparing → ready → committing → published …). */
  z.object({ kind: z.literal("target.changed"), postId: Id, targetId: Id, state: z.enum(TARGET_STATES) }),
  /** A publishing notification was raised or resolved: refetch notifications. */
  z.object({ kind: z.literal("notification.changed"), notificationId: Id, resolved: z.boolean() }),
  /** A library file was added, edited or deleted. */
  z.object({ kind: z.literal("media.changed"), mediaId: Id, deleted: z.boolean() }),
  z.object({ kind: z.literal("workspace.deleted") }),
  /** Inbox: a conversation appeared or changed (new message, status, assignee, claim, tags): refetch it. */
  z.object({ kind: z.literal("conversation.changed"), conversationId: Id }),
  /** Inbox: a message arrived, was edited, hidden, liked, removed, or an outbound one was confirmed or refused. */
  z.object({ kind: z.literal("message.changed"), conversationId: Id, messageId: Id }),
  /** Inbox: an outbound action (reply, like, hide, DM …) moved: pending → done | failed. */
  z.object({ kind: z.literal("inbox.action.changed"), conversationId: Id, actionId: Id, state: z.enum(INBOX_ACTION_STATES) }),
  z.object({ kind: z.literal("note.added"), conversationId: Id, noteId: Id }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const ServerFrame = z.discriminatedUnion("type", [
  /** First frame after connecting: the current sequence and who is online right now. */
  z.object({ type: z.literal("hello"), seq: z.number().int().min(0), you: Id, online: z.array(OnlineMember) }),
  z.object({ type: z.literal("event"), seq: z.number().int().min(1), at: z.number().int(), event: LiveEvent }),
  /** Several events at once, in order (the hub batches what arrives within 50 ms under bursts). */
  z.object({ type: z.literal("events"), events: z.array(z.object({ seq: z.number().int().min(1), at: z.number().int(), event: LiveEvent })).min(1) }),
  /**
   * Who is looking at a conversation right now, and who of them is typing a reply (ephemeral: not
   * sequenced, not replayed; sent to everyone whenever it changes, and on connect for every conversation).
   */
  z.object({ type: z.literal("inbox.presence"), conversationId: Id, viewers: z.array(z.object({ userId: Id, typing: z.boolean() })) }),
  /** The client's `since` is older than the retained history: it must reload its state. */
  z.object({ type: z.literal("resync"), seq: z.number().int().min(0) }),
  z.object({ type: z.literal("error"), title: z.string(), detail: z.string() }),
  z.object({ type: z.literal("pong") }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

export const ClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  /** Ask for events after `since` (e.g. after a gap was noticed). */
  z.object({ type: z.literal("sync"), since: z.number().int().min(0) }),
  /** The conversation this socket is looking at now (null: none). */
  z.object({ type: z.literal("inbox.viewing"), conversationId: Id.nullable() }),
  /** Typing a reply in the conversation being viewed (true), or stopped (false). */
  z.object({ type: z.literal("inbox.typing"), conversationId: Id, typing: z.boolean() }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** A live frame may carry at most this many bytes; larger frames are refused with an error frame. */
export const MAX_CLIENT_FRAME_BYTES = 4096;
