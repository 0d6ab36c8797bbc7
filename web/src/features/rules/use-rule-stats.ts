import { useEffect, useState } from "preact/hooks";
import { rulesApi } from "./rules-api.ts";

/** How much of the hit log the list reads to show a count; past it the count reads "200+". */
export const HIT_COUNT_WINDOW = 200;

export interface RuleStats {
  count: number;
  /** True when the log holds more hits than were read. */
  more: boolean;
  lastAt: string | null;
}

/**
 * Hit count and last hit per rule, read from each rule's hit log (the rules contract carries no
 * counters). Reloaded when `version` changes, i.e. after live inbox events that may mean new hits.
 */
export function useRuleStats(workspaceId: string, ruleIds: readonly string[], version: number): ReadonlyMap<string, RuleStats> {
  const [stats, setStats] = useState<ReadonlyMap<string, RuleStats>>(new Map());
  const key = ruleIds.join(",");
  useEffect(() => {
    let live = true;
    void Promise.all(
      ruleIds.map(async (ruleId) => {
        try {
          const hits = await rulesApi.hits(workspaceId, ruleId, HIT_COUNT_WINDOW);
          return [ruleId, { count: hits.length, more: hits.length >= HIT_COUNT_WINDOW, lastAt: hits[0]?.at ?? null }] as const;
        } catch {
          return null; // A count is a nicety; the rule itself is listed either way.
        }
      }),
    ).then((entries) => {
      if (live) setStats(new Map(entries.filter((e) => e !== null)));
    });
    return () => {
      live = false;
    };
    // `key` stands for the ids: a new array with the same ids must not refetch.
  }, [workspaceId, key, version]);
  return stats;
}
