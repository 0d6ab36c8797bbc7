import { useLocation } from "preact-iso";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { Invite, Member, Workspace } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { teamApi } from "../../api/workspaces.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useMe } from "../auth/session.tsx";
import { forgetWorkspace } from "../workspaces/last-workspace.ts";
import { canManage, useWorkspace, useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { InviteForm } from "./invite-form.tsx";
import { MemberList } from "./member-list.tsx";
import { PendingInvites } from "./pending-invites.tsx";

function LeaveWorkspace({ workspace }: { workspace: Workspace }) {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await teamApi.leave(workspace.id);
      forgetWorkspace(workspace.id);
      route("/", true);
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card danger-zone" aria-labelledby="leave-heading">
      <h2 id="leave-heading">Leave workspace</h2>
      <p class="muted">You will lose access to {workspace.name} until someone invites you again.</p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Leave {workspace.name}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Leave ${workspace.name}?`}>
        <FormAlert>{error}</FormAlert>
        <p>You will no longer see this workspace's posts, calendar or team.</p>
        <div class="dialog-actions">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="danger" busy={busy} onClick={() => void leave()}>
            Leave workspace
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

function Team({ workspace }: { workspace: Workspace }) {
  const me = useMe();
  const { online } = useWorkspace();
  const manage = canManage(workspace);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [m, i] = await Promise.all([teamApi.members(workspace.id), manage ? teamApi.invites(workspace.id) : Promise.resolve([])]);
      setMembers(m);
      setInvites(i);
    } catch (e) {
      setError(toApiError(e).problem.detail);
    }
  }, [workspace.id, manage]);

  useEffect(() => {
    void load();
  }, [load]);

  useWorkspaceSignals((signal) => {
    if (signal.kind.startsWith("member.") || signal.kind.startsWith("invite.") || signal.kind === "resync") void load();
  });

  const onlineIds = useMemo(() => new Set([me.id, ...online.map((u) => u.id)]), [me.id, online]);
  const changed = (message: string) => {
    setError(null);
    setStatus(message);
    void load();
  };

  return (
    <section class="page">
      <PageHeading title={`Team · ${workspace.name}`} subtitle={manage ? "Invite teammates and decide what each person can do." : "The people working in this workspace."}>
        Team
      </PageHeading>
      <StatusMessage>{status}</StatusMessage>
      <FormAlert>{error}</FormAlert>
      <div class="team-layout">
        <section class="card" aria-labelledby="members-heading">
          <h2 id="members-heading">
            Members {members && <span class="count">{members.length}</span>}
          </h2>
          {members ? (
            <MemberList workspace={workspace} members={members} meId={me.id} onlineIds={onlineIds} onChanged={changed} onError={setError} />
          ) : (
            <Loading label="Loading members…" />
          )}
        </section>
        {manage && (
          <div class="stack">
            <InviteForm workspace={workspace} onCreated={() => void load()} />
            <PendingInvites workspace={workspace} invites={invites} onChanged={changed} onError={setError} />
          </div>
        )}
      </div>
      <LeaveWorkspace workspace={workspace} />
    </section>
  );
}

export default function TeamPage() {
  return <WorkspaceGate>{(workspace) => <Team workspace={workspace} />}</WorkspaceGate>;
}
