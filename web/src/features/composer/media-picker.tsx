import { useEffect, useRef, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { mediaApi } from "../../api/media.ts";
import { toApiError } from "../../api/problem.ts";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/loading.tsx";
import { UploadPanel } from "../media/upload-panel.tsx";
import { useUploads } from "../media/use-uploads.ts";
import "../media/media.css";

/** The workspace's ready library files (first 100, newest first), for picking. */
export async function loadLibrary(workspaceId: string): Promise<Media[]> {
  const page = await mediaApi.list(workspaceId, {}, undefined, 100);
  return page.media.filter((m) => m.status === "ready");
}

function Thumb({ media }: { media: Media | undefined }) {
  if (!media) return <span class="media-thumb media-missing">File unavailable</span>;
  const src = media.kind === "video" ? media.posterUrl : media.url;
  return (
    <span class="media-thumb">
      {src ? <img src={src} alt={media.altText ?? media.name} loading="lazy" /> : <span class="media-missing">{media.name}</span>}
      {media.kind === "video" && <span class="media-kind" aria-label="Video">▶</span>}
    </span>
  );
}

interface MediaPickerProps {
  workspaceId: string;
  mediaIds: string[];
  library: Map<string, Media>;
  problems: string[];
  onChange: (ids: string[]) => void;
  onLibrary: (media: Media[]) => void;
}

/** The post's files in order: thumbnails with move and remove, and a library chooser. */
export function MediaPicker({ workspaceId, mediaIds, library, problems, onChange, onLibrary }: MediaPickerProps) {
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<Media[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  // Upload in place: a file finished here goes into the library and straight onto this post.
  const current = useRef(mediaIds);
  current.current = mediaIds;
  const uploads = useUploads(workspaceId, (media) => {
    onLibrary([media]);
    if (!current.current.includes(media.id)) onChange([...current.current, media.id]);
  });

  useEffect(() => {
    if (!open) return;
    setPicked([]);
    setError(null);
    loadLibrary(workspaceId).then(
      (list) => {
        setChoices(list);
        onLibrary(list);
      },
      (e) => setError(toApiError(e).problem.detail),
    );
  }, [open, workspaceId]);

  const move = (index: number, by: number) => {
    const next = [...mediaIds];
    const [item] = next.splice(index, 1);
    if (item === undefined) return;
    next.splice(index + by, 0, item);
    onChange(next);
  };

  return (
    <section class="composer-section media-picker" aria-labelledby="media-heading">
      <h2 id="media-heading" class="field-label">
        Media
      </h2>
      {mediaIds.length > 0 ? (
        <ol class="media-list" id="composer-media">
          {mediaIds.map((id, i) => {
            const m = library.get(id);
            const name = m?.name ?? `File ${i + 1}`;
            return (
              <li key={id} class="media-item">
                <Thumb media={m} />
                <span class="media-name">{name}</span>
                <span class="media-actions">
                  <button type="button" class="icon-btn" disabled={i === 0} aria-label={`Move ${name} earlier`} onClick={() => move(i, -1)}>
                    ←
                  </button>
                  <button type="button" class="icon-btn" disabled={i === mediaIds.length - 1} aria-label={`Move ${name} later`} onClick={() => move(i, 1)}>
                    →
                  </button>
                  <button type="button" class="icon-btn" aria-label={`Remove ${name}`} onClick={() => onChange(mediaIds.filter((x) => x !== id))}>
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      ) : (
        <p class="muted small" id="composer-media">
          No media yet.
        </p>
      )}
      {problems.length > 0 && <p class="field-error">⚠ {problems.join(" ")}</p>}
      <div class="row">
        <Button size="sm" onClick={() => setOpen(true)}>
          Add from library
        </Button>
        <a href={`/w/${encodeURIComponent(workspaceId)}/media`} class="small" target="_blank" rel="noopener">
          Open the library
        </a>
      </div>
      <UploadPanel uploads={uploads} />
      <Dialog open={open} onClose={() => setOpen(false)} title="Add media from the library">
        {error && <p class="alert alert-error">{error}</p>}
        {!choices && !error && <Loading label="Loading the library…" />}
        {choices && choices.length === 0 && <p>The library is empty. Upload files to the library first.</p>}
        {choices && choices.length > 0 && (
          <ul class="library-grid">
            {choices.map((m) => {
              const already = mediaIds.includes(m.id);
              return (
                <li key={m.id}>
                  <label class={`library-choice${already ? " library-used" : ""}`}>
                    <input
                      type="checkbox"
                      disabled={already}
                      checked={already || picked.includes(m.id)}
                      onChange={(e) => setPicked((p) => (e.currentTarget.checked ? [...p, m.id] : p.filter((x) => x !== m.id)))}
                    />
                    <Thumb media={m} />
                    <span class="media-name">{m.name}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
        <div class="dialog-actions">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            variant="primary"
            disabled={picked.length === 0}
            onClick={() => {
              onChange([...mediaIds, ...picked]);
              setOpen(false);
            }}
          >
            Add {picked.length || ""} {picked.length === 1 ? "file" : "files"}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
