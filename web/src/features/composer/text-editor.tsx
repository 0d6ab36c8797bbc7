import type { Connection } from "../../../../worker/contracts/connections.ts";
import { textFor, fieldId, type ChannelProblems, type Draft, type TargetDraft } from "./composer-draft.ts";
import { capabilitiesFor } from "../../../../worker/domain/capabilities/index.ts";
import { textLength, unitName } from "../../../../worker/domain/text-length.ts";

interface TextEditorProps {
  draft: Draft;
  channels: Map<string, Connection>;
  /** "base" or a connection id. */
  tab: string;
  onTab: (tab: string) => void;
  onBaseText: (text: string) => void;
  onOverride: (connectionId: string, text: string | null) => void;
  problems: (connectionId: string) => ChannelProblems;
}

/** The length as this channel's platform counts it for the chosen format (code points, graphemes or UTF-8 bytes). */
function Count({ text, platform, format }: { text: string; platform: string; format: string }) {
  const rule = capabilitiesFor(platform)?.formats[format]?.text;
  if (!rule) return <span class="char-count">no text is published</span>;
  const n = textLength(text, rule.counting);
  return (
    <span class={`char-count${n > rule.max ? " over" : ""}`}>
      {n.toLocaleString()}/{rule.max.toLocaleString()} {unitName(rule.counting, rule.max)}
    </span>
  );
}

/** The base text, and one tab per channel where that channel's text can replace it. */
export function TextEditor({ draft, channels, tab, onTab, onBaseText, onOverride, problems }: TextEditorProps) {
  const targets = draft.targets.filter((t) => channels.has(t.connectionId));
  const current: TargetDraft | undefined = targets.find((t) => t.connectionId === tab);
  const channel = current ? channels.get(current.connectionId) : undefined;
  // On the shared tab, the problems of every channel that uses the shared text, named by channel.
  const textProblems = current
    ? problems(current.connectionId).byPath("text")
    : targets
        .filter((t) => t.textOverride === null)
        .flatMap((t) => problems(t.connectionId).byPath("text").map((p) => ({ ...p, message: `${channels.get(t.connectionId)?.name ?? ""}: ${p.message}` })));
  const editorId = current ? fieldId(current.connectionId, "text") : "composer-base-text";
  const value = current ? textFor(draft, current) : draft.baseText;

  return (
    <div class="composer-section text-editor">
      <div role="tablist" aria-label="Text for" class="text-tabs">
        <button type="button" role="tab" id="tab-base" aria-selected={!current} aria-controls="text-panel" class="text-tab" onClick={() => onTab("base")}>
          All channels
        </button>
        {targets.map((t) => {
          const c = channels.get(t.connectionId);
          if (!c) return null;
          const bad = problems(t.connectionId).byPath("text").length > 0;
          return (
            <button
              key={t.connectionId}
              type="button"
              role="tab"
              id={`tab-${t.connectionId}`}
              aria-selected={tab === t.connectionId}
              aria-controls="text-panel"
              class={`text-tab${bad ? " text-tab-invalid" : ""}`}
              onClick={() => onTab(t.connectionId)}
            >
              {c.name}
              {t.textOverride !== null && <span class="tab-note"> · custom</span>}
              <span class="visually-hidden"> ({c.platform})</span>
              {bad && <span aria-label=", has a problem"> ⚠</span>}
            </button>
          );
        })}
      </div>
      <div id="text-panel" role="tabpanel" aria-labelledby={current ? `tab-${current.connectionId}` : "tab-base"} class="field">
        <label for={editorId} class="field-label">
          {current && channel ? `Text for ${channel.name}` : "Text"}
        </label>
        <textarea
          id={editorId}
          class="input composer-text"
          rows={7}
          value={value}
          aria-invalid={textProblems.length > 0 || undefined}
          aria-describedby={`${editorId}-counts${textProblems.length ? ` ${editorId}-error` : ""}`}
          onInput={(e) => (current ? onOverride(current.connectionId, e.currentTarget.value) : onBaseText(e.currentTarget.value))}
        />
        {textProblems.length > 0 && (
          <p id={`${editorId}-error`} class="field-error">
            ⚠ {textProblems.map((p) => p.message).join(" ")}
          </p>
        )}
        <p id={`${editorId}-counts`} class="char-counts field-hint">
          {current && channel ? (
            <>
              {current.textOverride === null ? "Uses the text for all channels. Typing here makes it specific to this channel. " : ""}
              <Count text={value} platform={channel.platform} format={current.format} />
            </>
          ) : (
            targets.map((t) => {
              const c = channels.get(t.connectionId);
              return c ? (
                <span key={t.connectionId} class="char-count-item">
                  {c.name}: <Count text={textFor(draft, t)} platform={c.platform} format={t.format} />
                </span>
              ) : null;
            })
          )}
        </p>
        {current && current.textOverride !== null && (
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => onOverride(current.connectionId, null)}>
            Use the text for all channels
          </button>
        )}
      </div>
    </div>
  );
}
