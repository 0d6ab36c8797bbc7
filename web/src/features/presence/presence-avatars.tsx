import type { UserSummary } from "../../../../worker/contracts/common.ts";
import { Avatar } from "../../ui/avatar.tsx";

const SHOWN = 4;

/** Avatars of teammates online now; each is named "<name>, online" for assistive tech. */
export function PresenceAvatars({ online, label = "Online teammates" }: { online: UserSummary[]; label?: string }) {
  if (online.length === 0) return null;
  const shown = online.slice(0, SHOWN);
  const hidden = online.slice(SHOWN);
  return (
    <ul class="presence" aria-label={label}>
      {shown.map((u) => (
        <li key={u.id} class="presence-item">
          <Avatar name={u.name} src={u.avatarUrl} size="sm" label={`${u.name}, online`} title={`${u.name} is online`} />
        </li>
      ))}
      {hidden.length > 0 && (
        <li class="presence-item presence-more" title={hidden.map((u) => u.name).join(", ")}>
          <span aria-hidden="true">+{hidden.length}</span>
          <span class="visually-hidden">and {hidden.map((u) => u.name).join(", ")}, online</span>
        </li>
      )}
    </ul>
  );
}
