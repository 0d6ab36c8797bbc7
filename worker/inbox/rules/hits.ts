import { and, count, desc, eq, inArray, max } from "drizzle-orm";
import type { z } from "zod";
import type { RuleHit, RuleHitStats } from "../../contracts/inbox-rules";
import type { Database } from "../../db/client";
import { inboxRuleHits, messages } from "../../db/schema-inbox";
import { snippetOf } from "./dry-run";

/** A rule's hit log, newest first (served by inbox_rule_hits_rule_idx). */
export async function listRuleHits(db: Database, workspaceId: string, ruleId: string, limit: number): Promise<z.infer<typeof RuleHit>[]> {
  const rows = await db
    .select({
      id: inboxRuleHits.id,
      messageId: inboxRuleHits.messageId,
      conversationId: inboxRuleHits.conversationId,
      authorId: inboxRuleHits.authorId,
      authorName: messages.authorName,
      text: messages.text,
      outcome: inboxRuleHits.outcome,
      detail: inboxRuleHits.detail,
      at: inboxRuleHits.at,
    })
    .from(inboxRuleHits)
    .innerJoin(messages, eq(messages.id, inboxRuleHits.messageId))
    .where(and(eq(inboxRuleHits.ruleId, ruleId), eq(inboxRuleHits.workspaceId, workspaceId)))
    .orderBy(desc(inboxRuleHits.at), desc(inboxRuleHits.id))
    .limit(limit);
  return rows.map(({ text, at, ...hit }) => ({ ...hit, snippet: snippetOf(text), at: new Date(at).toISOString() }));
}

/** D1 binds at most 100 parameters per statement. */
const RULES_PER_QUERY = 90;

/** Hit count and last hit of each rule, by one grouped read of inbox_rule_hits_rule_idx (no rows fetched). */
export async function ruleHitStats(db: Database, workspaceId: string, ruleIds: string[]): Promise<Map<string, RuleHitStats>> {
  const stats = new Map<string, RuleHitStats>();
  for (let i = 0; i < ruleIds.length; i += RULES_PER_QUERY) {
    const rows = await db
      .select({ ruleId: inboxRuleHits.ruleId, count: count(), lastAt: max(inboxRuleHits.at) })
      .from(inboxRuleHits)
      .where(and(inArray(inboxRuleHits.ruleId, ruleIds.slice(i, i + RULES_PER_QUERY)), eq(inboxRuleHits.workspaceId, workspaceId)))
      .groupBy(inboxRuleHits.ruleId);
    for (const row of rows) stats.set(row.ruleId, { count: row.count, lastAt: row.lastAt === null ? null : new Date(row.lastAt).toISOString() });
  }
  return stats;
}
