import { useLocation } from "preact-iso";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { DualTime } from "../../ui/time.tsx";
import { keepFocusNear } from "./keep-focus.ts";
import { PostActions } from "./post-actions.tsx";
import { ReviewDialog } from "./review-dialog.tsx";
import { STATE_LABEL } from "./target-states.ts";
import { TargetRow } from "./target-row.tsx";
import { useAttempts } from "./use-attempts.ts";
import "./publishing.css";

interface PublishingPanelProps {
  workspace: Workspace;
  post: Post;
  channels: Map<string, Connection>;
  nameOf: (t: Target) => string;
  ledgerVersion: number;
  error: string | null;
  onPost: (post: Post) => void;
  onDeleting: () => void;
}

/** Ticks every 30 s so "next try in 5 minutes" stays true while the page is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** "Acme Page: Published" for every channel whose state changed since the last render, for screen readers. */
function useStateAnnouncement(post: Post, nameOf: (t: Target) => string): string {
  const previous = useRef(new Map(post.targets.map((t) => [t.id, t.state])));
  const [message, setMessage] = useState("");
  useEffect(() => {
    const changed = post.targets.filter((t) => previous.current.get(t.id) !== undefined && previous.current.get(t.id) !== t.state);
    previous.current = new Map(post.targets.map((t) => [t.id, t.state]));
    if (changed.length) setMessage(changed.map((t) => `${nameOf(t)}: ${STATE_LABEL[t.state]}`).join(". "));
  }, [post]);
  return message;
}

/** Where each channel of a scheduled (or published, or stuck) post stands, with the fix for each. */
export function PublishingPanel({ workspace, post, channels, nameOf, ledgerVersion, error, onPost, onDeleting }: PublishingPanelProps) {
  const { query } = useLocation();
  const now = useNow();
  const attempts = useAttempts(workspace.id, post.id, ledgerVersion);
  const [reviewId, setReviewId] = useState<string | null>(() => query.review ?? null);
  const announcement = useStateAnnouncement(post, nameOf);
  const adopt = (latest: Post) => {
    onPost(latest);
    keepFocusNear("publishing-heading");
  };
  const reviewing = useMemo(() => post.targets.find((t) => t.id === reviewId && t.state === "unconfirmed") ?? null, [post, reviewId]);

  // A notification's "Review" links here with ?review=<targetId>, also while this post is already open.
  useEffect(() => {
    if (query.review) setReviewId(query.review);
  }, [query.review]);

  // The review dialog lists what the engine checked: it needs the attempt history.
  useEffect(() => {
    if (reviewing) attempts.want();
  }, [reviewing?.id]);

  return (
    <section class="card publishing" aria-labelledby="publishing-heading" data-testid="publishing-panel">
      <div class="publishing-head">
        <h2 id="publishing-heading" tabIndex={-1}>
          Publishing
        </h2>
        {post.scheduledAt && (
          <p class="muted small publishing-when">
            {post.status === "cancelled" ? "Was scheduled for" : "Scheduled for"} <DualTime at={post.scheduledAt} workspaceZone={workspace.timezone} />
          </p>
        )}
      </div>
      {error && <p class="alert alert-warning">Could not refresh the publishing state: {error}</p>}
      <ul class="target-list">
        {post.targets.map((t) => (
          <TargetRow
            key={t.id}
            workspaceId={workspace.id}
            workspaceZone={workspace.timezone}
            post={post}
            target={t}
            channel={channels.get(t.connectionId)}
            now={now}
            attempts={{ list: attempts.attempts, error: attempts.error, want: attempts.want }}
            onPost={adopt}
            onReview={(target) => setReviewId(target.id)}
          />
        ))}
      </ul>
      <PostActions workspaceId={workspace.id} post={post} nameOf={nameOf} onPost={adopt} onDeleting={onDeleting} />
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ReviewDialog
        workspaceId={workspace.id}
        postId={post.id}
        target={reviewing}
        channelName={reviewing ? nameOf(reviewing) : ""}
        attempts={attempts.attempts}
        onClose={() => {
          setReviewId(null);
          keepFocusNear("publishing-heading");
        }}
        onPost={adopt}
      />
    </section>
  );
}
