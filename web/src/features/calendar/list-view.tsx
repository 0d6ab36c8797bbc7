import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { Badge } from "../../ui/badge.tsx";
import { clockOf, dayOf, formatClockTime, formatDay } from "../../ui/zoned-date.ts";
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
                return <Avatar key={t.id} name={c?.name ?? t.platform} src={c?.avatarUrl} size="sm" label={c?.name ?? t.platform} />;
              })}
            </span>
            <a class="post-row-text" href={`/w/${encodeURIComponent(workspaceId)}/posts/${encodeURIComponent(post.id)}`}>
              {excerpt(post, 120)}
            </a>
            <Badge tone={tone}>{label}</Badge>
          </li>
        );
      })}
    </ul>
  );
}
