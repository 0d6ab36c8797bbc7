import { useEffect, useRef, useState } from "preact/hooks";
import { postsApi, type Attempt } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";

/**
 * The post's attempt history, fetched only once someone opens a channel's history (it is for
 * diagnosis, not the common path), and again after each ledger event while one is open.
 */
export function useAttempts(workspaceId: string, postId: string, ledgerVersion: number) {
  const [wanted, setWanted] = useState(false);
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ticket = useRef(0);

  useEffect(() => {
    if (!wanted) return;
    const mine = ++ticket.current;
    const abort = new AbortController();
    postsApi.attempts(workspaceId, postId, abort.signal).then(
      (list) => {
        if (mine !== ticket.current) return;
        setAttempts(list);
        setError(null);
      },
      (e) => {
        if (mine === ticket.current && !abort.signal.aborted) setError(toApiError(e).problem.detail);
      },
    );
    return () => abort.abort();
  }, [wanted, workspaceId, postId, ledgerVersion]);

  return { attempts, error, want: () => setWanted(true) };
}
