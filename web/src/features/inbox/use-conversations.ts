import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Conversation } from "../../../../worker/contracts/inbox.ts";
import { toApiError, type ApiError } from "../../api/problem.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { markRead } from "./conversation-timeline.ts";
import { inboxApi } from "./inbox-api.ts";
import type { InboxFilters } from "./inbox-query.ts";
import { Coalescer, inboxSignalConversation } from "./live-refetch.ts";

/** The filtered conversation list, kept fresh by inbox events (refetched, coalesced under bursts). */
export function useConversations(workspaceId: string, filters: InboxFilters) {
  const [list, setList] = useState<Conversation[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const ticket = useRef(0);
  // Live refetches keep as many rows as the reader has already loaded.
  const pages = useRef(1);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    try {
      let page = await inboxApi.list(workspaceId, filters);
      let rows = page.conversations;
      for (let i = 1; i < pages.current && page.next; i++) {
        page = await inboxApi.list(workspaceId, filters, page.next);
        rows = [...rows, ...page.conversations];
      }
      if (mine !== ticket.current) return;
      setList(rows);
      setNext(page.next);
      setError(null);
    } catch (e) {
      if (mine === ticket.current) setError(toApiError(e));
    }
  }, [workspaceId, filters]);

  useEffect(() => {
    pages.current = 1;
    void load();
  }, [load]);

  const refetch = useRef(new Coalescer(() => void load()));
  useEffect(() => {
    refetch.current.cancel();
    refetch.current = new Coalescer(() => void load());
    return () => refetch.current.cancel();
  }, [load]);
  useWorkspaceSignals((signal) => {
    if (signal.kind === "resync" || inboxSignalConversation(signal)) refetch.current.request();
  });

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await inboxApi.list(workspaceId, filters, next);
      pages.current += 1;
      setList((l) => [...(l ?? []), ...page.conversations.filter((c) => !l?.some((x) => x.id === c.id))]);
      setNext(page.next);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const clearUnread = (conversationId: string) => setList((l) => (l ? markRead(l, conversationId) : l));

  return { list, error, hasMore: next !== null, loadingMore, loadMore, reload: load, clearUnread };
}
