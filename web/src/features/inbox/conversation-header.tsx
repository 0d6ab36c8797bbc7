import type { Ref } from "preact";
import type { Conversation } from "../../../../worker/contracts/inbox.ts";
import type { Member } from "../../../../worker/contracts/workspaces.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { Button } from "../../ui/button.tsx";
import { Select } from "../../ui/field.tsx";
import { PlatformMark } from "../accounts/platform-mark.tsx";
import { ClaimControl } from "./claim-control.tsx";
import { claimText } from "./conversation-timeline.ts";
import { channelLabel } from "./inbox-labels.ts";
import type { PresenceText } from "./presence-text.ts";

interface Props {
  conversation: Conversation;
  meId: string;
  members: Member[];
  presence: PresenceText;
  busy: string | null;
  headingRef: Ref<HTMLHeadingElement>;
  onStatus: (status: Conversation["status"]) => void;
  onAssign: (userId: string | null) => void;
  onClaim: (takeOver: boolean) => void;
  onRelease: () => void;
  onClose: () => void;
}

export function ConversationHeader({ conversation: c, meId, members, presence, busy, headingRef, onStatus, onAssign, onClaim, onRelease, onClose }: Props) {
  const nameOf = (id: string) => members.find((m) => m.userId === id)?.name ?? "A teammate";
  const claim = claimText(c, meId);
  return (
    <header class="inbox-pane-header">
      <div class="inbox-pane-title">
        <PlatformMark platform={c.platform} />
        <div>
          <h2 ref={headingRef} tabIndex={-1}>
            {c.title}
          </h2>
          <p class="muted">
            {channelLabel(c)}
            {c.participantName && c.kind === "dm" ? ` with ${c.participantName}` : ""}
            {c.permalink && (
              <>
                {" · "}
                <a href={c.permalink} target="_blank" rel="noopener noreferrer">
                  Open on the platform
                </a>
              </>
            )}
          </p>
        </div>
        <Button size="sm" variant="ghost" class="inbox-close" onClick={onClose} aria-label="Close conversation">
          ✕
        </Button>
      </div>
      <div class="row inbox-pane-controls">
        <Button size="sm" variant={c.status === "open" ? "primary" : "secondary"} busy={busy === "status"} onClick={() => onStatus(c.status === "open" ? "done" : "open")}>
          {c.status === "open" ? "Mark done" : "Reopen"}
        </Button>
        <Select
          label="Assignee"
          value={c.assignee?.id ?? ""}
          options={[{ value: "", label: "Unassigned" }, ...members.filter((m) => m.role !== "viewer").map((m) => ({ value: m.userId, label: m.userId === meId ? `${m.name} (you)` : m.name }))]}
          onChange={(e) => onAssign(e.currentTarget.value || null)}
        />
        <ClaimControl conversation={c} meId={meId} busy={busy === "claim"} onClaim={onClaim} onRelease={onRelease} />
        {claim && <span class="inbox-claim" role="status">{claim}</span>}
      </div>
      <div class="inbox-presence" aria-live="polite">
        {presence.viewerIds.length > 0 && (
          <ul class="presence" aria-label="Also viewing">
            {presence.viewerIds.map((id) => (
              <li key={id} class="presence-item">
                <Avatar name={nameOf(id)} size="sm" label={`${nameOf(id)}, viewing`} />
              </li>
            ))}
          </ul>
        )}
        {presence.viewing && <span class="muted">{presence.viewing}</span>}
        {presence.typing && <span class="inbox-typing">{presence.typing}</span>}
      </div>
    </header>
  );
}
