import { and, eq, isNull, sql } from "drizzle-orm";
import type { PlannedAction } from "../../contracts/inbox-rules";
import { memberships } from "../../db/schema";
import { conversations } from "../../db/schema-inbox";
import { requestAction } from "../actions/request";
import type { InboxDeps } from "../deps";

export type RuleTarget = { workspaceId: string; conversationId: string; messageId: string; ruleId: string };
export type CarryOutResult = { done: string[]; failures: string[]; conversationChanged: boolean };

/**
 * The idempotency key of a rule's action: the same rule, message and action position always name
 * the same inbox action, so a replayed delivery or a resumed run never replies twice.
 */
export const ruleActionKey = (target: RuleTarget, index: number) => `rule:${target.ruleId}:${target.messageId}:${index}`;

const DONE_WORDS: Record<PlannedAction["type"], string> = {
  reply: "asked to reply publicly",
  private_reply: "asked to reply privately",
  dm: "asked to answer the message",
  like: "asked to like the comment",
  hide: "asked to hide the comment",
  assign: "assigned the conversation",
  tag: "tagged the conversation",
};

/**
 * Carries out one rule's actions for one message, in order. Platform actions become inbox actions
 * (requestAction: pending row + publish queue); assignment and tags change the conversation here.
 * A failing action does not stop the ones after it; each failure is reported as a sentence.
 */
export async function carryOutActions(deps: InboxDeps, target: RuleTarget, actions: PlannedAction[]): Promise<CarryOutResult> {
  const result: CarryOutResult = { done: [], failures: [], conversationChanged: false };
  for (const [index, action] of actions.entries()) {
    if (action.type === "assign") {
      const outcome = await assign(deps, target, action.userId);
      if (outcome.failure) result.failures.push(outcome.failure);
      else result.done.push(outcome.changed ? DONE_WORDS.assign : "left the conversation with the person already assigned");
      result.conversationChanged ||= outcome.changed;
      continue;
    }
    if (action.type === "tag") {
      const changed = await addTag(deps, target, action.tag);
      result.done.push(`${DONE_WORDS.tag} “${action.tag}”`);
      result.conversationChanged ||= changed;
      continue;
    }
    const requested = await requestAction(deps, {
      workspaceId: target.workspaceId,
      conversationId: target.conversationId,
      messageId: target.messageId,
      kind: action.type,
      text: "text" in action ? action.text : null,
      idempotencyKey: ruleActionKey(target, index),
      requestedBy: null,
      ruleId: target.ruleId,
    });
    if (requested.ok) result.done.push(DONE_WORDS[action.type]);
    else result.failures.push(requested.detail);
  }
  return result;
}

/** A rule assigns only an unassigned conversation: it never takes one away from the person a teammate chose. */
async function assign(deps: InboxDeps, target: RuleTarget, userId: string): Promise<{ changed: boolean; failure?: string }> {
  const member = await deps.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, target.workspaceId), eq(memberships.userId, userId))).get();
  if (!member) return { changed: false, failure: "The person this rule assigns to is no longer a member of the workspace; choose someone else in the rule." };
  const updated = await deps.db
    .update(conversations)
    .set({ assigneeId: userId, updatedAt: deps.now() })
    .where(and(eq(conversations.id, target.conversationId), eq(conversations.workspaceId, target.workspaceId), isNull(conversations.assigneeId)))
    .returning({ id: conversations.id });
  return { changed: updated.length > 0 };
}

/** Appends the tag in one statement unless the conversation has it already (no read-modify-write race with a person tagging). */
async function addTag(deps: InboxDeps, target: RuleTarget, tag: string): Promise<boolean> {
  const updated = await deps.db
    .update(conversations)
    .set({ tags: sql`json_insert(${conversations.tags}, '$[#]', ${tag})`, updatedAt: deps.now() })
    .where(and(eq(conversations.id, target.conversationId), eq(conversations.workspaceId, target.workspaceId), sql`NOT EXISTS (SELECT 1 FROM json_each(${conversations.tags}) WHERE value = ${tag})`))
    .returning({ id: conversations.id });
  return updated.length > 0;
}
