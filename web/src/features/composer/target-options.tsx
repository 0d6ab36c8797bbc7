import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Media } from "../../../../worker/contracts/media.ts";
import type { TargetDraft } from "./composer-draft.ts";
import { OptionField, optionControls, type Choices, type OptionSectionProps } from "./option-fields.tsx";
import { FORMAT_LABEL, formatsFor } from "./platform-rules.ts";
import { ThreadsChainEditor } from "./threads-chain-editor.tsx";
import { lazySection } from "./lazy-section.tsx";
import { YoutubeOptions } from "./youtube-options.tsx";
import "./target-options.css";

interface TargetOptionsProps extends OptionSectionProps {
  /** The post's files in order (undefined while a file's facts are loading): TikTok checks the video's length. */
  media?: (Media | undefined)[];
}

const TiktokOptions = lazySection(() => import("./tiktok-options.tsx").then((m) => m.TiktokOptions), "Loading TikTok's options…");

const LINKEDIN_VISIBILITY = [
  ["PUBLIC", "Anyone"],
  ["LOGGED_IN", "Signed-in LinkedIn members"],
] as const;
const LINKEDIN_CONNECTIONS = ["CONNECTIONS", "Your connections only"] as const;
const THREADS_REPLIES = [
  ["everyone", "Everyone"],
  ["accounts_you_follow", "Accounts you follow"],
  ["followers_only", "Your followers"],
  ["mentioned_only", "Mentioned accounts only"],
] as const;

/** Changing format drops options the new format does not know (only Instagram's formats differ in options). */
export function withFormat(channel: Connection, format: string): Partial<TargetDraft> {
  return channel.platform === "instagram" ? { format, options: {} } : { format };
}

/** LinkedIn posts as the person who connected or as the organization's page; only a person has connections. */
function LinkedinOptions(props: OptionSectionProps) {
  const { select, str } = optionControls(props);
  const member = props.channel.kind === "linkedin_member";
  // An organization keeps a stale "connections only" visible (disabled) so the validator's problem points at something true.
  const choices: Choices = member ? [...LINKEDIN_VISIBILITY, LINKEDIN_CONNECTIONS] : str("visibility") === "CONNECTIONS" ? [...LINKEDIN_VISIBILITY, LINKEDIN_CONNECTIONS] : LINKEDIN_VISIBILITY;
  return (
    <>
      <p class="linkedin-author" data-testid={`linkedin-author-${props.channel.id}`}>
        {member ? (
          <>
            Posts as <strong>{props.channel.name}</strong> (a personal profile).
          </>
        ) : (
          <>
            Posts as the organization <strong>{props.channel.name}</strong> (its LinkedIn Page), not as you.
          </>
        )}
      </p>
      {select("visibility", "Who can see this post", choices, {
        fallback: "PUBLIC",
        disabled: (v) => !member && v === "CONNECTIONS",
        hint: member ? undefined : "“Connections only” exists for personal profiles, not for organization pages.",
      })}
    </>
  );
}

function ThreadsOptions(props: OptionSectionProps) {
  const controls = optionControls(props);
  return (
    <>
      {controls.select("replyControl", "Who can reply", THREADS_REPLIES, { fallback: "everyone" })}
      <ThreadsChainEditor controls={controls} />
    </>
  );
}

/** Per-format options of one channel: format, then what its platform lets a post choose. */
export function TargetOptions(props: TargetOptionsProps) {
  const { channel, target, onChange } = props;
  const { id, messages, toggle, describedBy } = optionControls(props);
  const video = (props.media ?? []).find((m) => m?.kind === "video");
  const formats = formatsFor(channel.platform);
  return (
    <fieldset class="target-options card">
      <legend class="target-legend">{channel.name}</legend>
      {formats.length > 1 ? (
        <OptionField id={id("format")} label="Format" messages={messages("format")}>
          <select id={id("format")} class="input select" value={target.format} onChange={(e) => onChange(withFormat(channel, e.currentTarget.value))} {...describedBy("format")}>
            {formats.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f] ?? f}
              </option>
            ))}
          </select>
        </OptionField>
      ) : (
        <p class="muted small">Format: {FORMAT_LABEL[formats[0] ?? ""] ?? formats[0]}</p>
      )}
      {channel.platform === "tiktok" && <TiktokOptions {...props} videoDurationMs={video?.durationMs ?? null} />}
      {channel.platform === "youtube" && <YoutubeOptions {...props} />}
      {channel.platform === "linkedin" && <LinkedinOptions {...props} />}
      {channel.platform === "threads" && <ThreadsOptions {...props} />}
      {channel.platform === "instagram" && target.format === "reel" && toggle("shareToFeed", "Also show the reel in the feed", { defaultOn: true })}
    </fieldset>
  );
}
