import { and, eq, ne, sql } from "drizzle-orm";
import { messages } from "../../db/schema-inbox";
import type { ActionContext, ActionRunDeps } from "./context";
import { releaseStatement, type ActionRow } from "./ledger";

/**
 * The two ends of an action, each one batch: the action row (only while we hold its lease) and the
 * message it concerns change together, then everyone is told.
 */

/** What a confirmed action changes on the comment it acted on. */
function targetChange(action: ActionRow, now: number): Partial<typeof messages.$inferInsert> | null {
  switch (action.kind) {
    case "like":
      return { liked: true };
    case "unlike":
      return { liked: false };
    case "hide":
      return { hidden: true };
    case "unhide":
      return { hidden: false };
    case "delete":
      return { state: "removed", removedAt: now };
    default:
      return null;
  }
}

export async function settleDone(deps: ActionRunDeps, c: ActionContext, remoteId: string | null): Promise<boolean> {
  const { db } = deps;
  const now = deps.now();
  const { action, outbound, target } = c;
  const release = releaseStatement(db, action.id, deps.owner, { state: "done", remoteId, error: null }, now);
  const change = targetChange(action, now);
  const statements = [];
  if (outbound && remoteId) {
    // The echo webhook may have stored our own message first, under the platform's id: the pending row
    // takes that id over (it carries who sent it), and the echo's copy goes.
    statements.push(db.delete(messages).where(and(eq(messages.connectionId, outbound.connectionId), eq(messages.externalId, remoteId), ne(messages.id, outbound.id), eq(messages.direction, "out"), sql`EXISTS (SELECT 1 FROM inbox_actions WHERE id = ${action.id} AND state = 'done')`)));
    statements.push(db.update(messages).set({ state: "sent", externalId: remoteId }).where(and(eq(messages.id, outbound.id), sql`EXISTS (SELECT 1 FROM inbox_actions WHERE id = ${action.id} AND state = 'done')`)));
  } else if (outbound) {
    statements.push(db.update(messages).set({ state: "sent" }).where(and(eq(messages.id, outbound.id), sql`EXISTS (SELECT 1 FROM inbox_actions WHERE id = ${action.id} AND state = 'done')`)));
  }
  if (target && change) statements.push(db.update(messages).set(change).where(and(eq(messages.id, target.id), sql`EXISTS (SELECT 1 FROM inbox_actions WHERE id = ${action.id} AND state = 'done')`)));
  const [released] = await db.batch([release, ...statements]);
  if (released.length === 0) return false;
  await announce(deps, c, "done");
  return true;
}

export async function settleFailed(deps: ActionRunDeps, action: ActionRow, reason: string, outboundId: string | null = action.outboundMessageId): Promise<boolean> {
  const { db } = deps;
  const now = deps.now();
  const release = releaseStatement(db, action.id, deps.owner, { state: "failed", error: reason }, now);
  const [released] = outboundId
    ? await db.batch([release, db.update(messages).set({ state: "failed" }).where(and(eq(messages.id, outboundId), eq(messages.state, "pending")))])
    : await db.batch([release]);
  if (released.length === 0) return false;
  const failed = { kind: "inbox.action.changed", conversationId: action.conversationId, actionId: action.id, state: "failed" } as const;
  if (outboundId) await deps.live(action.workspaceId, { kind: "message.changed", conversationId: action.conversationId, messageId: outboundId }, failed);
  else await deps.live(action.workspaceId, failed);
  return true;
}

async function announce(deps: ActionRunDeps, c: ActionContext, state: "done"): Promise<void> {
  const { action } = c;
  const changed = c.outbound ?? (targetChange(action, 0) ? c.target : null);
  const settled = { kind: "inbox.action.changed", conversationId: action.conversationId, actionId: action.id, state } as const;
  if (changed) await deps.live(action.workspaceId, { kind: "message.changed", conversationId: action.conversationId, messageId: changed.id }, settled);
  else await deps.live(action.workspaceId, settled);
}
