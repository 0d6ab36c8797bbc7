import { useId, useState } from "preact/hooks";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { inboxApi } from "./inbox-api.ts";

/** An internal note: seen by teammates only, never sent to the platform. */
export function NoteForm({ workspaceId, conversationId }: { workspaceId: string; conversationId: string }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return setError("Write the note.");
    setBusy(true);
    setError(null);
    try {
      await inboxApi.addNote(workspaceId, conversationId, text.trim());
      setText("");
    } catch (err) {
      setError(toApiError(err).problem.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inbox-note-form" onSubmit={submit}>
      <label for={`${id}-note`}>Internal note</label>
      <textarea id={`${id}-note`} class="input" rows={2} maxLength={5000} placeholder="Only your team sees notes" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <FormAlert>{error}</FormAlert>
      <Button type="submit" size="sm" busy={busy}>
        Add note
      </Button>
    </form>
  );
}
