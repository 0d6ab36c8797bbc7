import { useEffect, useRef } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { clockOf, formatClockTime, formatDay } from "../../ui/zoned-date.ts";
import { byDay, weekDays } from "./calendar-math.ts";
import { dropTarget } from "./drop-target.ts";
import { PostChip } from "./post-chip.tsx";

interface WeekViewProps {
  workspaceId: string;
  zone: string;
  day: string;
  today: string;
  posts: Post[];
  channels: Map<string, Connection>;
  refusedId: string | null;
  onMove: (post: Post, local: string) => void;
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

/** Seven days by 24 wall-clock hours; dropping a post in a slot keeps its minutes. */
export function WeekView({ workspaceId, zone, day, today, posts, channels, refusedId, onMove }: WeekViewProps) {
  const days = weekDays(day);
  const grouped = byDay(posts, zone);
  const placeOf = (id: string) => [...grouped.values()].flat().find((x) => x.post.id === id);
  const scroller = useRef<HTMLDivElement>(null);
  // Open on the working day (07:00) rather than at midnight.
  useEffect(() => {
    const row = scroller.current?.querySelector<HTMLElement>('[data-hour="07"]');
    const head = scroller.current?.querySelector<HTMLElement>("thead");
    if (scroller.current && row) scroller.current.scrollTop = row.offsetTop - (head?.offsetHeight ?? 0);
  }, []);
  return (
    <div class="week-scroll" ref={scroller}>
      <table class="week">
        <caption class="visually-hidden">Week of {formatDay(days[0] ?? day)}</caption>
        <thead>
          <tr>
            <th scope="col" class="week-corner">
              <span class="visually-hidden">Time</span>
            </th>
            {days.map((d) => (
              <th key={d} scope="col" class={d === today ? "today" : undefined} aria-current={d === today ? "date" : undefined}>
                {formatDay(d, { weekday: "short", day: "numeric" })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {HOURS.map((h) => (
            <tr key={h} data-hour={h}>
              <th scope="row" class="week-hour">
                {formatClockTime(`${h}:00`)}
              </th>
              {days.map((d) => {
                const entries = (grouped.get(d) ?? []).filter((x) => clockOf(x.local).startsWith(`${h}:`));
                return (
                  <td
                    key={d}
                    class={`week-slot${d === today ? " today" : ""}`}
                    data-slot={`${d}T${h}`}
                    aria-label={`${formatDay(d)} ${formatClockTime(`${h}:00`)}`}
                    {...dropTarget((id) => {
                      const place = placeOf(id);
                      if (place) onMove(place.post, `${d}T${h}:${clockOf(place.local).slice(3)}`);
                    })}
                  >
                    {entries.map(({ post, local }) => (
                      <PostChip key={post.id} workspaceId={workspaceId} post={post} local={local} channels={channels} onMove={onMove} refused={post.id === refusedId} />
                    ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
