import { and, eq, inArray } from "drizzle-orm";
import { ruleShapeProblems, type RuleAction, type RuleConditions } from "../../contracts/inbox-rules";
import { patternRefusal } from "../../domain/rules/rule-pattern";
import type { Database } from "../../db/client";
import { connections, memberships } from "../../db/schema";
import type { FieldError } from "../../http/problems";

/**
 * What is wrong with a rule beyond its own shape, per field: a pattern the matching engine cannot
 * parse, actions that cannot apply to the kinds of messages it watches, channels that are not this
 * workspace's, people who are not its members.
 */
export async function ruleProblems(db: Database, workspaceId: string, rule: { conditions: RuleConditions; actions: RuleAction[] }, prefix = ""): Promise<FieldError[]> {
  const problems = ruleShapeProblems(rule).map((p) => ({ ...p, path: `${prefix}${p.path}` }));
  const regex = rule.conditions.regex;
  const refusal = regex && patternRefusal(regex.pattern, regex.flags);
  if (refusal) problems.push({ path: `${prefix}conditions.regex.pattern`, message: refusal });
  const channels = [...new Set(rule.conditions.channels)];
  if (channels.length > 0) {
    const known = new Set((await db.select({ id: connections.id }).from(connections).where(and(eq(connections.workspaceId, workspaceId), inArray(connections.id, channels)))).map((row) => row.id));
    rule.conditions.channels.forEach((id, index) => {
      if (!known.has(id)) problems.push({ path: `${prefix}conditions.channels.${index}`, message: "This channel is not connected to this workspace." });
    });
  }
  const assignees = [...new Set(rule.actions.flatMap((a) => (a.type === "assign" ? [a.userId] : [])))];
  if (assignees.length > 0) {
    const members = new Set((await db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, assignees)))).map((row) => row.userId));
    rule.actions.forEach((action, index) => {
      if (action.type === "assign" && !members.has(action.userId)) problems.push({ path: `${prefix}actions.${index}.userId`, message: "This person is not a member of the workspace." });
    });
  }
  return problems;
}
