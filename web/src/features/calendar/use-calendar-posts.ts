import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { postsApi, type PostFilter } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { applyTargetChange } from "../publishing/calendar-summary.ts";
import { scheduledLocalFor } from "./calendar-math.ts";

export interface MoveRefusal {
  postId: string;
  message: string;
}

/**
 * The posts of one range, kept current by `post.changed` and `target.changed` events. `move` shows the post in its new
 * place at once and puts it back when the server refuses (stale revision, or invalid at that time).
 */
export function useCalendarPosts(workspaceId: string, zone: string, filter: PostFilter) {
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<MoveRefusal | null>(null);
  const key = JSON.stringify(filter);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const list = await postsApi.list(workspaceId, filter);
      if (ticket !== latest.current) return;
      setPosts(list.filter((p) => p.status !== "cancelled" || filter.state === "cancelled"));
      setError(null);
    } catch (e) {
      if (ticket === latest.current) setError(toApiError(e).problem.detail);
    }
    // `key` stands for `filter`'s contents.
  }, [workspaceId, key]);

  useEffect(() => {
    void load();
  }, [load]);

  useWorkspaceSignals((signal) => {
    if (signal.kind === "post.changed" || signal.kind === "resync") void load();
    // The event carries the new state: patch it in place instead of refetching the whole range.
    if (signal.kind === "target.changed") setPosts((list) => (list ? applyTargetChange(list, signal) : list));
  });

  // Moves of one post run one after another, each with the revision the previous one returned.
  const current = useRef<Post[] | null>(null);
  current.current = posts;
  const queue = useRef(new Map<string, Promise<unknown>>());

  const moveNow = async (postId: string, workspaceLocal: string): Promise<boolean> => {
    const post = current.current?.find((p) => p.id === postId);
    if (!post) return false;
    const scheduledLocal = scheduledLocalFor(post, workspaceLocal, zone);
    if (scheduledLocal === post.scheduledLocal?.slice(0, 16)) return true;
    setRefusal(null);
    setPosts((list) => list?.map((p) => (p.id === post.id ? { ...p, scheduledLocal, scheduledAt: null } : p)) ?? list);
    try {
      const saved = await postsApi.update(workspaceId, post.id, { scheduledLocal, revision: post.revision });
      current.current = current.current?.map((p) => (p.id === saved.id ? saved : p)) ?? null;
      setPosts((list) => list?.map((p) => (p.id === saved.id ? saved : p)) ?? list);
      return true;
    } catch (e) {
      const problem = toApiError(e).problem;
      const details = (problem.errors ?? []).map((x) => x.message);
      const message = problem.status === 409 ? "Someone else changed this post in the meantime; the calendar now shows their version." : [problem.detail, ...details].join(" ");
      current.current = current.current?.map((p) => (p.id === post.id ? post : p)) ?? null;
      setPosts((list) => list?.map((p) => (p.id === post.id ? post : p)) ?? list);
      setRefusal({ postId: post.id, message });
      if (problem.status === 409) void load();
      return false;
    }
  };

  const move = (post: Post, workspaceLocal: string): Promise<boolean> => {
    const before = queue.current.get(post.id) ?? Promise.resolve();
    const run = before.then(() => moveNow(post.id, workspaceLocal));
    queue.current.set(post.id, run);
    void run.finally(() => {
      if (queue.current.get(post.id) === run) queue.current.delete(post.id);
    });
    return run;
  };

  return { posts, error, refusal, dismissRefusal: () => setRefusal(null), reload: load, move };
}
