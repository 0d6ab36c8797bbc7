import { useState } from "preact/hooks";
import type { Notification } from "../../../../worker/contracts/posts.ts";
import { postsApi } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { Button, LinkButton } from "../../ui/button.tsx";
import { formatDateTime, formatRelative, viewerTimeZone } from "../../ui/time.tsx";
import { fixHref } from "./notification-text.ts";

interface NotificationItemProps {
  workspaceId: string;
  notification: Notification;
  onDismiss: (n: Notification) => void;
  /** Closes the popover when a fix takes the person to another page. */
  onNavigate: () => void;
  onRetried: () => void;
}

const ACTION_LABEL = { retry: "Retry", reconnect: "Reconnect", review: "Review" } as const;

/** One notification: what happened, when, and the button that fixes it. */
export function NotificationItem({ workspaceId, notification: n, onDismiss, onNavigate, onRetried }: NotificationItemProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const href = fixHref(workspaceId, n);
  const canRetryHere = n.action === "retry" && n.postId && n.targetId;

  const retry = async () => {
    if (!n.postId || !n.targetId) return;
    setBusy(true);
    setError(null);
    try {
      await postsApi.retry(workspaceId, n.postId, n.targetId);
      setDone(true);
      onRetried();
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class={`notification notification-${n.kind}`} data-testid={`notification-${n.id}`}>
      <p class="notification-title">{n.title}</p>
      <p class="notification-body">{n.body}</p>
      <time class="notification-time" dateTime={n.createdAt} title={formatDateTime(n.createdAt, viewerTimeZone())}>
        {formatRelative(n.createdAt)}
      </time>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {done && <p class="status status-success">Sent again.</p>}
      <div class="notification-actions">
        {canRetryHere ? (
          <Button size="sm" variant="primary" busy={busy} disabled={done} onClick={() => void retry()}>
            Retry<span class="visually-hidden">: {n.title}</span>
          </Button>
        ) : (
          href && (
            <LinkButton size="sm" variant="primary" href={href} onClick={onNavigate}>
              {ACTION_LABEL[n.action]}
              <span class="visually-hidden">: {n.title}</span>
            </LinkButton>
          )
        )}
        {n.postId && n.action === "retry" && (
          <a class="small" href={fixHref(workspaceId, { action: "review", postId: n.postId, targetId: null }) ?? undefined} onClick={onNavigate}>
            Open post
          </a>
        )}
        <Button size="sm" variant="ghost" onClick={() => onDismiss(n)}>
          Dismiss<span class="visually-hidden">: {n.title}</span>
        </Button>
      </div>
    </li>
  );
}
