import type { Connection } from "../../../../worker/contracts/connections.ts";
import { Button } from "../../ui/button.tsx";
import { formatDay, startOfWeek } from "../../ui/zoned-date.ts";
import { step, type CalendarView } from "./calendar-math.ts";

interface CalendarToolbarProps {
  view: CalendarView;
  day: string;
  today: string;
  state: string | undefined;
  channel: string | undefined;
  channels: Connection[];
  onGo: (changes: Record<string, string | undefined>) => void;
}

const VIEW_LABEL = { month: "Month", week: "Week", list: "List" } as const;

function title(view: CalendarView, day: string): string {
  if (view === "month") return formatDay(day, { month: "long", year: "numeric" });
  if (view === "week") return `Week of ${formatDay(startOfWeek(day), { month: "long", day: "numeric", year: "numeric" })}`;
  return "All posts";
}

/** View switch, prev/today/next, and the channel and state filters. */
export function CalendarToolbar({ view, day, today, state, channel, channels, onGo }: CalendarToolbarProps) {
  return (
    <div class="calendar-toolbar">
      <div class="segmented" role="group" aria-label="View">
        {(Object.keys(VIEW_LABEL) as CalendarView[]).map((v) => (
          <button key={v} type="button" class="segment" aria-pressed={v === view} onClick={() => onGo({ view: v })}>
            {VIEW_LABEL[v]}
          </button>
        ))}
      </div>
      {view !== "list" && (
        <div class="calendar-nav">
          <Button size="sm" onClick={() => onGo({ day: step(view, day, -1) })} aria-label={view === "month" ? "Previous month" : "Previous week"}>
            ←
          </Button>
          <Button size="sm" onClick={() => onGo({ day: today })}>
            Today
          </Button>
          <Button size="sm" onClick={() => onGo({ day: step(view, day, 1) })} aria-label={view === "month" ? "Next month" : "Next week"}>
            →
          </Button>
        </div>
      )}
      <h2 class="calendar-title" aria-live="polite">
        {title(view, day)}
      </h2>
      <div class="calendar-filters">
        <label class="visually-hidden" for="filter-channel">
          Channel
        </label>
        <select id="filter-channel" class="input select" value={channel ?? ""} onChange={(e) => onGo({ channel: e.currentTarget.value || undefined })}>
          <option value="">All channels</option>
          {channels
            .filter((c) => c.platform !== "airtable")
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.platform})
              </option>
            ))}
        </select>
        <label class="visually-hidden" for="filter-state">
          State
        </label>
        <select id="filter-state" class="input select" value={state ?? ""} onChange={(e) => onGo({ state: e.currentTarget.value || undefined })}>
          <option value="">All states</option>
          <option value="draft">Drafts</option>
          <option value="scheduled">Scheduled</option>
          <option value="cancelled">Cancelled</option>
        </select>
      </div>
    </div>
  );
}
