import { useState } from "preact/hooks";
import type { Conversation } from "../../../../worker/contracts/inbox.ts";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { formatRelative } from "../../ui/time.tsx";

interface Props {
  conversation: Conversation;
  meId: string;
  busy: boolean;
  onClaim: (takeOver: boolean) => void;
  onRelease: () => void;
}

/**
 * Claim, release, or take over. Taking a conversation from a teammate is never one click: the
 * confirmation names who holds it, since they are probably answering right now.
 */
export function ClaimControl({ conversation: c, meId, busy, onClaim, onRelease }: Props) {
  const [confirming, setConfirming] = useState(false);
  const holder = c.claimedBy;
  if (!holder) {
    return (
      <Button size="sm" busy={busy} onClick={() => onClaim(false)}>
        Claim
      </Button>
    );
  }
  if (holder.id === meId) {
    return (
      <Button size="sm" busy={busy} onClick={onRelease}>
        Release claim
      </Button>
    );
  }
  return (
    <>
      <Button size="sm" busy={busy} onClick={() => setConfirming(true)}>
        Take over
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Take over from ${holder.name}?`}>
        <p>
          {holder.name} claimed this conversation{c.claimedAt ? ` ${formatRelative(c.claimedAt)}` : ""} and may be answering it now. They will see that you
          took it over.
        </p>
        <div class="row dialog-actions">
          <Button variant="primary" onClick={() => {
            setConfirming(false);
            onClaim(true);
          }}>
            Take over from {holder.name}
          </Button>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
        </div>
      </Dialog>
    </>
  );
}
