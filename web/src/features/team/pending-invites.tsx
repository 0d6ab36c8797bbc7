import { useState } from "preact/hooks";
import type { Invite, Workspace } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { teamApi } from "../../api/workspaces.ts";
import { Button } from "../../ui/button.tsx";
import { DualTime } from "../../ui/time.tsx";
import { ROLE_LABEL } from "../workspaces/roles.ts";

export function PendingInvites({
  workspace,
  invites,
  onChanged,
  onError,
}: {
  workspace: Workspace;
  invites: Invite[];
  onChanged: (message: string) => void;
  onError: (message: string) => void;
}) {
  const [revoking, setRevoking] = useState<string | null>(null);
  const revoke = async (invite: Invite) => {
    setRevoking(invite.id);
    try {
      await teamApi.revokeInvite(workspace.id, invite.id);
      onChanged("Invite revoked. Its link no longer works.");
    } catch (e) {
      onError(toApiError(e).problem.detail);
    } finally {
      setRevoking(null);
    }
  };
  return (
    <section class="card" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending invites</h2>
      {invites.length === 0 ? (
        <p class="muted">No pending invites. New links appear here until they are accepted, revoked or expire.</p>
      ) : (
        <ul class="invite-list">
          {invites.map((inv) => {
            const who = inv.email ?? "Anyone with the link";
            return (
              <li key={inv.id} class="invite-row">
                <div>
                  <p class="member-name">
                    {who} · {ROLE_LABEL[inv.role]}
                  </p>
                  <p class="muted small">
                    {inv.createdBy ? `Invited by ${inv.createdBy.name}. ` : ""}Expires <DualTime at={inv.expiresAt} workspaceZone={workspace.timezone} />
                  </p>
                </div>
                <Button size="sm" variant="ghost" busy={revoking === inv.id} onClick={() => void revoke(inv)} aria-label={`Revoke invite for ${who} (${ROLE_LABEL[inv.role]})`}>
                  Revoke
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
