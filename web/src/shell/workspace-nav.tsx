import { useLocation } from "preact-iso";
import { canManage, useWorkspaceContext } from "../features/workspaces/workspace-context.tsx";

/** Tabs between a workspace's pages; admin-only pages are hidden from roles that can't open them. */
export function WorkspaceNav() {
  const ws = useWorkspaceContext();
  const { path } = useLocation();
  if (!ws?.workspace) return null;
  const base = `/w/${ws.id}`;
  const links = [
    { href: base, label: "Overview" },
    { href: `${base}/calendar`, label: "Calendar" },
    { href: `${base}/inbox`, label: "Inbox" },
    { href: `${base}/rules`, label: "Rules" },
    { href: `${base}/media`, label: "Media" },
    { href: `${base}/accounts`, label: "Accounts" },
    { href: `${base}/team`, label: "Team" },
    ...(canManage(ws.workspace)
      ? [
          { href: `${base}/settings`, label: "Settings" },
          { href: `${base}/audit`, label: "Audit log" },
        ]
      : []),
  ];
  return (
    <nav class="workspace-nav" aria-label={`${ws.workspace.name} sections`}>
      <ul>
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href} aria-current={path === l.href || (l.href !== base && path.startsWith(`${l.href}/`)) ? "page" : undefined}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
      <a class="btn btn-primary btn-sm nav-compose" href={`${base}/compose`} aria-current={path === `${base}/compose` ? "page" : undefined}>
        <span aria-hidden="true">+ </span>New post
      </a>
    </nav>
  );
}
