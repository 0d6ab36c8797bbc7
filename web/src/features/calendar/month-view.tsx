import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { clockOf, formatDay } from "../../ui/zoned-date.ts";
import { byDay, monthGrid } from "./calendar-math.ts";
import { dropTarget } from "./drop-target.ts";
import { PostChip } from "./post-chip.tsx";

interface MonthViewProps {
  workspaceId: string;
  zone: string;
  day: string;
  today: string;
  posts: Post[];
  channels: Map<string, Connection>;
  refusedId: string | null;
  onMove: (post: Post, local: string) => void;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Six weeks of workspace-local days; dropping a post on a day keeps its time of day. */
export function MonthView({ workspaceId, zone, day, today, posts, channels, refusedId, onMove }: MonthViewProps) {
  const grouped = byDay(posts, zone);
  const month = day.slice(0, 7);
  const find = (id: string) => posts.find((p) => p.id === id);
  return (
    <div class="month">
      <div class="month-head" aria-hidden="true">
        {WEEKDAYS.map((d) => (
          <span key={d} class="month-weekday">
            {d}
          </span>
        ))}
      </div>
      {monthGrid(day).map((week) => (
        <div class="month-row" key={week[0]}>
          {week.map((d) => {
            const entries = grouped.get(d) ?? [];
            const outside = d.slice(0, 7) !== month;
            return (
              <div
                key={d}
                class={`month-cell${outside ? " outside" : ""}${d === today ? " today" : ""}${entries.length ? "" : " empty"}`}
                data-day={d}
                {...dropTarget((id) => {
                  const entry = find(id);
                  const place = entry && [...grouped.values()].flat().find((x) => x.post.id === id);
                  if (entry && place) onMove(entry, `${d}T${clockOf(place.local)}`);
                })}
              >
                <span class="month-date" aria-current={d === today ? "date" : undefined}>
                  <span class="month-date-long">{formatDay(d, { weekday: "short", month: "short", day: "numeric" })}</span>
                  <span class="month-date-short" aria-hidden="true">
                    {Number(d.slice(8))}
                  </span>
                </span>
                <ul class="day-posts">
                  {entries.map(({ post, local }) => (
                    <li key={post.id}>
                      <PostChip workspaceId={workspaceId} post={post} local={local} channels={channels} onMove={onMove} refused={post.id === refusedId} />
                    </li>
                  ))}
                </ul>
                <a class="day-add" href={`/w/${encodeURIComponent(workspaceId)}/compose?day=${d}`} aria-label={`New post on ${formatDay(d)}`}>
                  +
                </a>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
