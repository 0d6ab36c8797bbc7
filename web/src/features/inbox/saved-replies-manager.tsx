import { useEffect, useId, useRef, useState } from "preact/hooks";
import type { SavedReply } from "../../../../worker/contracts/saved-replies.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";
import { Loading } from "../../ui/loading.tsx";
import { savedRepliesApi } from "./saved-replies-api.ts";
import "./saved-replies.css";

type Draft = { id: string | null; name: string; text: string };
const EMPTY: Draft = { id: null, name: "", text: "" };

/**
 * The workspace's saved replies: add, edit and delete. Server sentences appear at their fields, and
 * focus goes to the first field in error, or back to the list after a save.
 */
export function SavedRepliesManager({ workspaceId, canEdit }: { workspaceId: string; canEdit: boolean }) {
  const id = useId();
  const [replies, setReplies] = useState<SavedReply[] | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const load = () => savedRepliesApi.list(workspaceId).then(setReplies, (err: unknown) => setFormError(toApiError(err).problem.detail));
  useEffect(() => void load(), [workspaceId]);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const saved = draft.id ? await savedRepliesApi.patch(workspaceId, draft.id, { name: draft.name, text: draft.text }) : await savedRepliesApi.create(workspaceId, { name: draft.name, text: draft.text });
      setStatus(`Saved “${saved.name}”.`);
      setDraft(EMPTY);
      await load();
    } catch (err) {
      const apiError = toApiError(err);
      const fields = apiError.fieldErrors();
      setErrors(fields);
      setFormError(Object.keys(fields).length > 0 && !fields[""] ? null : apiError.problem.detail);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true'], [role='alert']:not(:empty)")?.focus());
    } finally {
      setBusy(false);
    }
  };

  const remove = async (reply: SavedReply) => {
    try {
      await savedRepliesApi.remove(workspaceId, reply.id);
      setStatus(`Deleted “${reply.name}”.`);
      await load();
    } catch (err) {
      setFormError(toApiError(err).problem.detail);
    }
  };

  return (
    <section class="saved-replies-manager stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Saved replies</h2>
      <p class="muted">Answers your team inserts from the inbox composer. They can use the same variables as rules: {"{first_name}"}, {"{name}"}, {"{channel}"} and {"{text}"}.</p>
      <StatusMessage>{status}</StatusMessage>
      {!replies ? (
        !formError && <Loading label="Loading saved replies…" />
      ) : replies.length === 0 ? (
        <p class="empty-note">No saved replies yet.</p>
      ) : (
        <ul class="saved-replies-list" aria-label="Saved replies">
          {replies.map((reply) => (
            <li key={reply.id} class="card">
              <strong>{reply.name}</strong>
              <p class="muted">{reply.text}</p>
              {canEdit && (
                <div class="row">
                  <Button size="sm" aria-label={`Edit ${reply.name}`} onClick={() => (setDraft({ id: reply.id, name: reply.name, text: reply.text }), requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("input")?.focus()))}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Delete ${reply.name}`} onClick={() => void remove(reply)}>
                    Delete
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form ref={formRef} class="card stack" onSubmit={save} aria-label={draft.id ? "Edit saved reply" : "New saved reply"} noValidate>
          <FormAlert>{formError}</FormAlert>
          <TextInput label="Reply name" value={draft.name} maxLength={80} error={errors.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
          <div class={errors.text ? "field field-invalid" : "field"}>
            <label class="field-label" for={`${id}-text`}>
              Reply text
            </label>
            <textarea id={`${id}-text`} class="input" rows={3} maxLength={2000} value={draft.text} aria-invalid={errors.text ? true : undefined} aria-describedby={errors.text ? `${id}-text-error` : undefined} onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })} />
            {errors.text && (
              <p id={`${id}-text-error`} class="field-error">
                <span aria-hidden="true">⚠ </span>
                {errors.text}
              </p>
            )}
          </div>
          <div class="row">
            <Button type="submit" variant="primary" busy={busy}>
              {draft.id ? "Save changes" : "Add saved reply"}
            </Button>
            {draft.id && <Button onClick={() => setDraft(EMPTY)}>Cancel</Button>}
          </div>
        </form>
      )}
    </section>
  );
}
