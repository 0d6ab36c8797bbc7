import type { ComponentChildren, Ref } from "preact";

/** The form-level error (problem `detail`), announced immediately. */
export function FormAlert({ children, alertRef }: { children?: ComponentChildren; alertRef?: Ref<HTMLDivElement> }) {
  return (
    <div ref={alertRef} role="alert" tabIndex={-1} class={children ? "alert alert-error" : "visually-hidden"}>
      {children}
    </div>
  );
}

/** Polite status line for confirmations ("Saved", "Role updated"). Always mounted so updates are announced. */
export function StatusMessage({ children, tone = "success" }: { children?: ComponentChildren; tone?: "success" | "info" }) {
  return (
    <p role="status" class={children ? `status status-${tone}` : "status status-empty"}>
      {children}
    </p>
  );
}
