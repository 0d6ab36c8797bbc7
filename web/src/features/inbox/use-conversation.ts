import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ConversationDetail } from "../../../../worker/contracts/inbox.ts";
import type { z } from "zod";
import { toApiError, type ApiError } from "../../api/problem.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { inboxApi } from "./inbox-api.ts";
import { Coalescer, inboxSignalConversation } from "./live-refetch.ts";

export type Detail = z.infer<typeof ConversationDetail>;

/** One conversation with its messages, notes and actions, refetched on every live event about it. */
export function useConversation(workspaceId: string, conversationId: string | null) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const ticket = useRef(0);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    if (!conversationId) return;
    try {
      const fresh = await inboxApi.detail(workspaceId, conversationId);
      if (mine !== ticket.current) return;
      setDetail(fresh);
      setError(null);
    } catch (e) {
      if (mine === ticket.current) setError(toApiError(e));
    }
  }, [workspaceId, conversationId]);

  useEffect(() => {
    setDetail(null);
    setError(null);
    void load();
  }, [load]);

  const refetch = useRef(new Coalescer(() => void load(), 60));
  useEffect(() => {
    refetch.current.cancel();
    refetch.current = new Coalescer(() => void load(), 60);
    return () => refetch.current.cancel();
  }, [load]);
  useWorkspaceSignals((signal) => {
    if (!conversationId) return;
    if (signal.kind === "resync" || inboxSignalConversation(signal) === conversationId) refetch.current.request();
  });

  return { detail, error, reload: load };
}
