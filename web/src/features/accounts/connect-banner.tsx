import { useEffect, useRef } from "preact/hooks";
import { Button } from "../../ui/button.tsx";
import type { ConnectResult } from "./connect-result.ts";

/**
 * The outcome of a round trip through a platform's consent page. It takes focus when it appears
 * (after the page heading did), so people returning from OAuth hear what happened first.
 */
export function ConnectBanner({ result, onDismiss }: { result: Exclude<ConnectResult, { kind: "select" }>; onDismiss: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [result]);
  const error = result.kind === "error";
  return (
    <div ref={ref} tabIndex={-1} role={error ? "alert" : "status"} class={`alert banner ${error ? "alert-error" : "alert-success"}`}>
      <div class="banner-text">
        {error ? (
          <>
            <strong>{result.title}.</strong> <span>{result.message}</span>
          </>
        ) : (
          <strong>{result.message}</strong>
        )}
      </div>
      <Button size="sm" variant="ghost" class="banner-dismiss" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  );
}
