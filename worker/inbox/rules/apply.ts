import { and, asc, eq, inArray, lte, max, ne } from "drizzle-orm";
import { connections, workspaces } from "../../db/schema";
import { conversations, inboxRuleHits, inboxRules, messages } from "../../db/schema-inbox";
import { planActions, renderActions, type EngineMessage, type EngineRule, type RulePlan } from "../../domain/rules/engine";
import { newId } from "../../security/ids";
import type { InboxDeps } from "../deps";
import { carryOutActions, type CarryOutResult } from "./carry-out";
import { engineRuleFrom } from "./rule-rows";

/** The message with what the rules need to know about its thread, channel and workspace. */
async function loadSubject(deps: InboxDeps, messageId: string) {
  return deps.db
    .select({
      id: messages.id,
      workspaceId: messages.workspaceId,
      conversationId: messages.conversationId,
      connectionId: messages.connectionId,
      direction: messages.direction,
      state: messages.state,
      ruleId: messages.ruleId,
      authorId: messages.authorId,
      authorName: messages.authorName,
      text: messages.text,
      createdAt: messages.createdAt,
      kind: conversations.kind,
      timeZone: workspaces.timezone,
      channelName: connections.name,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(workspaces, eq(workspaces.id, messages.workspaceId))
    .innerJoin(connections, eq(connections.id, messages.connectionId))
    .where(eq(messages.id, messageId))
    .get();
}

/** When each rule last acted for this author, not counting this message (cooldowns are per rule and per person). */
async function lastActedAt(deps: InboxDeps, ruleIds: string[], authorId: string | null, messageId: string): Promise<Record<string, number>> {
  if (authorId === null || ruleIds.length === 0) return {};
  const rows = await deps.db
    .select({ ruleId: inboxRuleHits.ruleId, at: max(inboxRuleHits.at) })
    .from(inboxRuleHits)
    .where(and(inArray(inboxRuleHits.ruleId, ruleIds), eq(inboxRuleHits.authorId, authorId), eq(inboxRuleHits.outcome, "acted"), ne(inboxRuleHits.messageId, messageId)))
    .groupBy(inboxRuleHits.ruleId);
  return Object.fromEntries(rows.flatMap((row) => (row.at === null ? [] : [[row.ruleId, row.at]])));
}

function summary(result: CarryOutResult): string {
  const parts = [...result.done, ...result.failures.map((f) => `could not act: ${f.replace(/\.$/, "")}`)];
  const sentence = parts.join("; ");
  return sentence.length > 0 ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.` : "Nothing to do for this kind of message.";
}

/**
 * Runs the workspace's enabled rules on a newly recorded inbound message, and again when its webhook
 * is delivered again (`redelivered`: finishing a run that an error or a crash stopped part-way; never on our own messages
 * or echoes: direction `out` or a rule's own reply never get here, and the engine refuses them too).
 *
 * Each rule fires at most once per message: its hit row is inserted *before* anything is done, keyed
 * (rule, message). A hit whose detail is still empty was claimed by a run that stopped midway; a later
 * run resumes its actions, which is safe because every platform action carries the idempotency key
 * `rule:<ruleId>:<messageId>:<n>` and assignment and tags are conditional updates.
 */
export async function applyRules(deps: InboxDeps, messageId: string, options: { redelivered?: boolean } = {}): Promise<void> {
  const subject = await loadSubject(deps, messageId);
  if (!subject || subject.direction !== "in" || subject.ruleId !== null || subject.state === "removed") return;
  // On a redelivery only the rules that already existed when the message arrived: its first run may
  // have stopped part-way (and is finished now), but a rule made since then never acts on old messages.
  const existing = options.redelivered ? lte(inboxRules.createdAt, subject.createdAt) : undefined;
  const rows = await deps.db.select().from(inboxRules).where(and(eq(inboxRules.workspaceId, subject.workspaceId), eq(inboxRules.enabled, true), existing)).orderBy(asc(inboxRules.priority), asc(inboxRules.createdAt));
  const rules = rows.map(engineRuleFrom).filter((rule): rule is EngineRule => rule !== null);
  if (rules.length === 0) return;

  const message: EngineMessage = { ...subject, kind: subject.kind };
  const now = deps.now();
  const context = { now, timeZone: subject.timeZone, channelName: subject.channelName, lastActedAt: await lastActedAt(deps, rules.map((r) => r.id), subject.authorId, subject.id) };
  let conversationChanged = false;
  for (const plan of planActions(rules, message, context)) {
    const rule = rules.find((r) => r.id === plan.ruleId);
    if (!rule) continue;
    const actions = await claim(deps, subject, plan, rule, now);
    if (actions === null) continue;
    const target = { workspaceId: subject.workspaceId, conversationId: subject.conversationId, messageId: subject.id, ruleId: rule.id };
    const result = await carryOutActions(deps, target, actions);
    conversationChanged ||= result.conversationChanged;
    await deps.db
      .update(inboxRuleHits)
      .set({ outcome: result.failures.length > 0 ? "failed" : "acted", detail: summary(result) })
      .where(and(eq(inboxRuleHits.ruleId, rule.id), eq(inboxRuleHits.messageId, subject.id)));
  }
  if (conversationChanged) await deps.live(subject.workspaceId, { kind: "conversation.changed", conversationId: subject.conversationId });
}

/**
 * Claims the (rule, message) hit. Returns the actions to carry out: the plan's for a fresh claim, the
 * rule's for an unfinished earlier claim (resumed), or null when there is nothing (more) to do.
 */
async function claim(deps: InboxDeps, subject: NonNullable<Awaited<ReturnType<typeof loadSubject>>>, plan: RulePlan, rule: EngineRule, now: number) {
  const outcome = plan.skipped ? (plan.skipped.reason === "cooldown" ? "skipped_cooldown" : "skipped_quiet_hours") : "acted";
  const inserted = await deps.db
    .insert(inboxRuleHits)
    .values({ id: newId(), workspaceId: subject.workspaceId, ruleId: rule.id, messageId: subject.id, conversationId: subject.conversationId, authorId: subject.authorId, outcome, detail: plan.skipped?.detail ?? null, at: now })
    .onConflictDoNothing({ target: [inboxRuleHits.ruleId, inboxRuleHits.messageId] })
    .returning({ id: inboxRuleHits.id });
  if (inserted.length > 0) return plan.skipped ? null : plan.actions;
  const earlier = await deps.db.select({ outcome: inboxRuleHits.outcome, detail: inboxRuleHits.detail }).from(inboxRuleHits).where(and(eq(inboxRuleHits.ruleId, rule.id), eq(inboxRuleHits.messageId, subject.id))).get();
  // Resume only what an earlier run claimed as `acted` and did not finish; its decision stands even if
  // quiet hours or a cooldown would now say otherwise.
  if (earlier?.outcome !== "acted" || earlier.detail !== null) return null;
  return renderActions(rule.actions, { ...subject }, subject.channelName);
}
