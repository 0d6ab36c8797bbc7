import type { ComponentChildren } from "preact";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import { fieldId, type ChannelProblems, type TargetDraft } from "./composer-draft.ts";
import { FORMAT_LABEL, formatsFor } from "./platform-rules.ts";

interface TargetOptionsProps {
  channel: Connection;
  target: TargetDraft;
  problems: ChannelProblems;
  onChange: (patch: Partial<TargetDraft>) => void;
}

const TIKTOK_PRIVACY = [
  ["PUBLIC_TO_EVERYONE", "Everyone"],
  ["MUTUAL_FOLLOW_FRIENDS", "Friends"],
  ["FOLLOWER_OF_CREATOR", "Followers"],
  ["SELF_ONLY", "Only me"],
] as const;
const YOUTUBE_PRIVACY = [
  ["public", "Public"],
  ["unlisted", "Unlisted"],
  ["private", "Private"],
] as const;
const YOUTUBE_CATEGORIES = [
  ["22", "People & Blogs"],
  ["1", "Film & Animation"],
  ["2", "Autos & Vehicles"],
  ["10", "Music"],
  ["15", "Pets & Animals"],
  ["17", "Sports"],
  ["19", "Travel & Events"],
  ["20", "Gaming"],
  ["23", "Comedy"],
  ["24", "Entertainment"],
  ["25", "News & Politics"],
  ["26", "Howto & Style"],
  ["27", "Education"],
  ["28", "Science & Technology"],
] as const;
const LINKEDIN_VISIBILITY = [
  ["PUBLIC", "Anyone"],
  ["LOGGED_IN", "Signed-in LinkedIn members"],
  ["CONNECTIONS", "Connections only (personal profiles)"],
] as const;
const THREADS_REPLIES = [
  ["everyone", "Everyone"],
  ["accounts_you_follow", "Accounts you follow"],
  ["followers_only", "Your followers"],
  ["mentioned_only", "Mentioned accounts only"],
] as const;
const YES_NO = [
  ["yes", "Yes, it's made for kids"],
  ["no", "No, it's not made for kids"],
] as const;

/** Changing format drops options the new format does not know (only Instagram's formats differ in options). */
export function withFormat(channel: Connection, format: string): Partial<TargetDraft> {
  return channel.platform === "instagram" ? { format, options: {} } : { format };
}

/** Wraps a control with its label and the validator's sentences for its option path. */
function OptionField(props: { id: string; label: string; messages: string[]; children: ComponentChildren; inline?: boolean }) {
  return (
    <div class={`field${props.messages.length ? " field-invalid" : ""}${props.inline ? " field-inline" : ""}`}>
      {!props.inline && (
        <label for={props.id} class="field-label">
          {props.label}
        </label>
      )}
      {props.children}
      {props.messages.length > 0 && (
        <p id={`${props.id}-error`} class="field-error">
          ⚠ {props.messages.join(" ")}
        </p>
      )}
    </div>
  );
}

