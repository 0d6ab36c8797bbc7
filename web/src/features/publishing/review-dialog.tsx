import { useState } from "preact/hooks";
import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import { postsApi, type Attempt } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { TextInput } from "../../ui/field.tsx";
import { PLATFORM_NAME } from "./target-states.ts";

interface ReviewDialogProps {
  workspaceId: string;
  postId: string;
  target: Target | null;
  channelName: string;
  attempts: Attempt[] | null;
  onClose: () => void;
  onPost: (post: Post) => void;
}

const isUrl = (s: string) => URL.canParse(s) && /^https?:/i.test(s);

/**
 * Settles a channel whose go-live call lost its answer. The person checks the platform themselves:
 * "It's live" records it (with its link when they have it), "It's not there — retry" is the only way
 * to send it again, because retrying a post that did go live publishes it twice.
 */
export function ReviewDialog({ workspaceId, postId, target, channelName, attempts, onClose, onPost }: ReviewDialogProps) {
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState<"live" | "retry" | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [urlError, setUrlError] = useState<string | undefined>();
  const platform = target ? PLATFORM_NAME[target.platform] : "";
  const checks = attempts?.filter((a) => a.targetId === target?.id && a.step === "reconcile" && a.message) ?? [];

  const close = () => {
    setUrl("");
    setError(undefined);
    setUrlError(undefined);
    onClose();
  };
  const run = async (kind: "live" | "retry") => {
    if (!target) return;
    const link = url.trim();
    if (kind === "live" && link && !isUrl(link)) return setUrlError("Paste the post's full address, starting with https://, or leave it empty.");
    setUrlError(undefined);
    setBusy(kind);
    setError(undefined);
    try {
      const post =
        kind === "live"
          ? await postsApi.resolve(workspaceId, postId, target.id, link ? { outcome: "published", url: link } : { outcome: "published" })
          : await postsApi.retry(workspaceId, postId, target.id, true);
      onPost(post);
      close();
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog open={target !== null} onClose={close} title={`Did it go live on ${channelName}?`}>
      <FormAlert>{error}</FormAlert>
      <p>Atelier sent the post to {platform}, but the answer never came back, so it may or may not be live.</p>
      {target?.statusDetail && (
        <p>
          <strong>What Atelier checked:</strong> {target.statusDetail}
        </p>
      )}
      {checks.length > 0 && (
        <ul class="dialog-list small">
          {checks.map((a) => (
            <li key={a.id}>{a.message}</li>
          ))}
        </ul>
      )}
      <p class="alert alert-warning" data-testid="review-warning">
        <strong>
          Check {platform} first: only retry if the post is not there.
        </strong>{" "}
        Retrying a post that is already live publishes it twice.
      </p>
      <TextInput label="Link to the live post (optional)" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} error={urlError} hint="Found it? Paste its address so Atelier can link to it." />
      <div class="dialog-actions">
        <Button variant="ghost" onClick={close}>
          Not now
        </Button>
        <Button busy={busy === "retry"} onClick={() => void run("retry")}>
          It's not there — retry
        </Button>
        <Button variant="primary" busy={busy === "live"} onClick={() => void run("live")}>
          It's live
        </Button>
      </div>
    </Dialog>
  );
}
