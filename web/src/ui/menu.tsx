import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";

interface MenuProps {
  /** Content of the toggle button. */
  trigger: ComponentChildren;
  /** Accessible name of the toggle button. */
  label: string;
  children: (close: () => void) => ComponentChildren;
  align?: "start" | "end";
  onOpen?: () => void;
  /** Id of an element that adds to the toggle's name (an unread count), keeping the label itself stable. */
  describedBy?: string;
  /** Extra class for the panel (a wider or differently placed popover). */
  panelClass?: string;
}

/**
 * A disclosure popover of links and buttons (not an ARIA menu: items stay in the Tab order).
 * Closes on Escape (focus back on the toggle), on a click outside, and when focus leaves it.
 */
export function Menu({ trigger, label, children, align = "end", onOpen, describedBy, panelClass }: MenuProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = `menu${useId()}`;

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div
      class="menu"
      ref={root}
      onFocusOut={(e) => {
        if (open && e.relatedTarget && !root.current?.contains(e.relatedTarget as Node)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        class="menu-trigger"
        aria-label={label}
        aria-describedby={describedBy}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen(!open);
        }}
      >
        {trigger}
      </button>
      <div id={panelId} class={["menu-panel", `menu-${align}`, panelClass].filter(Boolean).join(" ")} hidden={!open}>
        {open && children(() => setOpen(false))}
      </div>
    </div>
  );
}
