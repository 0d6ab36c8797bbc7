import { useId, useState } from "preact/hooks";
import { addKeywords } from "./rule-form.ts";

interface Props {
  label: string;
  hint: string;
  values: string[];
  error?: string | undefined;
  onChange: (values: string[]) => void;
}

/** Keywords as removable chips; Enter or a comma adds what was typed, Backspace in an empty box removes the last. */
export function TagInput({ label, hint, values, error, onChange }: Props) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const commit = () => {
    if (!draft.trim()) return;
    onChange(addKeywords(values, draft));
    setDraft("");
  };
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label class="field-label" for={`${id}-input`}>
        {label}
      </label>
      <div class="tag-input">
        <ul class="tag-list" aria-label={`${label}: ${values.length === 0 ? "none" : values.join(", ")}`}>
          {values.map((value) => (
            <li key={value} class="tag-chip">
              {value}
              <button type="button" class="tag-remove" aria-label={`Remove ${value}`} onClick={() => onChange(values.filter((v) => v !== value))}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={`${id}-input`}
          class="input tag-entry"
          value={draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(" ")}
          onInput={(e) => {
            const value = e.currentTarget.value;
            if (value.includes(",")) {
              onChange(addKeywords(values, value));
              setDraft("");
            } else setDraft(value);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              commit();
            } else if (e.key === "Backspace" && draft === "" && values.length > 0) onChange(values.slice(0, -1));
          }}
          onBlur={commit}
        />
      </div>
      <p id={`${id}-hint`} class="field-hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} class="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </div>
  );
}
