import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { postsApi } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";

/**
 * The composer's post with its publish ledger, kept current from the live socket: every `target.changed`
 * or `post.changed` about it (and a resync) refetches it. `saved` is the composer's last saved copy, so a
 * post created and scheduled in this composer gets its panel without a reload. Refetches never overlap;
 * events arriving during one cause exactly one more, so a burst of ledger moves (preparing → ready →
 * committing → published) always ends on the latest state.
 */
export function useLivePost(workspaceId: string, saved: Post | null) {
  const [post, setPost] = useState<Post | null>(saved);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Bumped on every ledger change, so an open attempt history knows to reload. */
  const [ledgerVersion, setLedgerVersion] = useState(0);
  const postId = post?.id ?? saved?.id ?? null;
  const running = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  // A save in the composer answers with the whole post: it is at least as fresh as what we hold.
  useEffect(() => {
    if (saved) setPost(saved);
  }, [saved]);

  const refresh = useCallback(async () => {
    if (!postId) return;
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    try {
      do {
        again.current = false;
        const latest = await postsApi.load(workspaceId, postId);
        if (alive.current) setPost(latest);
      } while (again.current);
      if (alive.current) setError(null);
    } catch (e) {
      const problem = toApiError(e).problem;
      if (!alive.current) return;
      if (problem.status === 404) setGone(true);
      else setError(problem.detail);
    } finally {
      running.current = false;
    }
  }, [workspaceId, postId]);

  useWorkspaceSignals((signal) => {
    if (!postId) return;
    if (signal.kind === "resync") void refresh();
    if (signal.kind === "post.changed" && signal.postId === postId) {
      if (signal.deleted) setGone(true);
      else void refresh();
    }
    if (signal.kind === "target.changed" && signal.postId === postId) {
      setLedgerVersion((v) => v + 1);
      void refresh();
    }
  });

  /** Adopts the post an action answered with. */
  const adopt = useCallback((latest: Post) => {
    setPost(latest);
    setLedgerVersion((v) => v + 1);
  }, []);

  return { post, gone, error, ledgerVersion, refresh, adopt };
}
