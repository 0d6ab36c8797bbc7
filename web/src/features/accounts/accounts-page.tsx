import { useLocation } from "preact-iso";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { Connection, PlatformInfo } from "../../../../worker/contracts/connections.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { connectionsApi } from "../../api/connections.ts";
import { toApiError } from "../../api/problem.ts";
import { configApi } from "../../api/workspaces.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { ROLE_LABEL } from "../workspaces/roles.ts";
import { canManage, useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { ConnectBanner } from "./connect-banner.tsx";
import { readConnectResult, type ConnectResult } from "./connect-result.ts";
import { DisconnectDialog } from "./disconnect-dialog.tsx";
import { PlatformCard } from "./platform-card.tsx";

const ORDER = { active: 0, needs_reconnect: 0, disconnected: 1 } as const;
const byStatusThenName = (a: Connection, b: Connection) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name);

/** Platforms with channels first (full-width cards), then the rest as a grid, each group in the API's order. */
function orderPlatforms(platforms: PlatformInfo[], grouped: Map<string, Connection[]>): PlatformInfo[] {
  const has = (p: PlatformInfo) => grouped.has(p.platform);
  return [...platforms.filter(has), ...platforms.filter((p) => !has(p))];
}

/** The OAuth callback's report, read once; `select` sends the person on to choose channels. */
function useConnectResult(workspaceId: string) {
  const { query, path, route } = useLocation();
  const [result, setResult] = useState<ConnectResult | null>(() => readConnectResult(query));
  useEffect(() => {
    if (!result) return;
    if (result.kind === "select") route(`/w/${encodeURIComponent(workspaceId)}/accounts/select/${encodeURIComponent(result.grantId)}`, true);
    // Drop ?connect=… so a reload or a shared link does not repeat the message.
    else route(path, true);
    // Only on arrival: later renders must not route again.
  }, []);
  return [result?.kind === "select" ? null : result, () => setResult(null)] as const;
}

function Accounts({ workspace }: { workspace: Workspace }) {
  const manage = canManage(workspace);
  const [banner, dismissBanner] = useConnectResult(workspace.id);
  const [platforms, setPlatforms] = useState<PlatformInfo[] | null>(null);
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [sandbox, setSandbox] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState<{ platform: string; target: string } | null>(null);
  const [disconnecting, setDisconnecting] = useState<Connection | null>(null);

  const loadConnections = useCallback(async () => {
    try {
      setConnections(await connectionsApi.list(workspace.id));
    } catch (e) {
      setError(toApiError(e).problem.detail);
    }
  }, [workspace.id]);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [p, c] = await Promise.all([connectionsApi.platforms(workspace.id), connectionsApi.list(workspace.id)]);
      setPlatforms(p);
      setConnections(c);
    } catch (e) {
      setError(toApiError(e).problem.detail);
    }
  }, [workspace.id]);

  useEffect(() => {
    void load();
    configApi.get().then((c) => setSandbox(c.sandbox), () => setSandbox(false));
  }, [load]);

  // Back from the consent page via the browser's back button restores this page as it was left: not busy.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => e.persisted && setBusy(null);
    addEventListener("pageshow", onShow);
    return () => removeEventListener("pageshow", onShow);
  }, []);

  useWorkspaceSignals((signal) => {
    if (signal.kind === "connection.changed" || signal.kind === "resync") void loadConnections();
  });

  const grouped = useMemo(() => {
    const map = new Map<string, Connection[]>();
    for (const c of [...(connections ?? [])].sort(byStatusThenName)) map.set(c.platform, [...(map.get(c.platform) ?? []), c]);
    return map;
  }, [connections]);

  /** Both Connect and Reconnect hand the browser to the platform's consent page. */
  const goToPlatform = async (platform: string, target: string, request: () => Promise<{ url: string }>) => {
    if (busy) return;
    setBusy({ platform, target });
    setError(null);
    try {
      const { url } = await request();
      location.assign(url);
    } catch (e) {
      setError(toApiError(e).problem.detail);
      setBusy(null);
    }
  };

  const disconnect = async (c: Connection) => {
    await connectionsApi.disconnect(workspace.id, c.id);
    setDisconnecting(null);
    setStatus(`${c.name} was disconnected.`);
    await loadConnections();
    // The row's buttons are gone: continue from its platform's heading.
    document.getElementById(`platform-${c.platform}`)?.focus();
  };

  const activeCount = connections?.filter((c) => c.status !== "disconnected").length ?? 0;
  const platformName = (id: string) => platforms?.find((p) => p.platform === id)?.displayName ?? id;

  return (
    <section class="page">
      <PageHeading title={`Accounts · ${workspace.name}`} subtitle="The social accounts this workspace publishes to and reads from.">
        Accounts
      </PageHeading>
      {banner && (
        <ConnectBanner
          result={banner}
          onDismiss={() => {
            dismissBanner();
            document.querySelector<HTMLElement>("h1")?.focus();
          }}
        />
      )}
      {sandbox && (
        <p class="alert alert-info">
          <strong>Sandbox.</strong> These accounts are simulated by the local platform sandbox: connecting opens its consent page, and nothing reaches
          the real networks.
        </p>
      )}
      {!manage && (
        <p class="muted">
          Your role is {ROLE_LABEL[workspace.role]}. Only owners and admins can connect, reconnect or
          disconnect accounts.
        </p>
      )}
      <StatusMessage>{status}</StatusMessage>
      <FormAlert>{error}</FormAlert>
      {error && !platforms && (
        <div>
          <Button onClick={() => void load()}>Try again</Button>
        </div>
      )}
      {!platforms || !connections ? (
        !error && <Loading label="Loading accounts…" />
      ) : (
        <>
          {activeCount === 0 && (
            <p class="card empty-note">
              {manage
                ? "No accounts are connected yet. Pick a platform below and connect the accounts you publish to."
                : "No accounts are connected yet. An owner or admin can connect them here."}
            </p>
          )}
          <div class="platform-grid">
            {orderPlatforms(platforms, grouped).map((p) => (
              <PlatformCard
                key={p.platform}
                platform={p}
                connections={grouped.get(p.platform) ?? []}
                manage={manage}
                busy={busy?.platform === p.platform ? busy.target : null}
                onConnect={(info) => void goToPlatform(info.platform, "connect", () => connectionsApi.authorize(workspace.id, info.platform))}
                onReconnect={(c) => void goToPlatform(c.platform, c.id, () => connectionsApi.reconnect(workspace.id, c.id))}
                onDisconnect={setDisconnecting}
              />
            ))}
          </div>
        </>
      )}
      <DisconnectDialog
        connection={disconnecting}
        platformName={disconnecting ? platformName(disconnecting.platform) : ""}
        onClose={() => setDisconnecting(null)}
        onConfirm={disconnect}
      />
    </section>
  );
}

export default function AccountsPage() {
  return <WorkspaceGate>{(workspace) => <Accounts workspace={workspace} />}</WorkspaceGate>;
}
