import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { type MediaFilter, mediaApi } from "../../api/media.ts";
import { type ApiError, toApiError } from "../../api/problem.ts";

const PAGE_SIZE = 40;

const matches = (m: Media, f: MediaFilter): boolean => {
  if (f.kind && m.kind !== f.kind) return false;
  if (f.tag && !m.tags.includes(f.tag)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    return [m.name, m.altText ?? "", ...m.tags].some((s) => s.toLowerCase().includes(q));
  }
  return true;
};

/**
 * The library for one filter: first page, "Load more" by cursor, and in-place updates (an upload that
 * finished, an edit, a delete, or a `media.changed` event) that keep the pages already loaded.
 */
export function useMediaLibrary(workspaceId: string, filter: MediaFilter) {
  const [media, setMedia] = useState<Media[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Answers for an older filter are dropped when they arrive late.
  const generation = useRef(0);
  const { q, kind, tag } = filter;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setError(null);
    try {
      const page = await mediaApi.list(workspaceId, { q, kind, tag }, undefined, PAGE_SIZE);
      if (mine !== generation.current) return;
      setMedia(page.media);
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation.current) setError(toApiError(e));
    }
  }, [workspaceId, q, kind, tag]);

  useEffect(() => {
    setMedia(null);
    void reload();
  }, [reload]);

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await mediaApi.list(workspaceId, { q, kind, tag }, cursor, PAGE_SIZE);
      if (mine !== generation.current) return;
      setMedia((list) => {
        const seen = new Set(list?.map((m) => m.id));
        return [...(list ?? []), ...page.media.filter((m) => !seen.has(m.id))];
      });
      setCursor(page.nextCursor);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  /** Puts a new or changed file in place (new ones first), or drops it when it no longer matches. */
  const upsert = useCallback(
    (m: Media) =>
      setMedia((list) => {
        if (!list) return list;
        const fits = matches(m, { q, kind, tag });
        const at = list.findIndex((x) => x.id === m.id);
        if (at === -1) return fits ? [m, ...list] : list;
        return fits ? list.map((x) => (x.id === m.id ? m : x)) : list.filter((x) => x.id !== m.id);
      }),
    [q, kind, tag],
  );
  const drop = useCallback((id: string) => setMedia((list) => list?.filter((m) => m.id !== id) ?? list), []);

  /** A teammate (or another tab) changed a file: fetch just that one. */
  const refreshOne = useCallback(
    async (id: string) => {
      try {
        upsert(await mediaApi.get(workspaceId, id));
      } catch (e) {
        if (toApiError(e).status === 404) drop(id);
      }
    },
    [workspaceId, upsert, drop],
  );

  return { media, hasMore: cursor !== null, error, loadingMore, reload, loadMore, upsert, drop, refreshOne };
}
