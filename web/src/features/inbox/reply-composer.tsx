import type { Ref } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import type { Conversation, Message } from "../../../../worker/contracts/inbox.ts";
import { toApiError } from "../../api/problem.ts";
import { inboxChannel } from "../../live/inbox-channel.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { inboxApi } from "./inbox-api.ts";
import { PLATFORM_NAME } from "./inbox-labels.ts";
import { replyKind, replyWindowClosed } from "./message-actions.ts";
import { insertAt } from "./saved-replies-fill.ts";
import { SavedRepliesPicker } from "./saved-replies-picker.tsx";
import { TypingSignal } from "./typing-signal.ts";

interface Props {
  workspaceId: string;
  conversation: Conversation;
  target: Message | null;
  privately: boolean;
  onPrivately: (privately: boolean) => void;
  /** The pane focuses the text box when a message's Reply button is pressed. */
  textRef?: Ref<HTMLTextAreaElement>;
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/**
 * Writes a reply (to the selected comment, publicly or privately) or a DM. A send is queued: the new
 * message shows as "Sending…" in the thread until the platform confirms it live. One idempotency key
 * per reply text, so a retried click after a lost answer never sends twice.
 */
export function ReplyComposer({ workspaceId, conversation: c, target, privately, onPrivately, textRef }: Props) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const key = useRef<string | null>(null);
  const typing = useRef(new TypingSignal());
  const id = useId();
  const channel = inboxChannel(workspaceId);

  useEffect(() => {
    const signal = typing.current;
    const timer = setInterval(() => {
      const frame = signal.tick(Date.now());
      if (frame !== null) channel.typing(c.id, frame);
    }, 1_000);
    return () => {
      clearInterval(timer);
      if (signal.stop() !== null) channel.typing(c.id, false);
    };
  }, [channel, c.id]);

  const kind = replyKind(c, privately);
  const windowClosed = c.kind === "dm" && replyWindowClosed(c, new Date());
  const needsTarget = kind !== "dm";
  const label = kind === "dm" ? `Message ${c.participantName ?? c.title}` : privately ? `Private reply to ${target?.authorName ?? "the commenter"}` : "Reply";

  const insertSaved = (saved: string) => {
    const box = document.getElementById(`${id}-text`) as HTMLTextAreaElement | null;
    const next = insertAt(text, saved, box?.selectionStart ?? text.length, box?.selectionEnd ?? text.length);
    setText(next.text);
    key.current = null;
    requestAnimationFrame(() => (box?.focus(), box?.setSelectionRange(next.caret, next.caret)));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return setError("Write the reply first.");
    if (needsTarget && !target) return setError("Choose the comment to answer with its Reply button.");
    setBusy(true);
    setError(null);
    key.current ??= crypto.randomUUID();
    try {
      await inboxApi.act(workspaceId, c.id, { kind, text: text.trim(), messageId: needsTarget ? target?.id : undefined, idempotencyKey: key.current });
      setText("");
      key.current = null;
      if (typing.current.stop() !== null) channel.typing(c.id, false);
      setStatus(`Queued. It shows as “Sending…” until ${PLATFORM_NAME[c.platform]} confirms it.`);
    } catch (err) {
      const apiError = toApiError(err);
      // Only a refusal is final; a network failure keeps the key so trying again cannot send twice.
      if (apiError.status >= 400 && apiError.status < 500) key.current = null;
      setError(apiError.problem.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="inbox-composer" onSubmit={submit} aria-label="Reply">
      {needsTarget && (
        <p class="inbox-composer-target">
          {target ? (
            <>
              Replying to <strong>{target.authorName ?? "a comment"}</strong>: “{excerpt(target.text)}”
            </>
          ) : (
            "Choose a comment to answer with its Reply button."
          )}
        </p>
      )}
      {c.kind === "comments" && (c.platform === "facebook" || c.platform === "instagram") && (
        <label class="inbox-private-toggle">
          <input type="checkbox" checked={privately} onChange={(e) => onPrivately(e.currentTarget.checked)} /> Reply privately (sends a direct message)
        </label>
      )}
      {windowClosed && (
        <p class="alert alert-warning">
          {c.participantName ?? "This person"} last wrote more than 24 hours ago; {PLATFORM_NAME[c.platform]} only allows replies within 24 hours of their last message.
        </p>
      )}
      <label for={`${id}-text`} class="visually-hidden">
        {label}
      </label>
      <textarea
        ref={textRef}
        id={`${id}-text`}
        class="input inbox-composer-text"
        rows={3}
        maxLength={8000}
        placeholder={label}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          key.current = null;
          setStatus("");
          const frame = e.currentTarget.value ? typing.current.keystroke(Date.now()) : typing.current.stop();
          if (frame !== null) channel.typing(c.id, frame);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) void submit(e);
        }}
      />
      <FormAlert>{error}</FormAlert>
      <div class="row">
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? "Sending…" : kind === "dm" ? "Send message" : privately ? "Send private reply" : "Send reply"}
        </Button>
        <SavedRepliesPicker workspaceId={workspaceId} connectionId={c.connectionId} context={{ personName: target?.authorName ?? c.participantName, text: target?.text ?? "" }} onInsert={insertSaved} />
        <span class="muted inbox-hint">Ctrl+Enter sends</span>
      </div>
      <StatusMessage tone="info">{status}</StatusMessage>
    </form>
  );
}
