import { useEffect, useMemo, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Conversation } from "../../../../worker/contracts/inbox.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { connectionsApi } from "../../api/connections.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useMe } from "../auth/session.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { ConversationList } from "./conversation-list.tsx";
import { ConversationPane } from "./conversation-pane.tsx";
import { unreadCount } from "./conversation-timeline.ts";
import { InboxFiltersBar } from "./inbox-filters.tsx";
import { DEFAULT_FILTERS, isFiltered, type InboxFilters } from "./inbox-query.ts";
import { presenceText } from "./presence-text.ts";
import { useConversations } from "./use-conversations.ts";
import { useInboxPresence, useViewing } from "./use-inbox-presence.ts";
import { useListKeys } from "./use-list-keys.ts";
import { useMembers } from "./use-members.ts";
import "./inbox.css";

function Inbox({ workspace }: { workspace: Workspace }) {
  const me = useMe();
  const [filters, setFilters] = useState<InboxFilters>(DEFAULT_FILTERS);
  const conversations = useConversations(workspace.id, filters);
  const members = useMembers(workspace.id);
  const channel = useInboxPresence(workspace.id);
  const [openId, setOpenId] = useState<string | null>(null);
  const [connections, setConnections] = useState<Connection[]>([]);
  useViewing(workspace.id, openId);

  useEffect(() => {
    connectionsApi.list(workspace.id).then(setConnections, () => setConnections([]));
  }, [workspace.id]);

  const names = useMemo(() => new Map(members.map((m) => [m.userId, m.name])), [members]);
  const presenceOf = (conversationId: string) => presenceText(channel.viewersOf(conversationId), me.id, names);
  const list = conversations.list;

  const open = (c: Conversation) => setOpenId(c.id);
  const close = () => {
    const id = openId;
    setOpenId(null);
    // Back to the row it was opened from, so the keyboard user keeps their place.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-conversation-id="${id}"]`)?.focus());
  };
  useListKeys({ onEscape: openId ? close : null });

  const unread = list ? unreadCount(list) : 0;
  return (
    <section class="page inbox-page">
      <PageHeading title={`Inbox · ${workspace.name}`} subtitle="Comments and direct messages from your channels, answered together.">
        Inbox{unread > 0 && <span class="inbox-unread-count"> ({unread} unread)</span>}
      </PageHeading>
      <InboxFiltersBar filters={filters} connections={connections} members={members} onChange={setFilters} />
      <FormAlert>{conversations.error?.problem.detail}</FormAlert>
      <div class={openId ? "inbox-layout inbox-layout-open" : "inbox-layout"}>
        <div class="inbox-list-column">
          {!list ? (
            !conversations.error && <Loading label="Loading conversations…" />
          ) : list.length === 0 ? (
            <p class="card empty-note">
              {isFiltered(filters) ? "No conversations match these filters." : "No conversations yet. Comments and messages on your connected channels appear here as they arrive."}
            </p>
          ) : (
            <>
              <ConversationList conversations={list} openId={openId} meId={me.id} presenceOf={presenceOf} onOpen={open} />
              <p class="muted inbox-hint">Use j and k (or the arrow keys) to move, Enter to open, Escape to close.</p>
              {conversations.hasMore && (
                <Button busy={conversations.loadingMore} onClick={() => void conversations.loadMore()}>
                  {conversations.loadingMore ? "Loading…" : "Load more"}
                </Button>
              )}
            </>
          )}
          {conversations.error && !list && <Button onClick={() => void conversations.reload()}>Try again</Button>}
        </div>
        {openId && (
          <ConversationPane
            key={openId}
            workspace={workspace}
            conversationId={openId}
            meId={me.id}
            members={members}
            presence={presenceOf(openId)}
            onRead={conversations.clearUnread}
            onClose={close}
          />
        )}
      </div>
    </section>
  );
}

export default function InboxPage() {
  return <WorkspaceGate>{(workspace) => <Inbox workspace={workspace} />}</WorkspaceGate>;
}
