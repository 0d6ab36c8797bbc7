import type { InboundChannel, NormalizedItem } from "./types";
import { toMillis, type MessagingEvent } from "./meta-entry";

/**
 * A Messenger or Instagram `messaging[]` event as a DM. Echoes (`is_echo`: a message the Page or
 * account sent, from Atelier or from another inbox) are `out` in the thread with the recipient; they
 * deduplicate by `mid` against the outbound message the actions stored. Deliveries, reads, reactions
 * and postbacks are not messages: null.
 */
export function normalizeMessagingEvent(channel: InboundChannel, event: MessagingEvent): NormalizedItem | null {
  const message = event.message;
  const edit = event.message_edit;
  if (!message && !edit) return null;
  const outgoing = message?.is_echo === true || event.sender.id === channel.externalId;
  const participantId = outgoing ? event.recipient.id : event.sender.id;
  const base = {
    connectionId: channel.connectionId,
    workspaceId: channel.workspaceId,
    platform: channel.platform,
    conversation: { kind: "dm", participantId, participantName: null },
    parentExternalId: null,
    direction: outgoing ? "out" : "in",
    author: { id: event.sender.id, name: null },
    platformAt: toMillis(event.timestamp),
  } satisfies Partial<NormalizedItem>;
  if (edit) return { ...base, externalId: edit.mid, text: edit.text ?? "", attachments: [], verb: "edited" };
  if (!message) return null;
  return {
    ...base,
    externalId: message.mid,
    text: message.text ?? "",
    attachments: (message.attachments ?? []).map((a) => ({ type: a.type, url: a.payload?.url ?? null })),
    verb: message.is_deleted ? "remove" : "add",
  };
}
