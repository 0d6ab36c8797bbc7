import type { Conversation } from "../../../../worker/contracts/inbox.ts";
import { ConversationRow } from "./conversation-row.tsx";
import type { PresenceText } from "./presence-text.ts";

interface Props {
  conversations: Conversation[];
  openId: string | null;
  meId: string;
  presenceOf: (conversationId: string) => PresenceText;
  onOpen: (conversation: Conversation) => void;
}

/** The list itself; keyboard movement (j/k, arrows) is handled by the page, which owns focus. */
export function ConversationList({ conversations, openId, meId, presenceOf, onOpen }: Props) {
  return (
    <ul class="inbox-list" aria-label="Conversations">
      {conversations.map((c) => (
        <ConversationRow key={c.id} conversation={c} meId={meId} open={c.id === openId} presence={presenceOf(c.id)} onOpen={() => onOpen(c)} />
      ))}
    </ul>
  );
}
