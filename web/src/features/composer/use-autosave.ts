import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { postsApi } from "../../api/posts.ts";
import { toApiError, type ApiError } from "../../api/problem.ts";
import { toBody, type Draft } from "./composer-draft.ts";

const AUTOSAVE_MS = 800;

export type SaveStatus = "clean" | "dirty" | "saving" | "saved" | "failed" | "conflict";

/**
 * Saves the draft a moment after each edit: the first edit creates the post, later ones PATCH it
 * with the revision they started from. Saves never overlap; edits made during a save are sent next.
 */
export function useAutosave(workspaceId: string, initial: Post | null, onCreated: (post: Post) => void) {
  const [post, setPost] = useState<Post | null>(initial);
  const [status, setStatus] = useState<SaveStatus>("clean");
  const [error, setError] = useState<ApiError | null>(null);
  const postRef = useRef(initial);
  const pending = useRef<Draft | null>(null);
  const inFlight = useRef<Promise<Post | null> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const adopt = (saved: Post) => {
    postRef.current = saved;
    setPost(saved);
  };

  /** Sends what is pending (plus `extra`, e.g. a status change) and resolves with the saved post. */
  const flush = useCallback(
    async (extra: { status?: Post["status"] } = {}): Promise<Post | null> => {
      clearTimeout(timer.current);
      while (inFlight.current) await inFlight.current;
      const draft = pending.current;
      if (!draft && !extra.status) return postRef.current;
      pending.current = null;
      const run = (async () => {
        setStatus("saving");
        try {
          const current = postRef.current;
          const body = { ...(draft ? toBody(draft) : {}), ...(extra.status === "cancelled" ? {} : extra) } as ReturnType<typeof toBody> & { status?: "draft" | "scheduled" };
          const saved = current ? await postsApi.update(workspaceId, current.id, { ...body, revision: current.revision }) : await postsApi.create(workspaceId, body);
          adopt(saved);
          if (!current) onCreated(saved);
          setError(null);
          setStatus(pending.current ? "dirty" : "saved");
          return saved;
        } catch (e) {
          const apiError = toApiError(e);
          setError(apiError);
          setStatus(apiError.status === 409 ? "conflict" : "failed");
          // Keep the unsent edits so the next attempt includes them.
          if (draft && !pending.current) pending.current = draft;
          return null;
        } finally {
          inFlight.current = null;
        }
      })();
      inFlight.current = run;
      return run;
    },
    [workspaceId, onCreated],
  );

  const change = useCallback(
    (draft: Draft) => {
      pending.current = draft;
      setStatus("dirty");
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
    },
    [flush],
  );

  // Leaving the composer sends what is still pending; closing the tab with unsaved edits asks first.
  const latestFlush = useRef(flush);
  latestFlush.current = flush;
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (pending.current) e.preventDefault();
    };
    addEventListener("beforeunload", warn);
    return () => {
      removeEventListener("beforeunload", warn);
      clearTimeout(timer.current);
      if (pending.current) void latestFlush.current();
    };
  }, []);

  /** Drops unsent edits (the post is being deleted): nothing is saved on leaving. */
  const discard = useCallback(() => {
    clearTimeout(timer.current);
    pending.current = null;
    setStatus("clean");
  }, []);

  return { post, status, error, change, flush, discard, setPost: adopt };
}
