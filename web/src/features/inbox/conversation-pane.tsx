import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Conversation, Message } from "../../../../worker/contracts/inbox.ts";
import type { Member, Workspace } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/loading.tsx";
import { ConversationHeader } from "./conversation-header.tsx";
import { timeline } from "./conversation-timeline.ts";
import { inboxApi } from "./inbox-api.ts";
import { defaultReplyTarget, type MessageAction } from "./message-actions.ts";
import { MessageItem } from "./message-item.tsx";
import { NoteForm } from "./note-form.tsx";
import { NoteItem } from "./note-item.tsx";
import type { PresenceText } from "./presence-text.ts";
import { ReplyComposer } from "./reply-composer.tsx";
import { useConversation } from "./use-conversation.ts";

interface Props {
  workspace: Workspace;
  conversationId: string;
  meId: string;
  members: Member[];
  presence: PresenceText;
  onRead: (conversationId: string) => void;
  onClose: () => void;
}

/** The open conversation: header controls, the thread (messages and notes), the composer and the note form. */
export function ConversationPane({ workspace, conversationId, meId, members, presence, onRead, onClose }: Props) {
  const { detail, error } = useConversation(workspace.id, conversationId);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [privately, setPrivately] = useState(false);
  const [confirming, setConfirming] = useState<{ message: Message; action: MessageAction } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const composerText = useRef<HTMLTextAreaElement>(null);
  const canAct = workspace.role !== "viewer";

  useEffect(() => {
    setTargetId(null);
    setPrivately(false);
    setActionError(null);
  }, [conversationId]);

  const loaded = detail !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus({ preventScroll: true });
  }, [conversationId, loaded]);

  // Reading it while a new message arrives keeps it read.
  const lastMessageAt = detail?.conversation.lastMessageAt;
  useEffect(() => {
    if (!lastMessageAt) return;
    onRead(conversationId);
    inboxApi.markRead(workspace.id, conversationId).catch(() => {
      // A lost read mark only leaves a dot; the next open sets it again.
    });
  }, [workspace.id, conversationId, lastMessageAt]);

  const items = useMemo(() => (detail ? timeline(detail.messages, detail.notes) : []), [detail]);

  if (!detail) {
    return (
      <section class="inbox-pane" aria-label="Conversation">
        {error ? <FormAlert>{error.problem.detail}</FormAlert> : <Loading label="Loading the conversation…" />}
        <Button size="sm" onClick={onClose}>
          Close
        </Button>
      </section>
    );
  }

  const c: Conversation = detail.conversation;
  const target = detail.messages.find((m) => m.id === targetId) ?? defaultReplyTarget(detail.messages);

  const run = async (what: string, call: () => Promise<unknown>) => {
    setBusy(what);
    setActionError(null);
    try {
      await call();
    } catch (e) {
      setActionError(toApiError(e).problem.detail);
    } finally {
      setBusy(null);
    }
  };

  const act = (message: Message, action: MessageAction) =>
    void run(`${action.kind}:${message.id}`, () => inboxApi.act(workspace.id, c.id, { kind: action.kind, messageId: message.id, idempotencyKey: crypto.randomUUID() }));

  return (
    <section class="inbox-pane" aria-label={`Conversation: ${c.title}`}>
      <ConversationHeader
        conversation={c}
        meId={meId}
        members={members}
        presence={presence}
        busy={busy}
        headingRef={heading}
        onStatus={(status) => void run("status", () => inboxApi.patch(workspace.id, c.id, { status }))}
        onAssign={(assigneeId) => void run("assign", () => inboxApi.patch(workspace.id, c.id, { assigneeId }))}
        onClaim={(takeOver) => void run("claim", () => inboxApi.claim(workspace.id, c.id, takeOver))}
        onRelease={() => void run("claim", () => inboxApi.release(workspace.id, c.id))}
        onClose={onClose}
      />
      <FormAlert>{actionError}</FormAlert>
      <ol class="inbox-thread" aria-label="Messages and notes">
        {items.map((item) =>
          item.type === "note" ? (
            <NoteItem key={item.note.id} note={item.note} />
          ) : (
            <MessageItem
              key={item.message.id}
              message={item.message}
              conversation={c}
              actions={detail.actions.filter((a) => a.messageId === item.message.id)}
              selected={c.kind === "comments" && target?.id === item.message.id}
              canAct={canAct}
              onAct={(action) => (action.confirm ? setConfirming({ message: item.message, action }) : act(item.message, action))}
              onReplyTo={(priv) => {
                setTargetId(item.message.id);
                setPrivately(priv);
                composerText.current?.focus();
              }}
            />
          ),
        )}
      </ol>
      {canAct ? (
        <ReplyComposer workspaceId={workspace.id} conversation={c} target={target} privately={privately} onPrivately={setPrivately} textRef={composerText} />
      ) : (
        <p class="muted">Your role can read the inbox but not answer.</p>
      )}
      {canAct && <NoteForm workspaceId={workspace.id} conversationId={c.id} />}
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} title="Delete this reply?">
        <p>{confirming?.action.confirm}</p>
        <div class="row dialog-actions">
          <Button
            variant="danger"
            onClick={() => {
              if (confirming) act(confirming.message, confirming.action);
              setConfirming(null);
            }}
          >
            Delete reply
          </Button>
          <Button onClick={() => setConfirming(null)}>Cancel</Button>
        </div>
      </Dialog>
    </section>
  );
}
