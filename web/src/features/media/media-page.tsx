import { useMemo, useRef, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import type { MediaFilter } from "../../api/media.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useMe } from "../auth/session.tsx";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { MediaDetail } from "./media-detail.tsx";
import { MediaFilters } from "./media-filters.tsx";
import { MediaGrid } from "./media-grid.tsx";
import { UploadPanel } from "./upload-panel.tsx";
import { useMediaLibrary } from "./use-media-library.ts";
import { useUploads } from "./use-uploads.ts";
import "./media.css";

function Library({ workspace }: { workspace: Workspace }) {
  const me = useMe();
  // Mirrors the server: contributors add files and edit their own; editors and above edit any.
  const canUpload = workspace.role !== "viewer";
  const canEdit = (m: Media) => ["owner", "admin", "editor"].includes(workspace.role) || (canUpload && m.createdBy?.id === me.id);
  const [filter, setFilter] = useState<MediaFilter>({});
  const library = useMediaLibrary(workspace.id, filter);
  const uploads = useUploads(workspace.id, library.upsert);
  const [opened, setOpened] = useState<Media | null>(null);
  const [status, setStatus] = useState("");

  useWorkspaceSignals((signal) => {
    if (signal.kind === "resync") void library.reload();
    if (signal.kind !== "media.changed") return;
    if (signal.deleted) library.drop(signal.mediaId);
    else void library.refreshOne(signal.mediaId);
  });

  // Tags seen so far stay offered while a filter narrows the list (there is no endpoint listing them).
  const seenTags = useRef(new Set<string>());
  const tags = useMemo(() => {
    for (const m of library.media ?? []) for (const t of m.tags) seenTags.current.add(t);
    return [...seenTags.current].sort((a, b) => a.localeCompare(b));
  }, [library.media]);
  // The list's copy is the freshest (live updates); the opened one survives an edit that filters it out.
  const open = opened ? (library.media?.find((m) => m.id === opened.id) ?? opened) : null;
  const filtered = Boolean(filter.q || filter.kind || filter.tag);

  const onDeleted = (m: Media) => {
    setOpened(null);
    library.drop(m.id);
    setStatus(`${m.name} was deleted.`);
    document.querySelector<HTMLElement>("h1")?.focus();
  };

  return (
    <section class="page">
      <PageHeading title={`Media · ${workspace.name}`} subtitle="Images and videos for this workspace's posts.">
        Media
      </PageHeading>
      {canUpload ? <UploadPanel uploads={uploads} /> : <p class="muted">Your role can browse the library but not upload to it.</p>}
      <MediaFilters filter={filter} tags={tags} onChange={setFilter} />
      <StatusMessage>{status}</StatusMessage>
      <FormAlert>{library.error?.problem.detail}</FormAlert>
      {library.error && !library.media && (
        <div>
          <Button onClick={() => void library.reload()}>Try again</Button>
        </div>
      )}
      {!library.media ? (
        !library.error && <Loading label="Loading the library…" />
      ) : library.media.length === 0 ? (
        <p class="card empty-note">
          {filtered ? "No files match these filters." : canUpload ? "The library is empty. Upload images or videos above." : "The library is empty."}
        </p>
      ) : (
        <>
          <MediaGrid media={library.media} onOpen={setOpened} />
          {library.hasMore && (
            <div class="center row">
              <Button busy={library.loadingMore} onClick={() => void library.loadMore()}>
                {library.loadingMore ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
      <MediaDetail
        workspaceId={workspace.id}
        media={open}
        canEdit={open ? canEdit(open) : false}
        onClose={() => setOpened(null)}
        onSaved={(m) => {
          library.upsert(m);
          setOpened(m);
        }}
        onDeleted={onDeleted}
      />
    </section>
  );
}

export default function MediaPage() {
  return <WorkspaceGate>{(workspace) => <Library workspace={workspace} />}</WorkspaceGate>;
}
