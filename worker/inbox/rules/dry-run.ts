import { and, desc, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { DryRunMatch, DryRunResult } from "../../contracts/inbox-rules";
import type { Database } from "../../db/client";
import { connections } from "../../db/schema";
import { conversations, messages } from "../../db/schema-inbox";
import { planActions, type EngineRule } from "../../domain/rules/engine";

export const SNIPPET_MAX = 140;
export const snippetOf = (text: string) => (text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1)}…` : text);

/**
 * What a rule would have done to the workspace's last `last` inbound messages, changing nothing.
 * Messages are replayed oldest first at their own time, so quiet hours are judged when each arrived
 * and the per-person cooldown counts only the matches of this replay (earlier hits are not used:
 * the question is "what does this rule do", not "what would it do today").
 */
export async function dryRun(db: Database, workspace: { id: string; timezone: string }, rule: EngineRule, last: number): Promise<z.infer<typeof DryRunResult>> {
  const recent = await db
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      connectionId: messages.connectionId,
      direction: messages.direction,
      ruleId: messages.ruleId,
      authorId: messages.authorId,
      authorName: messages.authorName,
      text: messages.text,
      platformAt: messages.platformAt,
      kind: conversations.kind,
      channelName: connections.name,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(connections, eq(connections.id, messages.connectionId))
    .where(and(eq(messages.workspaceId, workspace.id), eq(messages.direction, "in"), isNull(messages.ruleId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(last);

  const actedFor = new Map<string, number>();
  const matches: z.infer<typeof DryRunMatch>[] = [];
  for (const message of [...recent].reverse()) {
    const lastActed = message.authorId === null ? undefined : actedFor.get(message.authorId);
    const context = { now: message.platformAt, timeZone: workspace.timezone, channelName: message.channelName, lastActedAt: lastActed === undefined ? {} : { [rule.id]: lastActed } };
    const [plan] = planActions([rule], message, context);
    if (!plan) continue;
    if (!plan.skipped && message.authorId !== null) actedFor.set(message.authorId, message.platformAt);
    matches.push({
      messageId: message.id,
      conversationId: message.conversationId,
      kind: message.kind,
      channelName: message.channelName,
      authorName: message.authorName,
      snippet: snippetOf(message.text),
      at: new Date(message.platformAt).toISOString(),
      why: plan.why,
      actions: plan.actions,
      skipped: plan.skipped,
    });
  }
  return { examined: recent.length, matched: matches.length, matches: matches.reverse() };
}
