import { useEffect, useRef, useState } from "preact/hooks";
import type { YoutubeVideoDetails } from "../../../../worker/contracts/youtube.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/loading.tsx";
import { changedFields, formFrom, problemsByField, type YoutubeField, type YoutubeForm } from "./youtube-video.ts";
import { youtubeVideoApi } from "./youtube-video-api.ts";
import { YoutubeEditFields } from "./youtube-edit-fields.tsx";
import "./youtube-edit.css";

export interface YoutubeEditDialogProps {
  workspaceId: string;
  postId: string;
  targetId: string;
  channelName: string;
  open: boolean;
  onClose: () => void;
  /** After a successful save, with the sentence to announce. */
  onSaved: (message: string) => void;
}

type Loaded = { status: "loading" } | { status: "failed"; detail: string } | { status: "ready"; video: YoutubeVideoDetails };

/**
 * Edits a published video's details on YouTube. The form starts from what YouTube reports now and
 * sends only the fields the person changed; refused fields get the server's sentence beside them.
 */
export function YoutubeEditDialog({ workspaceId, postId, targetId, channelName, open, onClose, onSaved }: YoutubeEditDialogProps) {
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const [form, setForm] = useState<YoutubeForm | null>(null);
  const [errors, setErrors] = useState<Partial<Record<YoutubeField, string>>>({});
  const [alert, setAlert] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const fieldId = (field: YoutubeField) => `yt-edit-${targetId}-${field}`;

  useEffect(() => {
    if (!open) return;
    const abort = new AbortController();
    setLoaded({ status: "loading" });
    setErrors({});
    setAlert(undefined);
    youtubeVideoApi.get(workspaceId, postId, targetId, abort.signal).then(
      (video) => {
        setLoaded({ status: "ready", video });
        setForm(formFrom(video));
        // The form replaces the spinner after the dialog focused its first control: start on the title.
        requestAnimationFrame(() => document.getElementById(fieldId("title"))?.focus());
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setLoaded({ status: "failed", detail: toApiError(e).problem.detail });
      },
    );
    return () => abort.abort();
  }, [open, workspaceId, postId, targetId]);

  const save = async () => {
    if (loaded.status !== "ready" || !form) return;
    const edit = changedFields(loaded.video, form);
    setErrors({});
    setAlert(undefined);
    if (Object.keys(edit).length === 0) {
      setAlert("Nothing changed: edit a field first, or close this window.");
      alertRef.current?.focus();
      return;
    }
    setSaving(true);
    try {
      const now = await youtubeVideoApi.update(workspaceId, postId, targetId, edit);
      if (now) setLoaded({ status: "ready", video: now });
      onSaved(`Saved on YouTube: ${now?.title ?? form.title}.`);
      onClose();
    } catch (e) {
      const problem = toApiError(e).problem;
      const { fields, other } = problemsByField(problem.errors);
      setErrors(fields);
      setAlert(other.length || Object.keys(fields).length === 0 ? [problem.detail, ...other].join(" ") : problem.detail);
      const firstInvalid = (Object.keys(fields) as YoutubeField[])[0];
      requestAnimationFrame(() => (firstInvalid ? document.getElementById(fieldId(firstInvalid)) : alertRef.current)?.focus());
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title={`Edit on YouTube: ${channelName}`} wide>
      <FormAlert alertRef={alertRef}>{alert}</FormAlert>
      {loaded.status === "loading" && <Loading label="Loading the video's details from YouTube…" />}
      {loaded.status === "failed" && <p class="alert alert-error">{loaded.detail}</p>}
      {loaded.status === "ready" && form && (
        <form
          class="youtube-edit-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          aria-busy={saving || undefined}
        >
          <fieldset class="youtube-edit-fields" disabled={saving}>
            <legend class="visually-hidden">Video details</legend>
            <YoutubeEditFields form={form} errors={errors} fieldId={fieldId} onChange={(patch) => setForm({ ...form, ...patch })} />
          </fieldset>
          <p class="field-hint">
            <a href={loaded.video.url} target="_blank" rel="noopener noreferrer">
              Open the video on YouTube<span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
          <div class="dialog-actions">
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" busy={saving}>
              {saving ? "Saving on YouTube…" : "Save on YouTube"}
            </Button>
          </div>
        </form>
      )}
      {loaded.status !== "ready" && (
        <div class="dialog-actions">
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
      )}
    </Dialog>
  );
}
