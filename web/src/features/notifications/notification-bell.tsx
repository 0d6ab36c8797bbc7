import { useId, useRef } from "preact/hooks";
import type { Notification } from "../../../../worker/contracts/posts.ts";
import { Menu } from "../../ui/menu.tsx";
import { useWorkspace } from "../workspaces/workspace-context.tsx";
import { NotificationItem } from "./notification-item.tsx";
import { badgeCount, countDescription } from "./notification-text.ts";
import { useNotifications } from "./use-notifications.ts";
import "./notifications.css";

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** The header's bell: how many publishing problems wait for someone, and a list with the fix for each. */
export function NotificationBell() {
  const ws = useWorkspace();
  const { list, error, announcement, load, dismiss } = useNotifications(ws.id);
  const countId = `bell${useId()}`;
  const heading = useRef<HTMLHeadingElement>(null);
  const open = list?.length ?? 0;

  // Keep keyboard focus inside the list after an item disappears: on the next item, or the heading.
  const dismissAndRefocus = (n: Notification, root: HTMLElement | null) => {
    const items = [...(root?.querySelectorAll<HTMLElement>(".notification") ?? [])];
    const index = items.findIndex((el) => el.dataset.testid === `notification-${n.id}`);
    void dismiss(n);
    requestAnimationFrame(() => {
      const rest = [...(root?.querySelectorAll<HTMLElement>(".notification") ?? [])];
      const next = rest[Math.min(index, rest.length - 1)];
      (next?.querySelector<HTMLElement>("a, button") ?? heading.current)?.focus();
    });
  };

  return (
    <div class="bell">
      <Menu
        label="Notifications"
        describedBy={countId}
        onOpen={() => void load()}
        panelClass="notification-panel"
        trigger={
          <span class="bell-trigger">
            <BellIcon />
            {open > 0 && (
              <span class="bell-count" aria-hidden="true" data-testid="notification-count">
                {badgeCount(open)}
              </span>
            )}
          </span>
        }
      >
        {(close) => (
          <div class="notification-list-wrap">
            <h2 class="notification-heading" ref={heading} tabIndex={-1}>
              Notifications
            </h2>
            {error && <p class="field-error">{error}</p>}
            {list === null && !error && <p class="menu-note">Loading…</p>}
            {list?.length === 0 && <p class="menu-note muted">Nothing needs your attention. Problems with publishing show up here.</p>}
            {list && list.length > 0 && (
              <ul class="notification-list">
                {list.map((n) => (
                  <NotificationItem
                    key={n.id}
                    workspaceId={ws.id}
                    notification={n}
                    onDismiss={(item) => dismissAndRefocus(item, heading.current?.parentElement ?? null)}
                    onNavigate={close}
                    onRetried={() => void load()}
                  />
                ))}
              </ul>
            )}
          </div>
        )}
      </Menu>
      <span id={countId} class="visually-hidden">
        {countDescription(open)}
      </span>
      <p class="visually-hidden" aria-live="polite" data-testid="notification-announcement">
        {announcement}
      </p>
    </div>
  );
}
