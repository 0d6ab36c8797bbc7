import { useEffect, useId, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { mediaApi } from "../../api/media.ts";
import { toApiError } from "../../api/problem.ts";
import { useSubmit } from "../../forms/use-submit.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { TextInput } from "../../ui/field.tsx";
import { formatDateTime, viewerTimeZone } from "../../ui/time.tsx";
import { DeleteMedia } from "./delete-media.tsx";
import { dimensions, formatBytes, formatDuration, kindLabel } from "./media-format.ts";
import { TagsEditor } from "./tags-editor.tsx";

interface MediaDetailProps {
  workspaceId: string;
  media: Media | null;
  canEdit: boolean;
  onClose: () => void;
  onSaved: (m: Media) => void;
  onDeleted: (m: Media) => void;
}

function Preview({ media: m }: { media: Media }) {
  if (m.kind === "video") {
    // The content URL answers Range requests, so the browser can seek without downloading everything.
    return <video class="detail-preview" src={m.url} poster={m.posterUrl ?? undefined} controls preload="metadata" aria-label={`Video: ${m.name}`} />;
  }
  if (m.kind === "image") return <img class="detail-preview" src={m.url} alt={m.altText ?? ""} width={m.width ?? undefined} height={m.height ?? undefined} />;
  return <p class="muted">This file is still uploading.</p>;
}

function Facts({ media: m }: { media: Media }) {
  const rows: [string, string | null][] = [
    ["Kind", [kindLabel(m), m.mimeType].filter(Boolean).join(" · ")],
    ["Dimensions", dimensions(m)],
    ["Size", formatBytes(m.sizeBytes)],
    ["Duration", m.durationMs !== null ? formatDuration(m.durationMs) : null],
    ["Codecs", [m.videoCodec, m.audioCodec].filter(Boolean).join(" + ") || null],
    ["Frame rate", m.frameRateMilli ? `${(m.frameRateMilli / 1000).toFixed(2).replace(/\.?0+$/, "")} fps` : null],
    ["Uploaded", `${formatDateTime(m.createdAt, viewerTimeZone())}${m.createdBy ? ` by ${m.createdBy.name}` : ""}`],
  ];
  return (
    <dl class="media-facts">
      {rows
        .filter((r): r is [string, string] => r[1] !== null)
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

function PublicLink({ workspaceId, media }: { workspaceId: string; media: Media }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const copy = async () => {
    setBusy(true);
    setError(null);
    setMessage("");
    try {
      const created = await mediaApi.publicUrl(workspaceId, media.id);
      const url = new URL(created.url, location.origin).href;
      setLink({ url, expiresAt: created.expiresAt });
      await navigator.clipboard.writeText(url).then(
        () => setMessage("Public link copied. Anyone with it can open this file until it expires."),
        () => setMessage("Copy the link below. Anyone with it can open this file until it expires."),
      );
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack-sm">
      <Button size="sm" busy={busy} onClick={() => void copy()}>
        Copy public link
      </Button>
      <StatusMessage>{message}</StatusMessage>
      <FormAlert>{error}</FormAlert>
      {link && (
        <TextInput label="Public link" value={link.url} readOnly onFocus={(e) => e.currentTarget.select()} hint={`Expires ${formatDateTime(link.expiresAt, viewerTimeZone())}.`} />
      )}
    </div>
  );
}

function EditForm({ workspaceId, media, onSaved }: { workspaceId: string; media: Media; onSaved: (m: Media) => void }) {
  const altId = `alt${useId()}`;
  const form = useSubmit();
  const [name, setName] = useState(media.name);
  const [alt, setAlt] = useState(media.altText ?? "");
  const [tags, setTags] = useState(media.tags);
  const [saved, setSaved] = useState("");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    setSaved("");
    void form.submit(async () => {
      const updated = await mediaApi.update(workspaceId, media.id, { name: name.trim(), altText: alt.trim() || null, tags });
      onSaved(updated);
      setSaved("Changes saved.");
    });
  };
  const altError = form.errors.altText;
  return (
    <form ref={form.formRef} class="stack" onSubmit={onSubmit} onInput={form.onInput} noValidate>
      <FormAlert alertRef={form.alertRef}>{form.problem && !Object.keys(form.errors).length ? form.problem.detail : null}</FormAlert>
      <TextInput label="Name" name="name" value={name} maxLength={200} required error={form.errors.name} onInput={(e) => setName(e.currentTarget.value)} />
      <div class={`field${altError ? " field-invalid" : ""}`}>
        <label for={altId} class="field-label">
          Alt text
        </label>
        <textarea
          id={altId}
          name="altText"
          class="input textarea"
          rows={3}
          maxLength={1000}
          value={alt}
          aria-invalid={altError ? true : undefined}
          aria-describedby={`${altId}-hint${altError ? ` ${altId}-error` : ""}`}
          onInput={(e) => setAlt(e.currentTarget.value)}
        />
        <p id={`${altId}-hint`} class="field-hint">
          Describe what matters in the {media.kind === "video" ? "video" : "image"} for someone who cannot see it, in a sentence or two: who or what, doing
          what, and any text it shows. Skip "image of". Leave empty if it is purely decorative. {alt.length}/1000
        </p>
        {altError && (
          <p id={`${altId}-error`} class="field-error">
            {altError}
          </p>
        )}
      </div>
      <TagsEditor tags={tags} onChange={setTags} />
      <div class="row">
        <Button type="submit" variant="primary" busy={form.pending}>
          Save changes
        </Button>
        <StatusMessage>{saved}</StatusMessage>
      </div>
    </form>
  );
}

/** One file: preview, facts, editing (name, alt text, tags), a public link and deletion. */
export function MediaDetail({ workspaceId, media, canEdit, onClose, onSaved, onDeleted }: MediaDetailProps) {
  const [deleting, setDeleting] = useState(false);
  useEffect(() => setDeleting(false), [media?.id]);
  return (
    <Dialog open={media !== null} onClose={onClose} title={media?.name ?? ""} wide>
      {media && (
        <div class="media-detail">
          <div class="detail-media">
            <Preview media={media} />
            <Facts media={media} />
          </div>
          <div class="detail-side">
            {deleting ? (
              <DeleteMedia workspaceId={workspaceId} media={media} onCancel={() => setDeleting(false)} onDeleted={onDeleted} />
            ) : (
              <>
                {canEdit ? <EditForm key={media.id} workspaceId={workspaceId} media={media} onSaved={onSaved} /> : <ReadOnly media={media} />}
                {media.status === "ready" && <PublicLink key={media.id} workspaceId={workspaceId} media={media} />}
              </>
            )}
            <div class="dialog-actions">
              {canEdit && !deleting && (
                <Button variant="ghost" class="detail-delete" onClick={() => setDeleting(true)}>
                  Delete…
                </Button>
              )}
              <Button onClick={onClose}>Close</Button>
            </div>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function ReadOnly({ media }: { media: Media }) {
  return (
    <div class="stack-sm">
      <p>
        <strong>Alt text:</strong> {media.altText || <span class="muted">none</span>}
      </p>
      <p>
        <strong>Tags:</strong> {media.tags.length ? media.tags.join(", ") : <span class="muted">none</span>}
      </p>
      <p class="muted small">Your role can view the library but not change it.</p>
    </div>
  );
}
