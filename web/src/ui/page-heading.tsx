import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * The page's h1. It takes focus when it mounts so keyboard and screen-reader users land on the new
 * page after a client-side navigation, and it sets the document title to match.
 */
export function PageHeading({ children, title, subtitle }: { children: ComponentChildren; title: string; subtitle?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    document.title = `${title} · Atelier`;
  }, [title]);
  return (
    <div class="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {subtitle && <p class="page-subtitle">{subtitle}</p>}
    </div>
  );
}
