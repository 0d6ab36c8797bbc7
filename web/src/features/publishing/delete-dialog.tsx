import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import { postsApi, type RemoveMode } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { liveTargets } from "./post-rules.ts";
import { removalOn, splitByRemoval } from "./remote-removal.ts";
import { PLATFORM_NAME } from "./target-states.ts";

interface DeleteDialogProps {
  workspaceId: string;
  post: Post;
  nameOf: (t: Target) => string;
  open: boolean;
  onClose: () => void;
  /** Called before the request, so the composer drops unsent edits instead of saving them on leaving. */
  onDeleting: () => void;
}

/**
 * Deleting a post that is live somewhere asks what happens to the live copies: kept (removed from
 * Atelier only) or also deleted on each platform whose API allows it. Each live channel says what its
 * platform does (remote-removal.ts); those that cannot be deleted by an app say where to do it by hand.
 */
export function DeleteDialog({ workspaceId, post, nameOf, open, onClose, onDeleting }: DeleteDialogProps) {
  const { route } = useLocation();
  const live = liveTargets(post);
  const { deleted } = splitByRemoval(live);
  const permanent = deleted.filter((t) => removalOn(t.platform).permanent);
  const [mode, setMode] = useState<RemoveMode>("here");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    onDeleting();
    try {
      await postsApi.remove(workspaceId, post.id, live.length ? mode : undefined);
      route(`/w/${encodeURIComponent(workspaceId)}/calendar`);
    } catch (e) {
      setError(toApiError(e).problem.detail);
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="Delete this post?">
      <FormAlert>{error}</FormAlert>
      {live.length === 0 ? (
        <p>It is removed from Atelier at once, on every channel. {post.status === "scheduled" ? "Nothing more will be published." : ""} Its files stay in the media library.</p>
      ) : (
        <fieldset class="remove-choice">
          <legend>
            It is live on {live.map(nameOf).join(", ")}. What should happen there?
          </legend>
          <label class="radio-option">
            <input type="radio" name="remove" value="here" checked={mode === "here"} onChange={() => setMode("here")} data-autofocus />
            <span>
              <strong>Remove from Atelier only</strong>
              <span class="field-hint">The live posts stay up; Atelier forgets them.</span>
            </span>
          </label>
          <label class="radio-option">
            <input type="radio" name="remove" value="platform" checked={mode === "platform"} disabled={deleted.length === 0} onChange={() => setMode("platform")} />
            <span>
              <strong>Also delete on the platforms</strong>
              <ul class="field-hint remove-list">
                {live.map((t) => (
                  <li key={t.id} data-testid={`remove-outcome-${t.connectionId}`}>
                    <strong>
                      {nameOf(t)} ({PLATFORM_NAME[t.platform]}):
                    </strong>{" "}
                    {removalOn(t.platform).outcome}
                  </li>
                ))}
              </ul>
            </span>
          </label>
          {mode === "platform" && permanent.length > 0 && (
            <p class="alert alert-warning" role="status">
              This cannot be undone on {permanent.map(nameOf).join(", ")}.
            </p>
          )}
        </fieldset>
      )}
      <div class="dialog-actions">
        <Button variant="ghost" onClick={onClose}>
          Keep the post
        </Button>
        <Button variant="danger" busy={busy} onClick={() => void confirm()}>
          Delete post
        </Button>
      </div>
    </Dialog>
  );
}
