import { useId, useState } from "preact/hooks";

const MAX_TAGS = 30;
const MAX_LENGTH = 50;

/** Tags as removable chips plus a field: Enter or a comma adds what was typed; Backspace on empty removes the last. */
export function TagsEditor({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const id = `tags${useId()}`;
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  const commit = (raw: string) => {
    const tag = raw.replace(/,$/, "").trim();
    if (!tag) return;
    if (tag.length > MAX_LENGTH) return setError(`A tag can be at most ${MAX_LENGTH} characters.`);
    if (tags.length >= MAX_TAGS) return setError(`A file can have at most ${MAX_TAGS} tags.`);
    setError(null);
    setDraft("");
    if (!tags.some((t) => t.toLowerCase() === tag.toLowerCase())) onChange([...tags, tag]);
  };

  return (
    <div class="field">
      <label for={id} class="field-label">
        Tags
      </label>
      {tags.length > 0 && (
        <ul class="tag-chips" aria-label="Tags on this file">
          {tags.map((t) => (
            <li key={t} class="tag-chip">
              {t}
              <button type="button" class="tag-remove" aria-label={`Remove tag ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        class="input"
        value={draft}
        maxLength={MAX_LENGTH + 1}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        aria-invalid={error ? true : undefined}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setError(null);
          if (value.endsWith(",")) commit(value);
          else setDraft(value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit(draft);
          } else if (e.key === "Backspace" && draft === "" && tags.length > 0) onChange(tags.slice(0, -1));
        }}
        onBlur={() => commit(draft)}
      />
      <p id={`${id}-hint`} class="field-hint">
        Press Enter or type a comma to add a tag.
      </p>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
