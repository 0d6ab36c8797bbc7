import { createContext, type ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { UserSummary } from "../../../../worker/contracts/common.ts";
import type { LiveEvent } from "../../../../worker/contracts/live.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { ApiError, toApiError } from "../../api/problem.ts";
import { workspacesApi } from "../../api/workspaces.ts";
import type { LiveConnection, LiveStatus } from "../../live/live-connection.ts";
import { useMe } from "../auth/session.tsx";
import { applyPresence } from "../presence/presence-state.ts";
import { forgetWorkspace, rememberWorkspace } from "./last-workspace.ts";

/** What pages hear from the live socket: domain events, or "resync" when they must reload everything. */
export type WorkspaceSignal = LiveEvent | { kind: "resync" };

interface WorkspaceValue {
  id: string;
  workspace: Workspace | null;
  error: ApiError | null;
  /** Teammates online now, excluding the viewer. */
  online: UserSummary[];
  liveStatus: LiveStatus;
  reload(): Promise<void>;
  setWorkspace(workspace: Workspace): void;
  subscribe(listener: (signal: WorkspaceSignal) => void): () => void;
}

const WorkspaceContext = createContext<WorkspaceValue | null>(null);

/** Loads one workspace and keeps its live connection open while any of its pages is shown. */
export function WorkspaceProvider({ id, children }: { id: string; children: ComponentChildren }) {
  const me = useMe();
  const { route } = useLocation();
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [online, setOnline] = useState<UserSummary[]>([]);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>("connecting");
  const listeners = useRef(new Set<(signal: WorkspaceSignal) => void>());

  const reload = useCallback(async () => {
    try {
      const ws = await workspacesApi.get(id);
      setWorkspace(ws);
      setError(null);
      rememberWorkspace(id);
    } catch (e) {
      const apiError = toApiError(e);
      setError(apiError);
      if (apiError.status === 404 || apiError.status === 403) forgetWorkspace(id);
    }
  }, [id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    let connection: LiveConnection | null = null;
    let cancelled = false;
    const emit = (signal: WorkspaceSignal) => listeners.current.forEach((l) => l(signal));
    // The live module carries zod; loading it here keeps it out of the entry chunk.
    void import("../../live/live-connection.ts").then(({ LiveConnection }) => {
      if (cancelled) return;
      connection = new LiveConnection(id, {
        onHello: ({ you, online }) => setOnline(online.filter((u) => u.id !== you)),
        onStatus: setLiveStatus,
        onResync: () => {
          void reload();
          emit({ kind: "resync" });
        },
        onEvent: (event) => {
          if (event.kind === "presence.joined" && event.user.id === me.id) return;
          setOnline((list) => applyPresence(list, event));
          if (event.kind === "workspace.updated") void reload();
          if (event.kind === "member.role_changed" && event.userId === me.id) {
            setWorkspace((ws) => (ws ? { ...ws, role: event.role } : ws));
            void reload();
          }
          if ((event.kind === "member.removed" && event.userId === me.id) || event.kind === "workspace.deleted") {
            forgetWorkspace(id);
            route("/", true);
          }
          emit(event);
        },
      });
      connection.start();
    });
    return () => {
      cancelled = true;
      connection?.stop();
    };
  }, [id, me.id, reload, route]);

  const value = useMemo<WorkspaceValue>(
    () => ({
      id,
      workspace,
      error,
      online,
      liveStatus,
      reload,
      setWorkspace,
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [id, workspace, error, online, liveStatus, reload],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

/** The current workspace's context, or null outside /w/:id. */
export function useWorkspaceContext(): WorkspaceValue | null {
  return useContext(WorkspaceContext);
}

export function useWorkspace(): WorkspaceValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace() needs <WorkspaceProvider>.");
  return value;
}

/** Calls `listener` for every live signal of the current workspace. */
export function useWorkspaceSignals(listener: (signal: WorkspaceSignal) => void): void {
  const { subscribe } = useWorkspace();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((s) => latest.current(s)), [subscribe]);
}

export const canManage = (ws: Workspace): boolean => ws.role === "owner" || ws.role === "admin";
