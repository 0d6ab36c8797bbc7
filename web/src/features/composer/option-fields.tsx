import type { ComponentChildren } from "preact";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import { fieldId, type ChannelProblems, type TargetDraft } from "./composer-draft.ts";

export type Choices = readonly (readonly [string, string])[];

/** What every platform's option section gets: the channel, its draft and problems, and how to change them. */
export interface OptionSectionProps {
  channel: Connection;
  target: TargetDraft;
  problems: ChannelProblems;
  onChange: (patch: Partial<TargetDraft>) => void;
}

/** Wraps a control with its label and the validator's sentences for its option path. */
export function OptionField(props: { id: string; label: string; messages: string[]; children: ComponentChildren; inline?: boolean; hint?: ComponentChildren }) {
  return (
    <div class={`field${props.messages.length ? " field-invalid" : ""}${props.inline ? " field-inline" : ""}`}>
      {!props.inline && (
        <label for={props.id} class="field-label">
          {props.label}
        </label>
      )}
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} class="field-hint">
          {props.hint}
        </p>
      )}
      {props.messages.length > 0 && (
        <p id={`${props.id}-error`} class="field-error">
          ⚠ {props.messages.join(" ")}
        </p>
      )}
    </div>
  );
}

/**
 * The controls a section builds its options from, each bound to `options.<key>`: ids the problem list
 * links to, the validator's sentences under the control, and `aria-describedby` pointing at them.
 */
export function optionControls({ channel, target, problems, onChange }: OptionSectionProps) {
  const opt = target.options;
  const id = (path: string) => fieldId(channel.id, path);
  const messages = (path: string) => problems.byPath(path).map((p) => p.message);
  /** Problems about `path` itself, not about its items (`options.chain`, not `options.chain.2`). */
  const exactMessages = (path: string) => problems.all.filter((p) => p.path === path).map((p) => p.message);
  const set = (key: string, value: unknown) => onChange({ options: { ...opt, [key]: value } });
  /** Several keys at once (a key set to undefined is dropped, so it is not sent). */
  const setMany = (patch: Record<string, unknown>) => {
    const next: Record<string, unknown> = { ...opt, ...patch };
    for (const key of Object.keys(patch)) if (patch[key] === undefined) delete next[key];
    onChange({ options: next });
  };
  const str = (key: string, fallback = "") => (typeof opt[key] === "string" ? (opt[key] as string) : fallback);
  const describedBy = (path: string, hint = false) => {
    const ids = [hint ? `${id(path)}-hint` : "", messages(path).length ? `${id(path)}-error` : ""].filter(Boolean).join(" ");
    return { ...(ids ? { "aria-describedby": ids } : {}), ...(messages(path).length ? { "aria-invalid": true as const } : {}) };
  };

  const text = (key: string, label: string) => (
    <OptionField id={id(`options.${key}`)} label={label} messages={messages(`options.${key}`)}>
      <input id={id(`options.${key}`)} class="input" value={str(key)} onInput={(e) => set(key, e.currentTarget.value)} {...describedBy(`options.${key}`)} />
    </OptionField>
  );

  const select = (key: string, label: string, choices: Choices, extra: { placeholder?: string; fallback?: string; hint?: ComponentChildren; disabled?: (value: string) => boolean } = {}) => (
    <OptionField id={id(`options.${key}`)} label={label} messages={messages(`options.${key}`)} hint={extra.hint}>
      <select
        id={id(`options.${key}`)}
        class="input select"
        value={str(key, extra.fallback)}
        onChange={(e) => set(key, e.currentTarget.value || undefined)}
        {...describedBy(`options.${key}`, extra.hint !== undefined)}
      >
        {extra.placeholder !== undefined && <option value="">{extra.placeholder}</option>}
        {choices.map(([value, name]) => (
          <option key={value} value={value} disabled={extra.disabled?.(value)}>
            {name}
          </option>
        ))}
      </select>
    </OptionField>
  );

  /**
   * A switch for a boolean option. `invert`: the option says "disable X" while the switch says "Allow X".
   * `locked` shows the switch off and unchangeable, with the reason beside it.
   */
  const toggle = (key: string, label: string, extra: { invert?: boolean; defaultOn?: boolean; locked?: string } = {}) => {
    const { invert = false, defaultOn = false, locked } = extra;
    const on = locked ? false : invert ? opt[key] !== true : defaultOn ? opt[key] !== false : opt[key] === true;
    const path = `options.${key}`;
    return (
      <OptionField id={id(path)} label={label} messages={messages(path)} inline hint={locked}>
        <label class="switch">
          <input
            id={id(path)}
            type="checkbox"
            role="switch"
            checked={on}
            disabled={locked !== undefined}
            onChange={(e) => set(key, invert ? !e.currentTarget.checked : e.currentTarget.checked)}
            {...describedBy(path, locked !== undefined)}
          />
          <span>{label}</span>
        </label>
      </OptionField>
    );
  };

  return { id, messages, exactMessages, set, setMany, str, describedBy, text, select, toggle, opt };
}
