import { useEffect, useState } from "preact/hooks";
import { TiktokCreatorInfo } from "../../../../worker/contracts/tiktok.ts";
import { api } from "../../api/http.ts";
import { parseWith } from "../../api/parse.ts";
import { toApiError } from "../../api/problem.ts";

/** `loading` and `unavailable` keep the static choices (every privacy level, every switch usable). */
export type CreatorInfoState = { status: "loading" } | { status: "ready"; info: TiktokCreatorInfo } | { status: "unavailable"; detail: string };

/** Asked each time the channel appears in the composer: TikTok's answer changes (posting limits, privacy of the account). */
export function useTiktokCreatorInfo(workspaceId: string, connectionId: string): CreatorInfoState {
  const [state, setState] = useState<CreatorInfoState>({ status: "loading" });
  useEffect(() => {
    const abort = new AbortController();
    setState({ status: "loading" });
    const path = `/api/workspaces/${encodeURIComponent(workspaceId)}/connections/${encodeURIComponent(connectionId)}/tiktok/creator-info`;
    api.get<unknown>(path, { signal: abort.signal }).then(
      (body) => {
        try {
          setState({ status: "ready", info: parseWith(TiktokCreatorInfo, body) });
        } catch (e) {
          setState({ status: "unavailable", detail: toApiError(e).problem.detail });
        }
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setState({ status: "unavailable", detail: toApiError(e).problem.detail });
      },
    );
    return () => abort.abort();
  }, [workspaceId, connectionId]);
  return state;
}
