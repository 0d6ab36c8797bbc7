import { useEffect, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { mediaApi } from "../../api/media.ts";
import { toApiError } from "../../api/problem.ts";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/loading.tsx";
import { loadLibrary } from "./media-picker.tsx";
import { thumbnailProblem } from "./youtube-choices.ts";

interface ThumbnailPickerProps {
  workspaceId: string;
  fieldId: string;
  mediaId: string | null;
  messages: string[];
  onChange: (mediaId: string | null) => void;
}

/** The chosen thumbnail's library file, fetched when it is not the one just picked. */
function useChosen(workspaceId: string, mediaId: string | null, picked: Media | null): Media | null {
  const [loaded, setLoaded] = useState<Media | null>(null);
  useEffect(() => {
    if (!mediaId || picked?.id === mediaId) return;
    mediaApi.get(workspaceId, mediaId).then(setLoaded, () => setLoaded(null));
  }, [workspaceId, mediaId]);
  if (!mediaId) return null;
  if (picked?.id === mediaId) return picked;
  return loaded?.id === mediaId ? loaded : null;
}

/** A custom thumbnail for the YouTube video: an image of the library, uploaded to YouTube after the video. */
export function YoutubeThumbnailPicker({ workspaceId, fieldId, mediaId, messages, onChange }: ThumbnailPickerProps) {
  const [open, setOpen] = useState(false);
  const [images, setImages] = useState<Media[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Media | null>(null);
  const chosen = useChosen(workspaceId, mediaId, picked);

  useEffect(() => {
    if (!open) return;
    setError(null);
    loadLibrary(workspaceId).then(
      (list) => setImages(list.filter((m) => m.kind === "image")),
      (e) => setError(toApiError(e).problem.detail),
    );
  }, [open, workspaceId]);

  const pick = (m: Media) => {
    setPicked(m);
    onChange(m.id);
    setOpen(false);
  };

  return (
    <div class={`field${messages.length ? " field-invalid" : ""}`}>
      <p class="field-label" id={`${fieldId}-label`}>
        Thumbnail
      </p>
      <div class="thumbnail-choice">
        {chosen ? (
          <img class="thumbnail-preview" src={chosen.url} alt={`Thumbnail: ${chosen.altText ?? chosen.name}`} />
        ) : (
          <span class="muted small">{mediaId ? "Loading the chosen image…" : "None: YouTube picks a frame of the video."}</span>
        )}
        <Button size="sm" id={fieldId} onClick={() => setOpen(true)} aria-describedby={messages.length ? `${fieldId}-error` : undefined}>
          {mediaId ? "Change thumbnail" : "Choose a thumbnail"}
        </Button>
        {mediaId && (
          <Button size="sm" variant="ghost" onClick={() => onChange(null)}>
            Remove thumbnail
          </Button>
        )}
      </div>
      <p class="field-hint">A JPEG or PNG image from the library, at most 2 MB (1280×720 looks best).</p>
      {messages.length > 0 && (
        <p id={`${fieldId}-error`} class="field-error">
          ⚠ {messages.join(" ")}
        </p>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} title="Choose a YouTube thumbnail">
        {error && <p class="alert alert-error">{error}</p>}
        {!images && !error && <Loading label="Loading the library's images…" />}
        {images && images.length === 0 && <p>The library has no images yet. Upload a JPEG or PNG to the library first.</p>}
        {images && images.length > 0 && (
          <ul class="library-grid">
            {images.map((m) => {
              const problem = thumbnailProblem(m);
              return (
                <li key={m.id}>
                  <button type="button" class="thumbnail-option" disabled={problem !== null} aria-pressed={m.id === mediaId} onClick={() => pick(m)}>
                    <img src={m.url} alt="" loading="lazy" />
                    <span class="media-name">{m.name}</span>
                    {problem && <span class="small muted">{problem}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <div class="dialog-actions">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
