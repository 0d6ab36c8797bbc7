import type { ComponentChildren } from "preact";
import { MADE_FOR_KIDS, YOUTUBE_CATEGORIES, YOUTUBE_PRIVACY } from "../composer/youtube-choices.ts";
import type { YoutubeField, YoutubeForm } from "./youtube-video.ts";

interface FieldsProps {
  form: YoutubeForm;
  errors: Partial<Record<YoutubeField, string>>;
  fieldId: (field: YoutubeField) => string;
  onChange: (patch: Partial<YoutubeForm>) => void;
}

const TITLE_MAX = 100;

/** The edit form's controls, each with its label, hint and the server's sentence when refused. */
export function YoutubeEditFields({ form, errors, fieldId, onChange }: FieldsProps) {
  const a11y = (field: YoutubeField, hint = false) => {
    const ids = [hint ? `${fieldId(field)}-hint` : "", errors[field] ? `${fieldId(field)}-error` : ""].filter(Boolean).join(" ");
    return { id: fieldId(field), ...(ids ? { "aria-describedby": ids } : {}), ...(errors[field] ? { "aria-invalid": true as const } : {}) };
  };
  // A function, not a component: a component declared here would be a new type each render and remount the inputs (losing focus).
  const wrap = (field: YoutubeField, label: string, children: ComponentChildren, hint?: ComponentChildren) => (
    <div class={`field${errors[field] ? " field-invalid" : ""}`}>
      <label for={fieldId(field)} class="field-label">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${fieldId(field)}-hint`} class="field-hint">
          {hint}
        </p>
      )}
      {errors[field] && (
        <p id={`${fieldId(field)}-error`} class="field-error">
          ⚠ {errors[field]}
        </p>
      )}
    </div>
  );
  const titleLength = [...form.title].length;
  const categories = YOUTUBE_CATEGORIES.some(([id]) => id === form.categoryId) ? YOUTUBE_CATEGORIES : [...YOUTUBE_CATEGORIES, [form.categoryId, `Category ${form.categoryId}`] as const];

  return (
    <>
      {wrap(
        "title",
        "Title",
        <input class="input" value={form.title} onInput={(e) => onChange({ title: e.currentTarget.value })} {...a11y("title", true)} />,
        `${titleLength}/${TITLE_MAX} characters`,
      )}
      {wrap(
        "description",
        "Description",
        <textarea class="input" rows={5} value={form.description} onInput={(e) => onChange({ description: e.currentTarget.value })} {...a11y("description", true)} />,
        "At most 5,000 bytes; YouTube does not accept < or >.",
      )}
      {wrap(
        "tags",
        "Tags (comma-separated)",
        <input class="input" value={form.tags} onInput={(e) => onChange({ tags: e.currentTarget.value })} {...a11y("tags")} />,
      )}
      {wrap(
        "categoryId",
        "Category",
        <select class="input select" value={form.categoryId} onChange={(e) => onChange({ categoryId: e.currentTarget.value })} {...a11y("categoryId")}>
          {categories.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>,
      )}
      {wrap(
        "privacyStatus",
        "Privacy",
        <select
          class="input select"
          value={form.privacyStatus}
          onChange={(e) => onChange({ privacyStatus: e.currentTarget.value as YoutubeForm["privacyStatus"] })}
          {...a11y("privacyStatus")}
        >
          {YOUTUBE_PRIVACY.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>,
      )}
      {wrap(
        "madeForKids",
        "Audience (required by YouTube)",
        <select class="input select" value={form.madeForKids ? "yes" : "no"} onChange={(e) => onChange({ madeForKids: e.currentTarget.value === "yes" })} {...a11y("madeForKids")}>
          {MADE_FOR_KIDS.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>,
      )}
    </>
  );
}
