import { useState } from "preact/hooks";

interface AvatarProps {
  name: string;
  src?: string | null;
  size?: "sm" | "md" | "lg" | "xl";
  /** Accessible name; defaults to the person's name. Pass "" when adjacent text already names them. */
  label?: string;
  title?: string;
}

const PALETTE = 8;

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

function hue(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % PALETTE;
}

export function Avatar({ name, src, size = "md", label, title }: AvatarProps) {
  const a11yName = label ?? name;
  const cls = `avatar avatar-${size} avatar-c${hue(name)}`;
  // A picture that fails to load (expired platform URL, offline) falls back to the initials.
  const [failed, setFailed] = useState<string | null>(null);
  if (src && failed !== src) return <img class={cls} src={src} alt={a11yName} title={title} loading="lazy" decoding="async" onError={() => setFailed(src)} />;
  return a11yName ? (
    <span class={cls} role="img" aria-label={a11yName} title={title}>
      <span aria-hidden="true">{initials(name)}</span>
    </span>
  ) : (
    <span class={cls} aria-hidden="true" title={title}>
      {initials(name)}
    </span>
  );
}
