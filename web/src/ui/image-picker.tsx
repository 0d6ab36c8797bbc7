import { useEffect, useId, useRef, useState } from "preact/hooks";
import { Avatar } from "./avatar.tsx";
import { Button } from "./button.tsx";

const TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
const MAX_BYTES = 2 * 1024 * 1024;

interface ImagePickerProps {
  /** Visible label, e.g. "Logo" or "Profile photo". */
  label: string;
  /** Name used for the fallback initials and alt text. */
  name: string;
  currentUrl: string | null;
  onUpload: (file: File) => Promise<void>;
  onRemove: () => Promise<void>;
  /** Message from the server for the last upload or removal. */
  error?: string | undefined;
  shape?: "round" | "square";
}

/** Choose → preview → upload. Checks type and size before sending; the server checks again. */
export function ImagePicker({ label, name, currentUrl, onUpload, onRemove, error, shape = "round" }: ImagePickerProps) {
  const inputId = `img${useId()}`;
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"upload" | "remove" | null>(null);

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = (picked: File | undefined) => {
    setLocalError(null);
    if (!picked) return;
    if (!TYPES.includes(picked.type)) return setLocalError("Choose a PNG, JPEG, WebP or GIF image.");
    if (picked.size > MAX_BYTES) return setLocalError("Choose an image of at most 2 MB.");
    setFile(picked);
    setPreview(URL.createObjectURL(picked));
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    if (input.current) input.current.value = "";
  };

  const run = async (kind: "upload" | "remove") => {
    setBusy(kind);
    try {
      if (kind === "upload" && file) await onUpload(file);
      if (kind === "remove") await onRemove();
      reset();
    } catch {
      // The caller renders the server's message through `error`.
    } finally {
      setBusy(null);
    }
  };

  const message = localError ?? error;
  const shown = preview ?? currentUrl;
  return (
    <div class={`image-picker image-picker-${shape}`}>
      <div class="image-picker-preview">
        {shown ? (
          <img src={shown} alt={preview ? `Preview of the new ${label.toLowerCase()}` : `Current ${label.toLowerCase()}`} />
        ) : (
          <Avatar name={name} size="xl" label={`No ${label.toLowerCase()} yet`} />
        )}
      </div>
      <div class="image-picker-controls">
        <label for={inputId} class="field-label">
          {label}
        </label>
        <input
          ref={input}
          id={inputId}
          class="file-input"
          type="file"
          accept={TYPES.join(",")}
          aria-invalid={message ? true : undefined}
          aria-describedby={`${inputId}-hint${message ? ` ${inputId}-error` : ""}`}
          onChange={(e) => choose(e.currentTarget.files?.[0])}
        />
        <p id={`${inputId}-hint`} class="field-hint">
          PNG, JPEG, WebP or GIF, up to 2 MB.
        </p>
        {message && (
          <p id={`${inputId}-error`} class="field-error" role="alert">
            {message}
          </p>
        )}
        <div class="row">
          {file && (
            <>
              <Button variant="primary" size="sm" busy={busy === "upload"} onClick={() => run("upload")}>
                Upload {label.toLowerCase()}
              </Button>
              <Button size="sm" variant="ghost" onClick={reset}>
                Cancel
              </Button>
            </>
          )}
          {!file && currentUrl && (
            <Button size="sm" variant="ghost" busy={busy === "remove"} onClick={() => run("remove")}>
              Remove {label.toLowerCase()}
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
