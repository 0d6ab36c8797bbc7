import type { AnchorHTMLAttributes, ButtonHTMLAttributes, ComponentChildren } from "preact";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "loading"> {
  variant?: ButtonVariant;
  size?: "md" | "sm";
  /** Shows a busy state and blocks double submits while keeping the button focusable. */
  busy?: boolean;
  children?: ComponentChildren;
}

export function Button({ variant = "secondary", size = "md", busy = false, type = "button", class: cls, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={["btn", `btn-${variant}`, size === "sm" && "btn-sm", cls].filter(Boolean).join(" ")}
      aria-busy={busy || undefined}
      aria-disabled={busy || rest.disabled || undefined}
      onClick={(e) => {
        if (busy) {
          e.preventDefault();
          return;
        }
        rest.onClick?.(e);
      }}
    />
  );
}

export function LinkButton({
  variant = "secondary",
  size = "md",
  class: cls,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { variant?: ButtonVariant; size?: "md" | "sm" }) {
  return <a {...rest} class={["btn", `btn-${variant}`, size === "sm" && "btn-sm", cls].filter(Boolean).join(" ")} />;
}
