import type { MessageAttachment } from "../../db/schema-inbox";

/** The channel a webhook entry belongs to (one active connection; a Page connected in two workspaces is two channels). */
export type InboundChannel = { connectionId: string; workspaceId: string; platform: "facebook" | "instagram"; externalId: string };

/** What happened to the message: a new one, or a change to one we may already hold. */
export type InboundVerb = "add" | "edited" | "remove" | "hide" | "unhide";

/** Where a message belongs: the comment thread under one post, or the DM thread with one person. */
export type ConversationKey =
  | { kind: "comments"; postId: string; permalink: string | null }
  | { kind: "dm"; participantId: string; participantName: string | null };

/**
 * One comment or direct message, normalized from any Meta webhook shape, ready for `recordInbound`.
 * Times are epoch milliseconds (Meta sends seconds in `changes` and milliseconds in `messaging`).
 */
export type NormalizedItem = {
  connectionId: string;
  workspaceId: string;
  platform: "facebook" | "instagram" | "linkedin" | "youtube";
  conversation: ConversationKey;
  /** Comment id or message `mid`: the dedupe key per channel. */
  externalId: string;
  parentExternalId: string | null;
  /** `out` for our own Page/account's comments and message echoes: these never trigger rules. */
  direction: "in" | "out";
  author: { id: string | null; name: string | null };
  text: string;
  attachments: MessageAttachment[];
  platformAt: number;
  verb: InboundVerb;
};
