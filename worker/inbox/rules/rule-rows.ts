import { z } from "zod";
import { QuietHours, RuleAction, RuleConditions, type Rule } from "../../contracts/inbox-rules";
import type { inboxRules } from "../../db/schema-inbox";
import type { EngineRule } from "../../domain/rules/engine";

export type RuleRow = typeof inboxRules.$inferSelect;

const StoredRule = z.object({ conditions: RuleConditions, actions: z.array(RuleAction).min(1), quietHours: QuietHours.nullable() });

/**
 * A stored rule parsed again with the contract before it runs: the JSON columns were validated on
 * save, but a rule saved by an older version must not run on a shape this code does not understand.
 * Null (and a log line) when it no longer parses; such a rule is skipped, never guessed at.
 */
export function engineRuleFrom(row: RuleRow): EngineRule | null {
  const parsed = StoredRule.safeParse({ conditions: row.conditions, actions: row.actions, quietHours: row.quietHours });
  if (!parsed.success) {
    console.error(JSON.stringify({ msg: "stored inbox rule does not parse; skipped", ruleId: row.id, workspaceId: row.workspaceId, issues: parsed.error.issues.slice(0, 5) }));
    return null;
  }
  return { id: row.id, name: row.name, priority: row.priority, stopAfterMatch: row.stopAfterMatch, cooldownSeconds: row.cooldownSeconds, ...parsed.data };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The API view of a stored rule (contract `Rule`). */
export function ruleView(row: RuleRow): Rule {
  const parsed = StoredRule.parse({ conditions: row.conditions, actions: row.actions, quietHours: row.quietHours });
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    priority: row.priority,
    stopAfterMatch: row.stopAfterMatch,
    cooldownSeconds: row.cooldownSeconds,
    quietHours: parsed.quietHours,
    conditions: parsed.conditions,
    actions: parsed.actions,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
