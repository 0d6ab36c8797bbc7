import type { ComponentChildren } from "preact";

export function Badge({ children, tone = "neutral", title }: { children: ComponentChildren; tone?: "neutral" | "accent" | "warning" | "success"; title?: string }) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
