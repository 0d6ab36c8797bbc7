import { useEffect, useState } from "preact/hooks";
import type { MediaFilter, MediaKind } from "../../api/media.ts";
import { Select, TextInput } from "../../ui/field.tsx";

const KIND_OPTIONS = [
  { value: "", label: "All files" },
  { value: "image", label: "Images" },
  { value: "video", label: "Videos" },
] as const;

const SEARCH_DELAY_MS = 300;

interface MediaFiltersProps {
  filter: MediaFilter;
  /** Tags seen in the loaded files, offered as chips. */
  tags: string[];
  onChange: (filter: MediaFilter) => void;
}

/** Search (as you type, debounced), kind and one tag at a time. */
export function MediaFilters({ filter, tags, onChange }: MediaFiltersProps) {
  const [q, setQ] = useState(filter.q ?? "");
  useEffect(() => {
    const trimmed = q.trim() || undefined;
    if (trimmed === filter.q) return;
    const timer = setTimeout(() => onChange({ ...filter, q: trimmed }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const chips = filter.tag && !tags.includes(filter.tag) ? [filter.tag, ...tags] : tags;
  return (
    <div class="media-filters" role="search" aria-label="Filter the library">
      <div class="media-filter-row">
        <TextInput label="Search" type="search" value={q} placeholder="Name, alt text or tag" maxLength={200} onInput={(e) => setQ(e.currentTarget.value)} />
        <Select
          label="Kind"
          value={filter.kind ?? ""}
          options={KIND_OPTIONS}
          onChange={(e) => onChange({ ...filter, kind: (e.currentTarget.value || undefined) as MediaKind | undefined })}
        />
      </div>
      {chips.length > 0 && (
        <ul class="tag-filter" aria-label="Filter by tag">
          {chips.map((t) => (
            <li key={t}>
              <button type="button" class="chip" aria-pressed={filter.tag === t} onClick={() => onChange({ ...filter, tag: filter.tag === t ? undefined : t })}>
                {t}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
