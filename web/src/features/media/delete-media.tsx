import { useEffect, useRef, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { type MediaUsage, mediaApi, usageOf } from "../../api/media.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { formatDateTime, viewerTimeZone } from "../../ui/time.tsx";

interface DeleteMediaProps {
  workspaceId: string;
  media: Media;
  onCancel: () => void;
  onDeleted: (m: Media) => void;
}

/**
 * Asks before deleting. When scheduled posts still use the file the server refuses (409) and lists them;
 * the person sees where it is used and confirms a second time.
 */
export function DeleteMedia({ workspaceId, media, onCancel, onDeleted }: DeleteMediaProps) {
  const [usage, setUsage] = useState<MediaUsage | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [usage]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await mediaApi.remove(workspaceId, media.id, usage !== null);
      onDeleted(media);
    } catch (e) {
      const used = usageOf(e);
      if (used && usage === null) setUsage(used);
      else setError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack-sm delete-media">
      <h3 ref={heading} tabIndex={-1}>
        {usage ? "This file is used by scheduled posts" : `Delete ${media.name}?`}
      </h3>
      <FormAlert>{error}</FormAlert>
      {usage ? (
        <>
          <p>Deleting it removes it from these posts too, so they publish without it:</p>
          <ul class="usage-list">
            {usage.posts.map((p) => (
              <li key={p.postId}>
                <span class="usage-excerpt">{p.excerpt || "(no text)"}</span>
                <span class="muted small">
                  {p.status}
                  {p.scheduledAt && ` · ${formatDateTime(p.scheduledAt, viewerTimeZone())}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>The file is removed from the library for everyone in this workspace. This cannot be undone.</p>
      )}
      <div class="row">
        <Button onClick={onCancel}>Keep it</Button>
        <Button variant="danger" busy={busy} onClick={() => void remove()}>
          {usage ? "Delete anyway" : "Delete"}
        </Button>
      </div>
    </div>
  );
}
