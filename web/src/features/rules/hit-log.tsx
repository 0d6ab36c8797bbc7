import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { RuleHit } from "../../../../worker/contracts/inbox-rules.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Loading } from "../../ui/loading.tsx";
import { formatRelative } from "../../ui/time.tsx";
import { rulesApi } from "./rules-api.ts";

type Hit = z.infer<typeof RuleHit>;

const OUTCOME: Record<Hit["outcome"], string> = {
  acted: "Acted",
  skipped_cooldown: "Skipped: cooldown",
  skipped_quiet_hours: "Skipped: quiet hours",
  failed: "Failed",
};

/** A rule's hit log, newest first. `version` changes when the page learns of new hits (live events). */
export function HitLog({ workspaceId, ruleId, ruleName, version }: { workspaceId: string; ruleId: string; ruleName: string; version: number }) {
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    rulesApi.hits(workspaceId, ruleId).then(
      (list) => live && (setHits(list), setError(null)),
      (err: unknown) => live && setError(toApiError(err).problem.detail),
    );
    return () => {
      live = false;
    };
  }, [workspaceId, ruleId, version]);

  return (
    <section class="hit-log" aria-label={`Hit log of ${ruleName}`}>
      <FormAlert>{error}</FormAlert>
      {!hits ? (
        !error && <Loading label="Loading the hit log…" />
      ) : hits.length === 0 ? (
        <p class="empty-note">No hits yet. Messages this rule matches are listed here.</p>
      ) : (
        <ul class="hit-list">
          {hits.map((hit) => (
            <li key={hit.id} class="hit">
              <span class={`hit-outcome hit-${hit.outcome}`}>{OUTCOME[hit.outcome]}</span> <strong>{hit.authorName ?? "Someone"}</strong>: “{hit.snippet}” <span class="muted">{formatRelative(hit.at)}</span>
              {hit.detail && <p class="muted hit-detail">{hit.detail}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