/** Per-format options of one channel: format, then what its platform lets a post choose. */
export function TargetOptions({ channel, target, problems, onChange }: TargetOptionsProps) {
  const id = (path: string) => fieldId(channel.id, path);
  const messages = (path: string) => problems.byPath(path).map((p) => p.message);
  const opt = target.options;
  const set = (key: string, value: unknown) => onChange({ options: { ...opt, [key]: value } });
  const str = (key: string) => (typeof opt[key] === "string" ? (opt[key] as string) : key === "categoryId" ? "22" : "");
  const invalid = (path: string) => (messages(path).length ? { "aria-invalid": true as const, "aria-describedby": `${id(path)}-error` } : {});

  const text = (key: string, label: string, multiline = false) => (
    <OptionField id={id(`options.${key}`)} label={label} messages={messages(`options.${key}`)}>
      {multiline ? (
        <textarea id={id(`options.${key}`)} class="input" rows={3} value={str(key)} onInput={(e) => set(key, e.currentTarget.value)} {...invalid(`options.${key}`)} />
      ) : (
        <input id={id(`options.${key}`)} class="input" value={str(key)} onInput={(e) => set(key, e.currentTarget.value)} {...invalid(`options.${key}`)} />
      )}
    </OptionField>
  );
  const select = (key: string, label: string, choices: readonly (readonly [string, string])[], placeholder?: string) => (
    <OptionField id={id(`options.${key}`)} label={label} messages={messages(`options.${key}`)}>
      <select id={id(`options.${key}`)} class="input select" value={str(key)} onChange={(e) => set(key, e.currentTarget.value || undefined)} {...invalid(`options.${key}`)}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {choices.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </OptionField>
  );
  const toggle = (key: string, label: string, invert = false, defaultOn = false) => {
    const on = invert ? opt[key] !== true : defaultOn ? opt[key] !== false : opt[key] === true;
    return (
      <OptionField id={id(`options.${key}`)} label={label} messages={messages(`options.${key}`)} inline>
        <label class="switch">
          <input id={id(`options.${key}`)} type="checkbox" role="switch" checked={on} onChange={(e) => set(key, invert ? !e.currentTarget.checked : e.currentTarget.checked)} />
          <span>{label}</span>
        </label>
      </OptionField>
    );
  };

  const formats = formatsFor(channel.platform);
  return (
    <fieldset class="target-options card">
      <legend class="target-legend">{channel.name}</legend>
      {formats.length > 1 ? (
        <OptionField id={id("format")} label="Format" messages={messages("format")}>
          <select id={id("format")} class="input select" value={target.format} onChange={(e) => onChange(withFormat(channel, e.currentTarget.value))} {...invalid("format")}>
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
      {channel.platform === "tiktok" && (
        <>
          {select("privacyLevel", "Who can view this video", TIKTOK_PRIVACY, "Choose who can view…")}
          <div class="switches">
            {toggle("disableComment", "Allow comments", true)}
            {toggle("disableDuet", "Allow Duet", true)}
            {toggle("disableStitch", "Allow Stitch", true)}
          </div>
          <fieldset class="disclosure">
            <legend class="field-label">Content disclosure</legend>
            {toggle("brandOrganicToggle", "Promotes your own brand")}
            {toggle("brandContentToggle", "Paid partnership (branded content)")}
            {toggle("isAigc", "AI-generated content")}
            {(opt.brandOrganicToggle === true || opt.brandContentToggle === true) && (
              <p class="field-hint">
                TikTok labels this video as {opt.brandContentToggle === true ? "“Paid partnership”" : "“Promotional content”"}.
              </p>
            )}
          </fieldset>
        </>
      )}
      {channel.platform === "youtube" && (
        <>
          <p class="field-hint">The post's text becomes the video's description.</p>
          {text("title", "Title")}
          <OptionField id={id("options.tags")} label="Tags (comma-separated)" messages={messages("options.tags")}>
            <input
              id={id("options.tags")}
              class="input"
              value={Array.isArray(opt.tags) ? (opt.tags as string[]).join(", ") : ""}
              onChange={(e) =>
                set(
                  "tags",
                  e.currentTarget.value
                    .split(",")
                    .map((t) => t.trim())
                    .filter(Boolean),
                )
              }
              {...invalid("options.tags")}
            />
          </OptionField>
          {select("categoryId", "Category", YOUTUBE_CATEGORIES)}
          {select("privacyStatus", "Privacy", YOUTUBE_PRIVACY, "Choose…")}
          <OptionField id={id("options.madeForKids")} label="Audience (required by YouTube)" messages={messages("options.madeForKids")}>
            <select
              id={id("options.madeForKids")}
              class="input select"
              value={opt.madeForKids === true ? "yes" : opt.madeForKids === false ? "no" : ""}
              onChange={(e) => set("madeForKids", e.currentTarget.value === "" ? undefined : e.currentTarget.value === "yes")}
              {...invalid("options.madeForKids")}
            >
              <option value="">Choose…</option>
              {YES_NO.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </OptionField>
        </>
      )}
      {channel.platform === "linkedin" && select("visibility", "Who can see this post", LINKEDIN_VISIBILITY)}
      {channel.platform === "threads" && select("replyControl", "Who can reply", THREADS_REPLIES)}
      {channel.platform === "instagram" && target.format === "reel" && toggle("shareToFeed", "Also show the reel in the feed", false, true)}
    </fieldset>
  );
}
