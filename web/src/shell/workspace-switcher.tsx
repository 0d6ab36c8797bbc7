import { useState } from "preact/hooks";
import type { Workspace } from "../../../worker/contracts/workspaces.ts";
import { workspacesApi } from "../api/workspaces.ts";
import { Avatar } from "../ui/avatar.tsx";
import { Menu } from "../ui/menu.tsx";

/** Header menu listing the user's workspaces (fetched when opened, so renames and new invites show). */
export function WorkspaceSwitcher({ current }: { current: Workspace | null }) {
  const [list, setList] = useState<Workspace[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = () => {
    setFailed(false);
    workspacesApi.list().then(setList, () => setFailed(true));
  };
  return (
      <Menu
        onOpen={load}
        align="start"
        label={current ? `Workspace: ${current.name}. Switch workspace` : "Switch workspace"}
        trigger={
          <span class="switcher-trigger">
            {current ? <Avatar name={current.name} src={current.logoUrl} size="sm" label="" /> : null}
            <span class="switcher-name">{current?.name ?? "Workspaces"}</span>
            <span aria-hidden="true" class="chevron">▾</span>
          </span>
        }
      >
        {(close) => (
          <nav aria-label="Workspaces">
            {failed && <p class="menu-note">Could not load workspaces.</p>}
            {list === null && !failed && <p class="menu-note">Loading…</p>}
            <ul class="menu-list">
              {list?.map((ws) => (
                <li key={ws.id}>
                  <a
                    class="menu-item"
                    href={`/w/${ws.id}`}
                    aria-current={ws.id === current?.id ? "page" : undefined}
                    onClick={close}
                  >
                    <Avatar name={ws.name} src={ws.logoUrl} size="sm" label="" />
                    <span>{ws.name}</span>
                    {ws.id === current?.id && <span class="visually-hidden">(current)</span>}
                  </a>
                </li>
              ))}
              <li>
                <a class="menu-item menu-item-action" href="/workspaces/new" onClick={close}>
                  <span aria-hidden="true" class="menu-plus">+</span> New workspace
                </a>
              </li>
            </ul>
          </nav>
        )}
      </Menu>
  );
}
