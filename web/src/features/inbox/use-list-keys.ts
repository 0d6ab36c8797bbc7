import { useEffect, useRef } from "preact/hooks";
import { moveSelection } from "./inbox-query.ts";

const ROW_SELECTOR = ".inbox-list [data-conversation-id]";
const TYPING_TARGETS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

/**
 * Inbox keyboard: j/k or the arrows move focus between rows (Enter opens the focused one, being a
 * button), Escape closes the open conversation. Keys typed into fields and open dialogs are left alone.
 */
export function useListKeys({ onEscape }: { onEscape: (() => void) | null }): void {
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || document.querySelector("dialog[open]")) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (e.key === "Escape") {
        if (escape.current) {
          e.preventDefault();
          escape.current();
        }
        return;
      }
      if (target && (TYPING_TARGETS.has(target.tagName) || target.isContentEditable)) return;
      const delta = e.key === "j" || e.key === "ArrowDown" ? 1 : e.key === "k" || e.key === "ArrowUp" ? -1 : 0;
      if (delta === 0) return;
      const rows = [...document.querySelectorAll<HTMLElement>(ROW_SELECTOR)];
      const current = rows.findIndex((r) => r === document.activeElement);
      // Arrows keep scrolling the page unless focus is already in the list; j and k work from anywhere.
      if (current === -1 && e.key.startsWith("Arrow")) return;
      const next = moveSelection(current === -1 ? null : current, delta, rows.length);
      if (next === null) return;
      e.preventDefault();
      rows[next]?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
