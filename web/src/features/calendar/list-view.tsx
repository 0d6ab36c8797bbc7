import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { Badge } from "../../ui/badge.tsx";
import { clockOf, dayOf, formatClockTime, formatDay } from "../../ui/zoned-date.ts";
import { summarise } from "../publishing/calendar-summary.ts";
import { StateBadge } from "../publishing/state-badge.tsx";
import { STATE_LABEL } from "../publishing/target-states.ts";
import { excerpt, placeOf } from "./calendar-math.ts";

interface ListViewProps {
  workspaceId: string;
  zone: string;
  posts: Post[];
  channels: Map<string, Connection>;
}

const STATUS = { draft: ["Draft", "neutral"], scheduled: ["Scheduled", "accent"], cancelled: ["Cancelled", "warning"] } as const;

/** Every post matching the filters, by time on the workspace's clock; unscheduled drafts last. */
export function ListView({ workspaceId, zone, posts, channels }: ListViewProps) {
  const rows = posts.map((post) => ({ post, local: placeOf(post, zone) })).sort((a, b) => (a.local ?? "~").localeCompare(b.local ?? "~"));
  if (rows.length === 0) return <p class="card empty-note">No posts match these filters.</p>;
  return (
    <ul class="post-list">
      {rows.map(({ post, local }) => {
        const [label, tone] = STATUS[post.status];
        const summary = summarise(post.targets);
        return (
          <li key={post.id} class={`post-row ch-${post.targets[0]?.platform ?? "facebook"}`}>
            <span class="post-row-when">
              {local ? (
                <>
                  <strong>{formatDay(dayOf(local), { weekday: "short", month: "short", day: "numeric" })}</strong>
                  <span>{formatClockTime(clockOf(local))}</span>
                </>
              ) : (
                <span class="muted">No date</span>
              )}
            </span>
            <span class="post-avatars">
              {post.targets.map((t) => {
                const c = channels.get(t.connectionId);
                const name = c?.name ?? t.platform;
                return <Avatar key={t.id} name={name} src={c?.avatarUrl} size="sm" label={summary?.notable ? `${name}: ${STATE_LABEL[t.state]}` : name} />;
              })}
            </span>
            <a class="post-row-text" href={`/w/${encodeURIComponent(workspaceId)}/posts/${encodeURIComponent(post.id)}`}>
              {excerpt(post, 120)}
            </a>
            {summary?.notable ? <StateBadge state={summary.state} label={summary.label} testId={`post-state-${post.id}`} /> : <Badge tone={tone}>{label}</Badge>}
          </li>
        );
      })}
    </ul>
  );
}
