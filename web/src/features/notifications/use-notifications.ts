import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Notification } from "../../../../worker/contracts/posts.ts";
import { notificationsApi } from "../../api/notifications.ts";
import { toApiError } from "../../api/problem.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { announcementFor, arrivals } from "./notification-text.ts";

/** The workspace's open notifications, refetched on every `notification.changed` (raised or resolved). */
export function useNotifications(workspaceId: string) {
  const [list, setList] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const seen = useRef<Set<string> | null>(null);
  const ticket = useRef(0);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    try {
      const open = await notificationsApi.list(workspaceId, "open");
      if (mine !== ticket.current) return;
      const fresh = arrivals(seen.current, open);
      seen.current = new Set([...(seen.current ?? []), ...open.map((n) => n.id)]);
      setList(open);
      setError(null);
      if (fresh.length) setAnnouncement(announcementFor(fresh));
    } catch (e) {
      if (mine === ticket.current) setError(toApiError(e).problem.detail);
    }
  }, [workspaceId]);

  useEffect(() => void load(), [load]);
  useWorkspaceSignals((signal) => {
    if (signal.kind === "notification.changed" || signal.kind === "resync") void load();
  });

  /** Hides it at once; puts it back with the reason when the server refuses. */
  const dismiss = async (n: Notification): Promise<boolean> => {
    setList((l) => l?.filter((x) => x.id !== n.id) ?? l);
    try {
      await notificationsApi.dismiss(workspaceId, n.id);
      return true;
    } catch (e) {
      setError(toApiError(e).problem.detail);
      void load();
      return false;
    }
  };

  return { list, error, announcement, load, dismiss };
}
