import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Media } from "../../../../worker/contracts/media.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { PlatformMark } from "../accounts/platform-mark.tsx";
import { FORMAT_LABEL } from "./platform-rules.ts";

interface PreviewCardProps {
  channel: Connection;
  text: string;
  format: string;
  media: (Media | undefined)[];
  firstComment: string | null;
  title?: string;
  problemCount: number;
}

/** Roughly how the post will look on the channel: who posts, the media, the text as typed. */
export function PreviewCard({ channel, text, format, media, firstComment, title, problemCount }: PreviewCardProps) {
  const shown = media.slice(0, format === "carousel" || format === "multi_photo" || format === "images" ? 4 : 1);
  return (
    <article class={`preview-card preview-${channel.platform}${format === "reel" || format === "story" ? " preview-vertical" : ""}`} aria-label={`Preview for ${channel.name}`}>
      <header class="preview-head">
        <Avatar name={channel.name} src={channel.avatarUrl} size="sm" label="" />
        <span class="preview-who">
          <strong>{channel.name}</strong>
          <span class="muted small">{FORMAT_LABEL[format] ?? format}</span>
        </span>
        <PlatformMark platform={channel.platform} />
      </header>
      {media.length > 0 && (
        <div class={`preview-media preview-media-${Math.min(shown.length, 4)}`}>
          {shown.map((m, i) => {
            const src = m ? (m.kind === "video" ? m.posterUrl : m.url) : null;
            return src ? (
              <img key={i} src={src} alt="" loading="lazy" />
            ) : (
              <span key={i} class="preview-placeholder" aria-hidden="true">
                {m?.kind === "video" ? "▶" : "▢"}
              </span>
            );
          })}
          {media.length > 1 && (
            <span class="preview-count">
              {media.length > shown.length ? `+${media.length - shown.length}` : `1/${media.length}`}
              <span class="visually-hidden"> files</span>
            </span>
          )}
        </div>
      )}
      {title && <p class="preview-title">{title}</p>}
      <p class="preview-text">{text || <span class="muted">No text yet.</span>}</p>
      {firstComment && <p class="preview-comment small">💬 {firstComment}</p>}
      <footer class={problemCount ? "preview-status bad" : "preview-status ok"}>
        {problemCount ? `${problemCount} ${problemCount === 1 ? "problem" : "problems"}` : "Ready"}
      </footer>
    </article>
  );
}
