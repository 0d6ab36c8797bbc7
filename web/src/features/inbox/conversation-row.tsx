import type { Conversation } from "../../../../worker/contracts/inbox.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { formatDateTime, viewerTimeZone } from "../../ui/time.tsx";
import { PlatformMark } from "../accounts/platform-mark.tsx";
import { claimText } from "./conversation-timeline.ts";
import { channelLabel, listTime } from "./inbox-labels.ts";
import type { PresenceText } from "./presence-text.ts";

interface Props {
  conversation: Conversation;
  meId: string;
  open: boolean;
  presence: PresenceText;
  onOpen: () => void;
}

/** One conversation in the list: a single button so the whole row is one tab stop and one name. */
export function ConversationRow({ conversation: c, meId, open, presence, onOpen }: Props) {
  const zone = viewerTimeZone();
  const claim = claimText(c, meId);
  return (
    <li class={["inbox-row", open && "inbox-row-open", c.unread && "inbox-row-unread"].filter(Boolean).join(" ")}>
      <button type="button" class="inbox-row-button" data-conversation-id={c.id} aria-current={open ? "true" : undefined} onClick={onOpen}>
        <PlatformMark platform={c.platform} />
        <span class="inbox-row-main">
          <span class="inbox-row-top">
            <span class="inbox-row-title">{c.participantName && c.kind === "comments" ? `${c.participantName} on “${c.title}”` : c.title}</span>
            <time class="inbox-row-time" dateTime={c.lastMessageAt} title={formatDateTime(c.lastMessageAt, zone)}>
              {listTime(c.lastMessageAt, new Date(), zone)}
            </time>
          </span>
          <span class="inbox-row-preview">{c.preview}</span>
          <span class="inbox-row-meta">
            <span class="visually-hidden">{channelLabel(c)}.</span>
            {c.unread && <span class="unread-dot" role="img" aria-label="Unread" />}
            {c.status === "done" && <span class="badge badge-success">Done</span>}
            {c.claimedBy && (
              <span class="inbox-row-claim">
                <Avatar name={c.claimedBy.name} src={c.claimedBy.avatarUrl} size="sm" label="" />
                {claim}
              </span>
            )}
            {c.assignee && (
              <span class="inbox-row-assignee">
                <Avatar name={c.assignee.name} src={c.assignee.avatarUrl} size="sm" label="" />
                <span class="visually-hidden">Assigned to {c.assignee.id === meId ? "you" : c.assignee.name}.</span>
              </span>
            )}
            {presence.viewing && <span class="inbox-row-viewing">{presence.typing ?? presence.viewing}</span>}
          </span>
        </span>
      </button>
    </li>
  );
}
