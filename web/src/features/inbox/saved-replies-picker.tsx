import { useId, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { SavedReply } from "../../../../worker/contracts/saved-replies.ts";
import { connectionsApi } from "../../api/connections.ts";
import { toApiError } from "../../api/problem.ts";
import { Loading } from "../../ui/loading.tsx";
import { Menu } from "../../ui/menu.tsx";
import { fillSavedReply, matchesQuery, type FillContext } from "./saved-replies-fill.ts";
import { savedRepliesApi } from "./saved-replies-api.ts";
import "./saved-replies.css";

interface Props {
  workspaceId: string;
  connectionId: string;
  /** Who is being answered and what they wrote; the channel's name is looked up here. */
  context: Omit<FillContext, "channelName">;
  onInsert: (text: string) => void;
}

/**
 * Lists the workspace's saved replies and inserts one, variables filled for this conversation. The
 * list is read each time the picker opens, so a reply saved a moment ago by a teammate is there.
 */
export function SavedRepliesPicker({ workspaceId, connectionId, context, onInsert }: Props) {
  const id = useId();
  const [replies, setReplies] = useState<SavedReply[] | null>(null);
  const [connections, setConnections] = useState<Connection[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");

  const load = () => {
    setError(null);
    setQuery("");
    savedRepliesApi.list(workspaceId).then(setReplies, (err: unknown) => setError(toApiError(err).problem.detail));
    connectionsApi.list(workspaceId).then(setConnections, () => setConnections([]));
  };
  const channelName = connections.find((c) => c.id === connectionId)?.name ?? "";
  const shown = (replies ?? []).filter((r) => matchesQuery(r, query));

  return (
    // Escape closes this picker only: marking it handled keeps the inbox from also closing the conversation.
    <div
      class="saved-replies-picker"
      onKeyDown={(e) => {
        if (e.key === "Escape" && e.currentTarget.querySelector(".menu-panel:not([hidden])")) e.preventDefault();
      }}
    >
      <Menu label="Saved replies" trigger="Saved replies" align="start" onOpen={load} panelClass="saved-replies-panel">
        {(close) => (
          <div class="saved-replies">
            {error ? (
              <p class="alert alert-error">{error}</p>
            ) : !replies ? (
              <Loading label="Loading saved replies…" />
            ) : replies.length === 0 ? (
              <p class="empty-note">No saved replies yet.</p>
            ) : (
              <>
                <label for={`${id}-q`} class="visually-hidden">
                  Find a saved reply
                </label>
                <input id={`${id}-q`} class="input" type="search" placeholder="Find a saved reply" value={query} data-autofocus onInput={(e) => setQuery(e.currentTarget.value)} />
                <ul class="saved-replies-list" aria-label="Saved replies">
                  {shown.map((reply) => (
                    <li key={reply.id}>
                      <button
                        type="button"
                        class="saved-reply-choice"
                        onClick={() => {
                          onInsert(fillSavedReply(reply.text, { ...context, channelName }));
                          close();
                        }}
                      >
                        <strong>{reply.name}</strong>
                        <span class="muted">{reply.text.length > 90 ? `${reply.text.slice(0, 89)}…` : reply.text}</span>
                      </button>
                    </li>
                  ))}
                  {shown.length === 0 && <li class="empty-note">No saved reply matches “{query}”.</li>}
                </ul>
              </>
            )}
          </div>
        )}
      </Menu>
    </div>
  );
}
