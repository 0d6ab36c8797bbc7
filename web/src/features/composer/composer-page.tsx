import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { connectionsApi } from "../../api/connections.ts";
import { postsApi } from "../../api/posts.ts";
import { toApiError } from "../../api/problem.ts";
import { LinkButton } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { Composer } from "./composer.tsx";
import "./composer.css";

function ComposerLoader({ workspace, postId, onCreated }: { workspace: Workspace; postId: string | undefined; onCreated: (post: Post) => void }) {
  const { query } = useLocation();
  const [channels, setChannels] = useState<Connection[] | null>(null);
  const [post, setPost] = useState<Post | null | undefined>(postId ? undefined : null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    connectionsApi.list(workspace.id).then(setChannels, (e) => setError(toApiError(e).problem.detail));
    if (postId) postsApi.get(workspace.id, postId).then(setPost, (e) => setError(toApiError(e).problem.detail));
  }, [workspace.id]);
  // A reconnected channel turns its "Reconnect" into "Retry" in the Publishing panel.
  useWorkspaceSignals((signal) => {
    if (signal.kind === "connection.changed") connectionsApi.list(workspace.id).then(setChannels, () => {});
  });

  if (error) {
    return (
      <section class="page narrow">
        <PageHeading title="Could not open the post">Could not open the post</PageHeading>
        <p class="alert alert-error">{error}</p>
        <LinkButton href={`/w/${workspace.id}/calendar`}>Back to the calendar</LinkButton>
      </section>
    );
  }
  if (!channels || post === undefined) return <Loading label="Loading the composer…" />;
  return <Composer workspace={workspace} channels={channels} initial={post} day={query.day} onCreated={onCreated} />;
}

/**
 * `/w/:id/compose` and `/w/:id/posts/:postId`. When a new post is first saved the URL becomes the
 * post's own without remounting, so the editor keeps its state (and focus) across that change.
 */
export default function ComposerPage({ params }: { params?: { postId?: string } }) {
  const { route } = useLocation();
  const postId = params?.postId;
  const adopted = useRef<{ id: string; key: string } | null>(null);
  const fresh = useRef(0);
  if (adopted.current && adopted.current.id !== postId) {
    adopted.current = null;
    fresh.current += 1;
  }
  const key = adopted.current?.key ?? postId ?? `new-${fresh.current}`;
  return (
    <WorkspaceGate>
      {(workspace) => (
        <ComposerLoader
          key={key}
          workspace={workspace}
          postId={postId}
          onCreated={(post) => {
            adopted.current = { id: post.id, key };
            route(`/w/${encodeURIComponent(workspace.id)}/posts/${encodeURIComponent(post.id)}`, true);
          }}
        />
      )}
    </WorkspaceGate>
  );
}
