import type { ComponentChildren, FocusEventHandler, GenericEventHandler, Ref } from "preact";
import { useId } from "preact/hooks";

interface FieldChrome {
  label: string;
  /** Server or client message for this field; rendered next to it and linked with aria-describedby. */
  error?: string | undefined;
  hint?: ComponentChildren;
  /** Visually hide the label (it stays the accessible name). */
  hideLabel?: boolean;
}

function describedBy(hintId: string, errorId: string, hint: unknown, error: unknown): string | undefined {
  return [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
}

function Chrome(props: FieldChrome & { id: string; hintId: string; errorId: string; children: ComponentChildren }) {
  return (
    <div class={["field", props.error && "field-invalid"].filter(Boolean).join(" ")}>
      <label for={props.id} class={props.hideLabel ? "visually-hidden" : "field-label"}>
        {props.label}
      </label>
      {props.children}
      {props.hint && (
        <p id={props.hintId} class="field-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={props.errorId} class="field-error">
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      )}
    </div>
  );
}

export interface TextInputProps extends FieldChrome {
  id?: string;
  name?: string;
  type?: "text" | "email" | "password" | "url" | "search";
  inputMode?: "text" | "numeric" | "decimal";
  value?: string;
  defaultValue?: string;
  placeholder?: string;
  autoComplete?: string;
  required?: boolean;
  readOnly?: boolean;
  disabled?: boolean;
  maxLength?: number;
  onInput?: GenericEventHandler<HTMLInputElement>;
  onFocus?: FocusEventHandler<HTMLInputElement>;
  ref?: Ref<HTMLInputElement>;
}

export function TextInput({ label, error, hint, hideLabel, id, type = "text", ...input }: TextInputProps) {
  const auto = useId();
  const fieldId = id ?? `f${auto}`;
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  return (
    <Chrome label={label} error={error} hint={hint} hideLabel={hideLabel} id={fieldId} hintId={hintId} errorId={errorId}>
      <input
        class="input"
        {...input}
        // Preact types `type` as a discriminated union per input kind; every kind we accept is a text-like one.
        type={type as "text"}
        id={fieldId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
      />
    </Chrome>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectProps extends FieldChrome {
  id?: string;
  name?: string;
  value?: string;
  defaultValue?: string;
  required?: boolean;
  disabled?: boolean;
  options: readonly SelectOption[];
  onChange?: GenericEventHandler<HTMLSelectElement>;
}

export function Select({ label, error, hint, hideLabel, id, options, defaultValue, ...select }: SelectProps) {
  const auto = useId();
  const fieldId = id ?? `f${auto}`;
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  return (
    <Chrome label={label} error={error} hint={hint} hideLabel={hideLabel} id={fieldId} hintId={hintId} errorId={errorId}>
      <select
        class="input select"
        {...select}
        id={fieldId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
      >
        {options.map((o) => (
          // <select> has no defaultValue property in the DOM: mark the initial option instead.
          <option key={o.value} value={o.value} selected={defaultValue !== undefined ? o.value === defaultValue : undefined}>
            {o.label}
          </option>
        ))}
      </select>
    </Chrome>
  );
}
