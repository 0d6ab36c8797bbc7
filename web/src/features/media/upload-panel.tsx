import { useId, useRef, useState } from "preact/hooks";
import { Button } from "../../ui/button.tsx";
import { formatBytes, formatRemaining } from "./media-format.ts";
import type { UploadSnapshot } from "./upload-task.ts";
import type { UnfinishedUpload } from "./unfinished-uploads.ts";
import type { useUploads } from "./use-uploads.ts";

const ACCEPT = "image/*,video/*";

type Uploads = ReturnType<typeof useUploads>;

function statusLine(u: UploadSnapshot): string {
  const of = `${formatBytes(u.loaded)} of ${formatBytes(u.size)}`;
  switch (u.phase) {
    case "uploading":
      if (u.note) return u.note;
      return u.bytesPerSecond && u.bytesPerSecond > 0
        ? `${of} · ${formatBytes(u.bytesPerSecond)}/s · ${formatRemaining(u.size - u.loaded, u.bytesPerSecond)}`
        : of;
    case "paused":
      return u.resumable ? `Paused at ${of}. Resume sends only the rest.` : "Paused. Resume starts this file again.";
    case "processing":
      return u.note ?? "Processing…";
    case "done":
      return `Uploaded · ${formatBytes(u.size)}`;
    case "cancelled":
      return "Cancelled";
    case "failed":
      return u.error ?? "The upload failed.";
  }
}

function UploadRow({ upload: u, uploads }: { upload: UploadSnapshot; uploads: Uploads }) {
  const percent = u.size > 0 ? Math.floor((u.loaded / u.size) * 100) : 100;
  return (
    <li class={`upload-row upload-${u.phase}`}>
      <div class="upload-head">
        <span class="upload-name">{u.name}</span>
        <span class="muted small">{percent}%</span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label={`Uploading ${u.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%${u.phase === "paused" ? ", paused" : ""}`}
      >
        <span class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p class={u.phase === "failed" ? "field-error upload-status" : "muted small upload-status"} role={u.phase === "failed" ? "alert" : undefined}>
        {statusLine(u)}
      </p>
      <div class="upload-actions">
        {u.phase === "uploading" && (
          <Button size="sm" onClick={() => uploads.pause(u.id)} aria-label={`Pause ${u.name}`}>
            Pause
          </Button>
        )}
        {(u.phase === "paused" || u.phase === "failed") && (
          <Button size="sm" variant="primary" onClick={() => uploads.resume(u.id)} aria-label={`${u.phase === "failed" ? "Retry" : "Resume"} ${u.name}`}>
            {u.phase === "failed" ? "Retry" : "Resume"}
          </Button>
        )}
        {(u.phase === "uploading" || u.phase === "paused" || u.phase === "failed") && (
          <Button size="sm" variant="ghost" onClick={() => uploads.cancel(u.id)} aria-label={`Cancel ${u.name}`}>
            Cancel
          </Button>
        )}
        {(u.phase === "done" || u.phase === "cancelled") && (
          <Button size="sm" variant="ghost" onClick={() => uploads.dismiss(u.id)} aria-label={`Dismiss ${u.name}`}>
            Dismiss
          </Button>
        )}
      </div>
    </li>
  );
}

function UnfinishedRow({ entry, onPick, onDiscard }: { entry: UnfinishedUpload; onPick: () => void; onDiscard: () => void }) {
  return (
    <li class="upload-row upload-unfinished">
      <div class="upload-head">
        <span class="upload-name">{entry.name}</span>
        <span class="muted small">{formatBytes(entry.size)}</span>
      </div>
      <p class="muted small upload-status">
        Not finished when this page was last closed. Choose the same file again to resume: only the missing parts are sent.
      </p>
      <div class="upload-actions">
        <Button size="sm" variant="primary" onClick={onPick} aria-label={`Resume ${entry.name}`}>
          Resume
        </Button>
        <Button size="sm" variant="ghost" onClick={onDiscard} aria-label={`Discard ${entry.name}`}>
          Discard
        </Button>
      </div>
    </li>
  );
}

/** Drop zone, file picker and one row per upload (with Resume rows for uploads a closed tab left behind). */
export function UploadPanel({ uploads }: { uploads: Uploads }) {
  const inputId = `upload${useId()}`;
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = e.dataTransfer?.files;
    if (files && files.length > 0) uploads.add(files);
  };

  return (
    <section class="card upload-panel" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`} class="visually-hidden">
        Upload
      </h2>
      <div
        class={`drop-zone${over ? " drop-zone-over" : ""}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={onDrop}
      >
        <span class="drop-glyph" aria-hidden="true">
          ⇪
        </span>
        <p class="drop-text">
          <strong>Drop images or videos here</strong> <span class="muted">or</span>{" "}
          <Button size="sm" variant="primary" onClick={() => input.current?.click()} aria-describedby={`${inputId}-hint`}>
            Choose files
          </Button>
        </p>
        <input
          ref={input}
          id={inputId}
          hidden
          type="file"
          multiple
          accept={ACCEPT}
          aria-label="Files to upload"
          onChange={(e) => {
            const files = e.currentTarget.files;
            if (files && files.length > 0) uploads.add([...files]);
            e.currentTarget.value = "";
          }}
        />
        <p id={`${inputId}-hint`} class="muted small drop-hint">
          Images and videos. Large files upload in parts and can be paused, and resumed even after closing this page.
        </p>
      </div>
      {(uploads.unfinished.length > 0 || uploads.rows.length > 0) && (
        <ul class="upload-list" aria-label="Uploads">
          {uploads.unfinished.map((u) => (
            <UnfinishedRow key={u.mediaId} entry={u} onPick={() => input.current?.click()} onDiscard={() => void uploads.discard(u)} />
          ))}
          {uploads.rows.map((u) => (
            <UploadRow key={u.id} upload={u} uploads={uploads} />
          ))}
        </ul>
      )}
    </section>
  );
}
