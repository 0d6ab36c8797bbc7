import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { RuleHit } from "../../contracts/inbox-rules";
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
