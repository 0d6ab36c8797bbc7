import { useRef, useState } from "preact/hooks";
import type { Media } from "../../../../worker/contracts/media.ts";
import { dimensions, formatBytes, formatDuration, kindLabel } from "./media-format.ts";

function Thumb({ media: m }: { media: Media }) {
  if (m.kind === "image") {
    return <img src={m.url} alt="" width={m.width ?? undefined} height={m.height ?? undefined} loading="lazy" decoding="async" />;
  }
  if (m.kind === "video" && m.posterUrl) {
    return <img src={m.posterUrl} alt="" width={m.width ?? undefined} height={m.height ?? undefined} loading="lazy" decoding="async" />;
  }
  return (
    <span class="thumb-glyph" aria-hidden="true">
      {m.kind === "video" ? "▶" : "…"}
    </span>
  );
}

/** One cell's text, also its accessible name: the button says what opening it shows. */
const facts = (m: Media) => [kindLabel(m), dimensions(m), formatBytes(m.sizeBytes)].filter(Boolean).join(" · ");

/**
 * The library as a grid of buttons with one tab stop: arrow keys move between tiles (Up/Down by the
 * row as laid out, whatever the column count at this width), Home/End jump, Enter or Space opens.
 */
export function MediaGrid({ media, onOpen }: { media: Media[]; onOpen: (m: Media) => void }) {
  const list = useRef<HTMLUListElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const tabStop = media.some((m) => m.id === activeId) ? activeId : (media[0]?.id ?? null);
  const focusAt = (index: number) => list.current?.querySelectorAll<HTMLButtonElement>(".tile")[index]?.focus();

  const onKeyDown = (e: KeyboardEvent) => {
    const tiles = [...(list.current?.querySelectorAll<HTMLButtonElement>(".tile") ?? [])];
    const current = tiles.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const top = (i: number) => tiles[i]?.offsetTop ?? 0;
    const firstOfRow2 = tiles.findIndex((_, i) => top(i) !== top(0));
    const perRow = firstOfRow2 === -1 ? tiles.length : Math.max(1, firstOfRow2);
    const target: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      ArrowDown: current + perRow,
      ArrowUp: current - perRow,
      Home: 0,
      End: tiles.length - 1,
    };
    const next = target[e.key];
    if (next === undefined) return;
    e.preventDefault();
    focusAt(Math.min(tiles.length - 1, Math.max(0, next)));
  };

  return (
    <ul ref={list} class="media-grid" aria-label="Media files" onKeyDown={onKeyDown}>
      {media.map((m) => (
        <li key={m.id}>
          <button
            type="button"
            class="tile"
            // Roving tab stop: the last focused tile is the one Tab returns to.
            tabIndex={m.id === tabStop ? 0 : -1}
            onFocus={() => setActiveId(m.id)}
            onClick={() => onOpen(m)}
            aria-label={`${m.name}, ${facts(m)}${m.kind === "video" && m.durationMs !== null ? `, ${formatDuration(m.durationMs)}` : ""}`}
          >
            <span class="tile-thumb">
              <Thumb media={m} />
              {m.kind === "video" && m.durationMs !== null && <span class="tile-duration">{formatDuration(m.durationMs)}</span>}
              {m.status === "uploading" && <span class="tile-duration">Uploading</span>}
            </span>
            <span class="tile-name">{m.name}</span>
            <span class="tile-facts muted small">{facts(m)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
