import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * Loads the bell after first paint: it brings zod (to parse notifications) and its own styles, which
 * the first-load bundle should not carry. Until then an empty box of the same size holds its place.
 */
export function NotificationBellSlot() {
  const [Bell, setBell] = useState<ComponentType | null>(null);
  useEffect(() => {
    let mounted = true;
    import("../features/notifications/notification-bell.tsx").then(
      (m) => mounted && setBell(() => m.NotificationBell),
      () => {},
    );
    return () => void (mounted = false);
  }, []);
  return Bell ? <Bell /> : <span class="bell-placeholder" aria-hidden="true" />;
}
