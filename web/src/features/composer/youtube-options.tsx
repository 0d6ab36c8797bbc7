import { useWorkspace } from "../workspaces/workspace-context.tsx";
import { OptionField, optionControls, type OptionSectionProps } from "./option-fields.tsx";
import { MADE_FOR_KIDS, parseTags, YOUTUBE_CATEGORIES, YOUTUBE_PRIVACY } from "./youtube-choices.ts";
import { YoutubeThumbnailPicker } from "./youtube-thumbnail-picker.tsx";

/** YouTube's upload fields: title, tags, category, privacy, the audience declaration and a thumbnail. */
export function YoutubeOptions(props: OptionSectionProps) {
  const { id: workspaceId } = useWorkspace();
  const { id, messages, opt, set, text, select, describedBy } = optionControls(props);
  const tagsId = id("options.tags");
  const kidsId = id("options.madeForKids");
  return (
    <>
      <p class="field-hint">The post's text becomes the video's description.</p>
      {text("title", "Title")}
      <OptionField id={tagsId} label="Tags (comma-separated)" messages={messages("options.tags")}>
        <input
          id={tagsId}
          class="input"
          // Kept as typed until the field is left, so a trailing comma or space is not swallowed mid-word.
          value={Array.isArray(opt.tags) ? (opt.tags as string[]).join(", ") : ""}
          onChange={(e) => set("tags", parseTags(e.currentTarget.value))}
          {...describedBy("options.tags")}
        />
      </OptionField>
      {select("categoryId", "Category", YOUTUBE_CATEGORIES, { fallback: "22" })}
      {select("privacyStatus", "Privacy", YOUTUBE_PRIVACY, { placeholder: "Choose…" })}
      <OptionField id={kidsId} label="Audience (required by YouTube)" messages={messages("options.madeForKids")}>
        <select
          id={kidsId}
          class="input select"
          value={opt.madeForKids === true ? "yes" : opt.madeForKids === false ? "no" : ""}
          onChange={(e) => set("madeForKids", e.currentTarget.value === "" ? undefined : e.currentTarget.value === "yes")}
          {...describedBy("options.madeForKids")}
        >
          <option value="">Choose…</option>
          {MADE_FOR_KIDS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </OptionField>
      <YoutubeThumbnailPicker
        workspaceId={workspaceId}
        fieldId={id("options.thumbnailMediaId")}
        mediaId={typeof opt.thumbnailMediaId === "string" ? opt.thumbnailMediaId : null}
        messages={messages("options.thumbnailMediaId")}
        onChange={(mediaId) => set("thumbnailMediaId", mediaId)}
      />
    </>
  );
}
