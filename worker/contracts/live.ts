import { z } from "zod";
import { Id, Role, UserSummary } from "./common";
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
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const ServerFrame = z.discriminatedUnion("type", [
  /** First frame after connecting: the current sequence and who is online right now. */
  z.object({ type: z.literal("hello"), seq: z.number().int().min(0), you: Id, online: z.array(OnlineMember) }),
  z.object({ type: z.literal("event"), seq: z.number().int().min(1), at: z.number().int(), event: LiveEvent }),
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
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** A live frame may carry at most this many bytes; larger frames are refused with an error frame. */
export const MAX_CLIENT_FRAME_BYTES = 4096;
