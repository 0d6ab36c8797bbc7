import { useId } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import { PLATFORM_NAME } from "../inbox/inbox-labels.ts";
import type { FormField, KindChoice, RuleForm } from "./rule-form.ts";
import { TagInput } from "./tag-input.tsx";

interface Props {
  form: RuleForm;
  connections: Connection[];
  errors: Partial<Record<FormField, string>>;
  update: (patch: Partial<RuleForm>) => void;
}

const KINDS: { value: KindChoice; label: string }[] = [
  { value: "comments", label: "Comments" },
  { value: "dm", label: "Direct messages" },
  { value: "both", label: "Both" },
];

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="field-error">
      <span aria-hidden="true">⚠ </span>
      {message}
    </p>
  );
}

/** The "when" half of the editor: kinds, channels, keywords and the optional pattern. */
export function RuleConditionsFields({ form, connections, errors, update }: Props) {
  const id = useId();
  const inboxChannels = connections.filter((c) => c.platform === "facebook" || c.platform === "instagram");
  return (
    <fieldset class="rule-fieldset">
      <legend>When</legend>
      <fieldset class="rule-choice" aria-describedby={errors.kinds ? `${id}-kinds-error` : undefined}>
        <legend class="field-label">Kinds</legend>
        <div class="row">
          {KINDS.map((k) => (
            <label key={k.value}>
              <input type="radio" name={`${id}-kinds`} value={k.value} checked={form.kinds === k.value} aria-invalid={errors.kinds ? true : undefined} onChange={() => update({ kinds: k.value })} /> {k.label}
            </label>
          ))}
        </div>
        <FieldError id={`${id}-kinds-error`} message={errors.kinds} />
      </fieldset>
      <fieldset class="rule-choice" aria-describedby={`${id}-channels-hint${errors.channels ? ` ${id}-channels-error` : ""}`}>
        <legend class="field-label">Channels</legend>
        <div class="row">
          {inboxChannels.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={form.channels.includes(c.id)}
                aria-invalid={errors.channels ? true : undefined}
                onChange={(e) => update({ channels: e.currentTarget.checked ? [...form.channels, c.id] : form.channels.filter((x) => x !== c.id) })}
              />{" "}
              {c.name} ({PLATFORM_NAME[c.platform]})
            </label>
          ))}
        </div>
        <p id={`${id}-channels-hint`} class="field-hint">
          {inboxChannels.length === 0 ? "No Facebook or Instagram channel is connected yet; the rule will watch every channel." : "None ticked means every channel."}
        </p>
        <FieldError id={`${id}-channels-error`} message={errors.channels} />
      </fieldset>
      <TagInput label="Contains any of" hint="Whole words, ignoring case and accents. Press Enter or type a comma after each." values={form.any} error={errors.any} onChange={(any) => update({ any })} />
      <TagInput label="Contains all of" hint="Every one of these must appear." values={form.all} error={errors.all} onChange={(all) => update({ all })} />
      <TagInput label="Contains none of" hint="The rule ignores messages with any of these." values={form.none} error={errors.none} onChange={(none) => update({ none })} />
      <label class="rule-check">
        <input type="checkbox" checked={form.useRegex} onChange={(e) => update({ useRegex: e.currentTarget.checked })} /> Also match a pattern (regular expression)
      </label>
      {form.useRegex && (
        <div class={errors.regex ? "field field-invalid" : "field"}>
          <label class="field-label" for={`${id}-regex`}>
            Pattern
          </label>
          <input id={`${id}-regex`} class="input rule-regex" value={form.regexPattern} placeholder="\d+\s?(€|eur)" aria-invalid={errors.regex ? true : undefined} aria-describedby={`${id}-regex-hint${errors.regex ? ` ${id}-regex-error` : ""}`} onInput={(e) => update({ regexPattern: e.currentTarget.value })} />
          <p id={`${id}-regex-hint`} class="field-hint">
            Matched against the original text, in RE2 syntax: any pattern runs in time proportional to the message's length. Backreferences (\1) and lookarounds ((?=…)) are not supported.
          </p>
          <FieldError id={`${id}-regex-error`} message={errors.regex} />
          <label class="rule-check">
            <input type="checkbox" checked={form.regexIgnoreCase} onChange={(e) => update({ regexIgnoreCase: e.currentTarget.checked })} /> Ignore upper and lower case
          </label>
        </div>
      )}
    </fieldset>
  );
}
