import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import { postsApi } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { DeleteDialog } from "./delete-dialog.tsx";
import { canCancel, canPostNow, liveTargets } from "./post-rules.ts";

interface PostActionsProps {
  workspaceId: string;
  post: Post;
  nameOf: (t: Target) => string;
  onPost: (post: Post) => void;
  onDeleting: () => void;
}

type Busy = "now" | "cancel" | "duplicate" | null;

/** Post now, Cancel (asks first), Duplicate and Delete for the whole post. */
export function PostActions({ workspaceId, post, nameOf, onPost, onDeleting }: PostActionsProps) {
  const { route } = useLocation();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState("");
  const [confirming, setConfirming] = useState<"cancel" | "delete" | null>(null);

  const run = async (kind: Exclude<Busy, null>, action: () => Promise<void>) => {
    setBusy(kind);
    setError(undefined);
    setDone("");
    try {
      await action();
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(null);
    }
  };

  const postNow = () =>
    run("now", async () => {
      onPost(await postsApi.publishNow(workspaceId, post.id));
      setDone("Publishing now. Each channel's state updates here as it goes live.");
    });

  // Cancelling is about intent, not content: when a teammate saved in between (409), cancel their version.
  const cancel = () =>
    run("cancel", async () => {
      setConfirming(null);
      let saved: Post;
      try {
        saved = await postsApi.cancel(workspaceId, post.id, post.revision);
      } catch (e) {
        if (toApiError(e).status !== 409) throw e;
        const latest = await postsApi.load(workspaceId, post.id);
        saved = await postsApi.cancel(workspaceId, post.id, latest.revision);
      }
      onPost(saved);
      setDone("Cancelled: channels not yet published will not be published.");
    });

  const duplicate = () =>
    run("duplicate", async () => {
      const copy = await postsApi.duplicate(workspaceId, post.id);
      route(`/w/${encodeURIComponent(workspaceId)}/posts/${encodeURIComponent(copy.id)}`);
    });

  const live = liveTargets(post);
  return (
    <div class="post-actions">
      <FormAlert>{error}</FormAlert>
      <div class="row">
        {canPostNow(post) && (
          <Button variant="primary" busy={busy === "now"} onClick={() => void postNow()} data-testid="post-now">
            Post now
          </Button>
        )}
        {canCancel(post) && (
          <Button busy={busy === "cancel"} onClick={() => setConfirming("cancel")} data-testid="post-cancel">
            Cancel post
          </Button>
        )}
        <Button busy={busy === "duplicate"} onClick={() => void duplicate()} data-testid="post-duplicate">
          Duplicate
        </Button>
        <Button variant="ghost" onClick={() => setConfirming("delete")} data-testid="post-delete">
          Delete post
        </Button>
      </div>
      <StatusMessage>{done}</StatusMessage>
      <Dialog open={confirming === "cancel"} onClose={() => setConfirming(null)} title="Cancel this post?">
        <p>
          Channels that have not gone live yet will not be published.
          {live.length > 0 && ` It stays live on ${live.map(nameOf).join(", ")}.`} You can duplicate it later to schedule it again.
        </p>
        <div class="dialog-actions">
          <Button variant="ghost" onClick={() => setConfirming(null)} data-autofocus>
            Keep it scheduled
          </Button>
          <Button variant="danger" onClick={() => void cancel()}>
            Cancel post
          </Button>
        </div>
      </Dialog>
      <DeleteDialog workspaceId={workspaceId} post={post} nameOf={nameOf} open={confirming === "delete"} onClose={() => setConfirming(null)} onDeleting={onDeleting} />
    </div>
  );
}
