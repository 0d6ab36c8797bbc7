import { useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { Menu } from "../../ui/menu.tsx";
import { clockOf, dayOf, formatClockTime } from "../../ui/zoned-date.ts";
import { channelStatesText, summarise } from "../publishing/calendar-summary.ts";
import { PLATFORM_NAME } from "../publishing/target-states.ts";
import { excerpt } from "./calendar-math.ts";
import "../publishing/state-colours.css";

/** The id of the post being dragged travels in this MIME type so other drags (text, files) are ignored. */
export const DRAG_TYPE = "application/x-atelier-post";

interface PostChipProps {
  workspaceId: string;
  post: Post;
  /** Its place on the workspace's clock. */
  local: string;
  channels: Map<string, Connection>;
  onMove: (post: Post, local: string) => void;
  refused?: boolean;
}

function MoveMenu({ post, local, onMove }: { post: Post; local: string; onMove: PostChipProps["onMove"] }) {
  const [day, setDay] = useState(dayOf(local));
  const [time, setTime] = useState(clockOf(local));
  return (
    <Menu trigger={<span aria-hidden="true">⋯</span>} label={`Move “${excerpt(post, 30)}” to…`} align="end">
      {(close) => (
        <form
          class="move-form"
          onSubmit={(e) => {
            e.preventDefault();
            close();
            onMove(post, `${day}T${time}`);
          }}
        >
          <p class="move-title">Move to…</p>
          <label class="field-label" for={`move-day-${post.id}`}>
            Date
          </label>
          <input id={`move-day-${post.id}`} class="input" type="date" value={day} required onInput={(e) => setDay(e.currentTarget.value)} />
          <label class="field-label" for={`move-time-${post.id}`}>
            Time
          </label>
          <input id={`move-time-${post.id}`} class="input" type="time" value={time} required onInput={(e) => setTime(e.currentTarget.value)} />
          <button type="submit" class="btn btn-primary btn-sm">
            Move
          </button>
        </form>
      )}
    </Menu>
  );
}

/** A post on the calendar: time, channel avatars and the start of its text; drag it or use "Move to…". */
export function PostChip({ workspaceId, post, local, channels, onMove, refused }: PostChipProps) {
  const targets = post.targets.map((t) => ({ t, c: channels.get(t.connectionId) }));
  const platform = targets[0]?.t.platform ?? "facebook";
  const summary = summarise(post.targets);
  // Per-channel states only once publishing has begun; before that the names alone say it all.
  const channelText = summary?.notable ? channelStatesText(post.targets, (t) => channels.get(t.connectionId)?.name ?? PLATFORM_NAME[t.platform]) : targets.map(({ t, c }) => c?.name ?? t.platform).join(", ");
  return (
    <div
      class={`post-chip ch-${platform} post-${post.status}${refused ? " post-refused" : ""}`}
      draggable
      data-post-id={post.id}
      onDragStart={(e) => {
        e.dataTransfer?.setData(DRAG_TYPE, post.id);
        e.dataTransfer?.setData("text/plain", post.id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
      }}
    >
      <a class="post-link" href={`/w/${encodeURIComponent(workspaceId)}/posts/${encodeURIComponent(post.id)}`} draggable={false}>
        <span class="post-time">{formatClockTime(clockOf(local))}</span>
        {summary?.notable && (
          <span class={`chip-state state-${summary.state}`} data-testid={`post-state-${post.id}`} data-state={summary.state}>
            {summary.state === "published" && <span aria-hidden="true">✓</span>}
            {summary.label}
          </span>
        )}
        <span class="post-avatars" aria-hidden="true">
          {targets.slice(0, 3).map(({ t, c }) => (
            <span key={t.id} class={`post-avatar ch-${t.platform}`}>
              <Avatar name={c?.name ?? t.platform} src={c?.avatarUrl} size="sm" label="" />
              {summary?.notable && <span class={`state-dot state-${t.state}`} />}
            </span>
          ))}
          {targets.length > 3 && <span class="post-more">+{targets.length - 3}</span>}
        </span>
        <span class="post-excerpt">{excerpt(post)}</span>
        <span class="visually-hidden">
          {" "}
          on {channelText}
          {post.status === "draft" ? " (draft)" : ""}
        </span>
      </a>
      <MoveMenu key={local} post={post} local={local} onMove={onMove} />
    </div>
  );
}
