import { useEffect, useState } from "preact/hooks";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { useLocation } from "preact-iso";
import { postsApi } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Button } from "../../ui/button.tsx";
import { clockOf, dayOf, formatClockTime, formatDay } from "../../ui/zoned-date.ts";
import type { Draft } from "./composer-draft.ts";
import type { useAutosave } from "./use-autosave.ts";
import type { ValidationState } from "./use-validation.ts";

interface ComposerActionsProps {
  workspace: Workspace;
  draft: Draft;
  saver: ReturnType<typeof useAutosave>;
  validation: ValidationState;
  invalidCount: number;
  /** False when the Publishing panel offers Delete (with its live-channel choice) instead. */
  canDelete: boolean;
}

const SAVE_LABEL = {
  clean: "",
  dirty: "Unsaved changes",
  saving: "Saving…",
  saved: "All changes saved",
  failed: "",
  conflict: "",
} as const;

/** Why Schedule cannot be pressed right now, or null when it can. */
function blocker(draft: Draft, validation: ValidationState, invalidCount: number): string | null {
  if (draft.targets.length === 0) return "Choose at least one channel.";
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(draft.scheduledLocal)) return "Choose a date and time.";
  if (validation.status === "checking") return "Loading the media's details…";
  const timing = validation.report.post[0];
  if (timing) return timing.message;
  if (invalidCount > 0) return `Fix the problems on ${invalidCount === 1 ? "1 channel" : `${invalidCount} channels`} first.`;
  return null;
}

export function ComposerActions({ workspace, draft, saver, validation, invalidCount, canDelete }: ComposerActionsProps) {
  const [done, setDone] = useState("");
  const reason = blocker(draft, validation, invalidCount);
  const scheduled = saver.post?.status === "scheduled";

  const schedule = async () => {
    if (reason) return;
    setDone("");
    saver.change(draft);
    const saved = await saver.flush({ status: "scheduled" });
    if (saved) setDone(`Scheduled for ${formatDay(dayOf(draft.scheduledLocal))}, ${formatClockTime(clockOf(draft.scheduledLocal))} (${draft.timezone}).`);
  };
  const saveDraft = async () => {
    setDone("");
    saver.change(draft);
    const saved = await saver.flush({ status: "draft" });
    if (saved) setDone(scheduled ? "Moved to drafts: it will not be published." : "Draft saved.");
  };

  // Ctrl/⌘+S saves the draft, Ctrl/⌘+Enter schedules.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      if (e.key === "s") {
        e.preventDefault();
        void saveDraft();
      } else if (e.key === "Enter" && !reason) {
        e.preventDefault();
        void schedule();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  });

  const failure = saver.status === "failed" || saver.status === "conflict" ? saver.error?.problem : null;
  return (
    <div class="composer-actions">
      {failure && (
        <div class="alert alert-error" role="alert">
          {saver.status === "conflict" ? "Someone else saved this post in the meantime. Reload it to see their version before saving again." : failure.detail}
          {saver.status === "conflict" && saver.post && (
            <div>
              <a href={`/w/${workspace.id}/posts/${saver.post.id}`} onClick={() => location.reload()}>
                Reload the latest version
              </a>
            </div>
          )}
        </div>
      )}
      <div class="row">
        <Button variant="primary" onClick={() => void schedule()} disabled={reason !== null} aria-describedby="schedule-reason" busy={saver.status === "saving"}>
          {scheduled ? "Update schedule" : "Schedule"}
        </Button>
        <Button onClick={() => void saveDraft()}>{scheduled ? "Move to drafts" : "Save draft"}</Button>
        <span class="muted small save-state">{SAVE_LABEL[saver.status]}</span>
        {saver.post && canDelete && <DeletePost workspace={workspace} saver={saver} />}
      </div>
      <p id="schedule-reason" class="field-hint">
        {reason ? `Schedule is unavailable: ${reason}` : ""}
      </p>
      <StatusMessage>{done}</StatusMessage>
    </div>
  );
}

/** Deleting removes the post (and its channel targets) from Atelier at once; its media stay in the library. */
function DeletePost({ workspace, saver }: { workspace: Workspace; saver: ReturnType<typeof useAutosave> }) {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const post = saver.post;
  if (!post) return null;
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    saver.discard();
    try {
      await postsApi.remove(workspace.id, post.id);
      route(`/w/${encodeURIComponent(workspace.id)}/calendar`);
    } catch (e) {
      setError(toApiError(e).problem.detail);
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        Delete post
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Delete this post?">
        <FormAlert>{error}</FormAlert>
        <p>It is removed from Atelier at once, on every channel you chose. {post.status === "scheduled" ? "It will not be published." : ""} Its files stay in the media library.</p>
        <div class="dialog-actions">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void confirm()}>
            Delete post
          </Button>
        </div>
      </Dialog>
    </>
  );
}
