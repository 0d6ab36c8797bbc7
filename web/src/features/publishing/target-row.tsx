import type { ComponentType } from "preact";
import { useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import { postsApi, type Attempt } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { StatusMessage } from "../../ui/alert.tsx";
import { Avatar } from "../../ui/avatar.tsx";
import { Button, LinkButton } from "../../ui/button.tsx";
import { DualTime, viewerTimeZone } from "../../ui/time.tsx";
import { PlatformMark } from "../accounts/platform-mark.tsx";
import { AttemptHistory } from "./attempt-history.tsx";
import { nextTryText } from "./next-try.ts";
import { StateBadge } from "./state-badge.tsx";
import { fixFor, isLive, PLATFORM_NAME } from "./target-states.ts";
import type { YoutubeEditDialogProps } from "./youtube-edit-dialog.tsx";

interface TargetRowProps {
  workspaceId: string;
  workspaceZone: string;
  post: Post;
  target: Target;
  channel: Connection | undefined;
  now: Date;
  attempts: { list: Attempt[] | null; error: string | null; want: () => void };
  onPost: (post: Post) => void;
  onReview: (target: Target) => void;
}

/** One channel of the post: who, its state, when, what happened, and the button that fixes it. */
export function TargetRow({ workspaceId, workspaceZone, post, target: t, channel, now, attempts, onPost, onReview }: TargetRowProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = channel?.name ?? PLATFORM_NAME[t.platform];
  const fix = fixFor(t.state, channel?.status);
  const editable = t.platform === "youtube" && isLive(t);
  // The edit form is its own chunk: most rows never open it.
  const [EditDialog, setEditDialog] = useState<ComponentType<YoutubeEditDialogProps> | null>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState("");

  const openEdit = async () => {
    setError(null);
    setSaved("");
    try {
      if (!EditDialog) {
        const { YoutubeEditDialog } = await import("./youtube-edit-dialog.tsx");
        setEditDialog(() => YoutubeEditDialog);
      }
      setEditing(true);
    } catch {
      setError("The edit form could not be loaded. Reload the page and try again.");
    }
  };

  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      onPost(await postsApi.retry(workspaceId, post.id, t.id));
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class={`target-row ch-${t.platform}`} id={`target-${t.id}`} data-connection-id={t.connectionId}>
      <div class="target-who">
        <span class="chip-avatar">
          <Avatar name={name} src={channel?.avatarUrl} size="sm" label="" />
          <PlatformMark platform={t.platform} />
        </span>
        <span class="target-name">
          <strong>{name}</strong>
          <span class="muted small">{PLATFORM_NAME[t.platform]}</span>
        </span>
        <StateBadge state={t.state} testId={`target-state-${t.connectionId}`} />
      </div>
      <div class="target-facts small">
        {t.publishedAt ? (
          <p>
            <span class="fact-label">Published</span> <DualTime at={t.publishedAt} workspaceZone={workspaceZone} />
          </p>
        ) : (
          t.dueAt && (
            <p>
              <span class="fact-label">Due</span> <DualTime at={t.dueAt} workspaceZone={workspaceZone} />
            </p>
          )
        )}
        {t.statusDetail && <p class="target-detail">{t.statusDetail}</p>}
        {t.nextAttemptAt && <p class="target-next">{nextTryText(t.nextAttemptAt, now, viewerTimeZone())}</p>}
        {t.remoteDeletedAt && <p class="muted">Deleted on {PLATFORM_NAME[t.platform]} through Atelier.</p>}
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        {editable && <StatusMessage>{saved}</StatusMessage>}
      </div>
      <div class="target-actions">
        {t.remoteUrl && !t.remoteDeletedAt && (
          <a class="btn btn-sm btn-secondary" href={t.remoteUrl} target="_blank" rel="noopener noreferrer" data-testid={`target-link-${t.connectionId}`}>
            View post<span class="visually-hidden"> on {name} (opens in a new tab)</span>
          </a>
        )}
        {editable && (
          <Button size="sm" onClick={() => void openEdit()} data-testid={`target-edit-${t.connectionId}`}>
            Edit on YouTube<span class="visually-hidden"> ({name})</span>
          </Button>
        )}
        {fix === "retry" && (
          <Button size="sm" variant="primary" busy={busy} onClick={() => void retry()} data-testid={`target-retry-${t.connectionId}`}>
            Retry<span class="visually-hidden"> {name}</span>
          </Button>
        )}
        {fix === "reconnect" && (
          <LinkButton size="sm" variant="primary" href={`/w/${encodeURIComponent(workspaceId)}/accounts`} data-testid={`target-reconnect-${t.connectionId}`}>
            Reconnect<span class="visually-hidden"> {name}</span>
          </LinkButton>
        )}
        {fix === "review" && (
          <Button size="sm" variant="primary" onClick={() => onReview(t)} data-testid={`target-review-${t.connectionId}`}>
            Review<span class="visually-hidden"> {name}</span>
          </Button>
        )}
      </div>
      {EditDialog && (
        <EditDialog workspaceId={workspaceId} postId={post.id} targetId={t.id} channelName={name} open={editing} onClose={() => setEditing(false)} onSaved={setSaved} />
      )}
      {t.state !== "draft" && <AttemptHistory channelName={name} targetId={t.id} attempts={attempts.list} error={attempts.error} onOpen={attempts.want} />}
    </li>
  );
}
