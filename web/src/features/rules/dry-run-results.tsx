import type { z } from "zod";
import type { DryRunResult, PlannedAction } from "../../../../worker/contracts/inbox-rules.ts";
import { formatRelative } from "../../ui/time.tsx";

type Result = z.infer<typeof DryRunResult>;

function planned(action: PlannedAction, memberName: (id: string) => string): string {
  switch (action.type) {
    case "reply":
      return `Reply: “${action.text}”`;
    case "private_reply":
      return `Private reply: “${action.text}”`;
    case "dm":
      return `Message: “${action.text}”`;
    case "like":
      return "Like it";
    case "hide":
      return "Hide it";
    case "assign":
      return `Assign to ${memberName(action.userId)}`;
    case "tag":
      return `Tag “${action.tag}”`;
  }
}

/** What a dry run found: each message the rule would match, why, and exactly what it would send. */
export function DryRunResults({ result, memberName }: { result: Result; memberName: (id: string) => string }) {
  return (
    <section class="dry-run" aria-label="Dry run results">
      <p class="dry-run-summary" role="status">
        Looked at the last {result.examined} {result.examined === 1 ? "message" : "messages"}: {result.matched === 0 ? "none would match." : `${result.matched} would match.`} Nothing was sent.
      </p>
      {result.matches.length > 0 && (
        <ul class="dry-run-matches">
          {result.matches.map((m) => (
            <li key={m.messageId} class="card dry-run-match">
              <p>
                <strong>{m.authorName ?? "Someone"}</strong> on {m.channelName} <span class="muted">({formatRelative(m.at)})</span>: “{m.snippet}”
              </p>
              <p class="muted">{m.why}</p>
              {m.skipped ? (
                <p class="alert alert-warning">Would be skipped: {m.skipped.detail}</p>
              ) : (
                <ul class="dry-run-actions" aria-label="Would do">
                  {m.actions.map((a, i) => (
                    <li key={i}>{planned(a, memberName)}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
