import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { configApi, type AppConfig } from "../api/workspaces.ts";
import { useSession } from "../features/auth/session.tsx";
import { PresenceAvatars } from "../features/presence/presence-avatars.tsx";
import { useWorkspaceContext } from "../features/workspaces/workspace-context.tsx";
import { Badge } from "../ui/badge.tsx";
import { NotificationBellSlot } from "./notification-bell-slot.tsx";
import { UserMenu } from "./user-menu.tsx";
import { WorkspaceSwitcher } from "./workspace-switcher.tsx";

function useConfig(): AppConfig | null {
  const [config, setConfig] = useState<AppConfig | null>(null);
  useEffect(() => {
    configApi.get().then(setConfig, () => setConfig(null));
  }, []);
  return config;
}

function LiveStatusNote() {
  const ws = useWorkspaceContext();
  return (
    <span role="status" class="live-status">
      {ws?.liveStatus === "reconnecting" ? "Reconnecting…" : ""}
    </span>
  );
}

export function AppShell({ children }: { children: ComponentChildren }) {
  const { state } = useSession();
  const config = useConfig();
  const ws = useWorkspaceContext();
  const me = state.status === "signed-in" ? state.me : null;
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <div class="header-start">
          <a class="brand" href="/" aria-label="Atelier home">
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
              <rect width="32" height="32" rx="8" fill="var(--accent)" />
              <path d="M10 23l6-14 6 14M12.5 18h7" stroke="var(--on-accent)" stroke-width="2.5" fill="none" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
            <span class="brand-name">Atelier</span>
          </a>
          {me && <WorkspaceSwitcher current={ws?.workspace ?? null} />}
          {config?.sandbox && (
            <Badge tone="warning" title="Posts go to the local platform sandbox, not real networks.">
              Sandbox
            </Badge>
          )}
        </div>
        <div class="header-end">
          {ws && <LiveStatusNote />}
          {ws && <PresenceAvatars online={ws.online} />}
          {me && ws?.workspace && <NotificationBellSlot key={ws.id} />}
          {me && <UserMenu me={me} />}
        </div>
      </header>
      <main id="main" class="app-main" tabIndex={-1}>
        {children}
      </main>
      {config && <footer class="app-footer">Atelier {config.version}</footer>}
    </>
  );
}
