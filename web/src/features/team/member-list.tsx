import { useState } from "preact/hooks";
import type { Role } from "../../../../worker/contracts/common.ts";
import type { Member, Workspace } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { teamApi } from "../../api/workspaces.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { Badge } from "../../ui/badge.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Select } from "../../ui/field.tsx";
import { ROLE_LABEL, assignableRoles, canManageMember } from "../workspaces/roles.ts";

interface MemberListProps {
  workspace: Workspace;
  members: Member[];
  meId: string;
  onlineIds: Set<string>;
  onChanged: (message: string) => void;
  onError: (message: string) => void;
}

function MemberRow({ workspace, member, meId, online, onChanged, onError, onRemove }: Omit<MemberListProps, "members" | "onlineIds"> & { member: Member; online: boolean; onRemove: (m: Member) => void }) {
  const [role, setRole] = useState<Role>(member.role);
  const [saving, setSaving] = useState(false);
  const manageable = canManageMember(workspace.role, meId, member);
  const options = assignableRoles(workspace.role).map((r) => ({ value: r, label: ROLE_LABEL[r] }));
  const dirty = role !== member.role;

  const save = async () => {
    setSaving(true);
    try {
      await teamApi.changeRole(workspace.id, member.userId, role);
      onChanged(`${member.name} is now ${ROLE_LABEL[role]}.`);
    } catch (e) {
      onError(toApiError(e).problem.detail);
      setRole(member.role);
    } finally {
      setSaving(false);
    }
  };

  return (
    <li class="member-row">
      <div class="member-who">
        <span class="avatar-wrap">
          <Avatar name={member.name} src={member.avatarUrl} label="" />
          {online && <span class="online-dot" title="Online" />}
        </span>
        <div class="member-text">
          <span class="member-name">
            {member.name}
            {member.userId === meId && <span class="muted"> (you)</span>}
            {online && <span class="visually-hidden">, online</span>}
          </span>
          <span class="muted member-email">{member.email}</span>
        </div>
      </div>
      <div class="member-actions">
        {manageable ? (
          <form
            class="role-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <Select
              label={`Role for ${member.name}`}
              hideLabel
              value={role}
              options={options}
              onChange={(e) => setRole(e.currentTarget.value as Role)}
            />
            {dirty && (
              <Button type="submit" size="sm" variant="primary" busy={saving} aria-label={`Save role for ${member.name}`}>
                Save
              </Button>
            )}
          </form>
        ) : (
          <Badge tone={member.role === "owner" ? "accent" : "neutral"}>{ROLE_LABEL[member.role]}</Badge>
        )}
        {manageable && (
          <Button size="sm" variant="ghost" onClick={() => onRemove(member)} aria-label={`Remove ${member.name}`}>
            Remove
          </Button>
        )}
      </div>
    </li>
  );
}

export function MemberList(props: MemberListProps) {
  const [removing, setRemoving] = useState<Member | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmRemove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await teamApi.removeMember(props.workspace.id, removing.userId);
      props.onChanged(`${removing.name} was removed from ${props.workspace.name}.`);
    } catch (e) {
      props.onError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };
  return (
    <>
      <ul class="member-list" aria-label="Members">
        {props.members.map((m) => (
          <MemberRow
            key={`${m.userId}:${m.role}`}
            workspace={props.workspace}
            member={m}
            meId={props.meId}
            online={props.onlineIds.has(m.userId)}
            onChanged={props.onChanged}
            onError={props.onError}
            onRemove={setRemoving}
          />
        ))}
      </ul>
      <Dialog open={removing !== null} onClose={() => setRemoving(null)} title={`Remove ${removing?.name ?? ""}?`}>
        <p>
          {removing?.name} will lose access to {props.workspace.name} immediately. You can invite them again later.
        </p>
        <div class="dialog-actions">
          <Button onClick={() => setRemoving(null)}>Cancel</Button>
          <Button variant="danger" busy={busy} onClick={() => void confirmRemove()}>
            Remove member
          </Button>
        </div>
      </Dialog>
    </>
  );
}
