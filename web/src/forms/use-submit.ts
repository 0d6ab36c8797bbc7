import type { GenericEventHandler } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Problem } from "../../../worker/contracts/common.ts";
import { toApiError } from "../api/problem.ts";

/**
 * Submission state for a form talking to the API: pending flag, the problem's `detail` for the
 * alert at the top, and `errors[].message` keyed by field name. After a failure, focus moves to the
 * first invalid field (or to the alert when no field is to blame).
 */
export function useSubmit() {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const focusAfterRender = useRef(false);

  useEffect(() => {
    if (!focusAfterRender.current) return;
    focusAfterRender.current = false;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? alertRef.current)?.focus();
  });

  async function submit(action: () => Promise<void>): Promise<boolean> {
    if (pending) return false;
    setPending(true);
    setProblem(null);
    setErrors({});
    try {
      await action();
      return true;
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return false;
      const apiError = toApiError(error);
      setProblem(apiError.problem);
      setErrors(apiError.fieldErrors());
      focusAfterRender.current = true;
      return false;
    } finally {
      setPending(false);
    }
  }

  /** Editing a field clears its stale message. */
  const onInput: GenericEventHandler<HTMLFormElement> = (e) => {
    const name = (e.target as HTMLInputElement | null)?.name;
    if (name && errors[name]) {
      const { [name]: _, ...rest } = errors;
      setErrors(rest);
    }
  };

  return { pending, problem, errors, formRef, alertRef, submit, onInput };
}

/** Reads a form's named values as strings. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === "string") out[key] = value;
  });
  return out;
}
