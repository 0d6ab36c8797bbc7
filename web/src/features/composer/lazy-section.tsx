import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * A part of the composer loaded only when first shown (TikTok's options are most of a chunk that posts
 * without TikTok never need). Unlike preact-iso's `lazy`, it does not suspend the route around it: the
 * rest of the composer stays on screen while the part loads, with `loadingLabel` in its place.
 */
export function lazySection<P extends object>(load: () => Promise<ComponentType<P>>, loadingLabel: string): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazySection(props: P) {
    const [, setVersion] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      pending.then(
        (component) => {
          loaded = component;
          setVersion((v) => v + 1);
        },
        () => {
          pending = null;
          setFailed(true);
        },
      );
    }, []);
    if (loaded) {
      const Loaded = loaded;
      return <Loaded {...props} />;
    }
    if (failed) return <p class="alert alert-error">This part of the form could not be loaded. Check your connection and reload the page.</p>;
    return (
      <p class="muted small" role="status">
        {loadingLabel}
      </p>
    );
  };
}
