import type { Conversation, InboxAction, Message } from "../../../../worker/contracts/inbox.ts";
import { Button } from "../../ui/button.tsx";
import { formatDateTime, viewerTimeZone } from "../../ui/time.tsx";
import { isImageAttachment } from "./conversation-timeline.ts";
import { messageActions, messageStateLabel, type MessageAction } from "./message-actions.ts";

interface Props {
  message: Message;
  conversation: Conversation;
  /** Actions on this message (to show what is pending, or what the platform refused). */
  actions: InboxAction[];
  selected: boolean;
  canAct: boolean;
  onAct: (action: MessageAction) => void;
  onReplyTo: (privately: boolean) => void;
}

const PENDING_LABEL: Partial<Record<InboxAction["kind"], string>> = { like: "Liking…", unlike: "Unliking…", hide: "Hiding…", unhide: "Unhiding…", delete: "Deleting…" };

function authorOf(m: Message): string {
  if (m.direction === "out") return m.sentBy?.name ?? (m.ruleId ? "Auto-reply" : "Your page");
  return m.authorName ?? "Someone";
}

/** One message: inbound and outbound look different; its state and its pending or failed actions are spelled out. */
export function MessageItem({ message: m, conversation, actions, selected, canAct, onAct, onReplyTo }: Props) {
  const state = messageStateLabel(m);
  const pending = actions.filter((a) => a.state === "pending" && a.kind !== "reply" && a.kind !== "private_reply");
  // A refusal is worth showing only while it is the latest word on that message (a retry may have worked since).
  const latest = actions.filter((a) => a.outboundMessageId === null).sort((x, y) => Date.parse(y.createdAt) - Date.parse(x.createdAt))[0];
  const failed = latest?.state === "failed" ? latest : null;
  const available = canAct ? messageActions(m, conversation) : [];
  const canReply = canAct && conversation.kind === "comments" && m.direction === "in" && m.state !== "removed" && m.externalId !== null;
  const zone = viewerTimeZone();
  return (
    <li class={["msg", `msg-${m.direction}`, `msg-state-${m.state}`, m.hidden && "msg-hidden", selected && "msg-selected"].filter(Boolean).join(" ")} data-message-id={m.id}>
      <div class="msg-meta">
        <strong>{authorOf(m)}</strong>
        {m.ruleId && m.sentBy === null && <span class="badge">Rule</span>}
        <time dateTime={m.at}>{formatDateTime(m.at, zone)}</time>
        {state && <span class={`msg-state msg-state-label-${m.state}`}>{state}</span>}
        {m.liked && <span class="msg-liked">Liked</span>}
        {m.editedAt && <span class="muted">edited</span>}
      </div>
      <p class="msg-text">{m.text}</p>
      {m.attachments.length > 0 && (
        <ul class="msg-attachments" aria-label="Attachments">
          {m.attachments.map((a, i) => (
            <li key={i}>
              {isImageAttachment(a) ? (
                <a href={a.url} target="_blank" rel="noopener noreferrer">
                  <img src={a.url} alt={`Attached ${a.type}`} loading="lazy" />
                </a>
              ) : a.url ? (
                <a href={a.url} target="_blank" rel="noopener noreferrer">
                  Attached {a.type}
                </a>
              ) : (
                <span class="muted">Attached {a.type} (not available)</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {pending.length > 0 && <p class="msg-pending" role="status">{pending.map((a) => PENDING_LABEL[a.kind] ?? "Working…").join(" ")}</p>}
      {failed?.error && <p class="msg-failed">Could not {failed.kind.replace("_", " ")}: {failed.error}</p>}
      {(available.length > 0 || canReply) && (
        <div class="msg-actions" role="group" aria-label={`Actions for ${authorOf(m)}'s message`}>
          {canReply && (
            <Button size="sm" variant="ghost" onClick={() => onReplyTo(false)}>
              Reply
            </Button>
          )}
          {available.map((a) =>
            a.kind === "private_reply" ? (
              <Button key={a.kind} size="sm" variant="ghost" onClick={() => onReplyTo(true)}>
                {a.label}
              </Button>
            ) : (
              <Button key={a.kind} size="sm" variant="ghost" busy={pending.some((p) => p.kind === a.kind)} onClick={() => onAct(a)}>
                {a.label}
              </Button>
            ),
          )}
        </div>
      )}
    </li>
  );
}
