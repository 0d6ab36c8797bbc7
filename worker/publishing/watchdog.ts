import { and, eq, isNull } from "drizzle-orm";
import { notifications } from "../db/schema";
import type { EngineDeps } from "./engine";
import { FOLLOW_UP_STALL_MS, stalledFollowUps } from "./follow-ups";
import { overdueTargets, raiseNotification } from "./ledger";
import { publishMessage } from "./messages";
import { platformName } from "./platform-names";

/** A target this late (alarm lost, consumer crashed, queue retries exhausted) is driven again. */
export const OVERDUE_GRACE_MS = 60_000;
/** After this long past due and still not terminal, the person is told why (once). */
export const LATE_NOTICE_MS = 15 * 60_000;
const SCAN_LIMIT = 500;

export type WatchdogReport = { redriven: number; reconciling: number; lateNotices: number; followUpsResumed: number };

/**
 * Every minute: re-drives targets overdue in scheduled / preparing / ready, and sends those stuck in
 * committing past their lease back to the consumer (which reconciles, never re-commits blindly). A
 * target with a retry or poll already planned (`nextAttemptAt`) is left to it unless that too is late.
 * Live targets whose follow-ups (the rest of a thread) stopped half-way are sent back to finish them.
 */
export async function runWatchdog(deps: EngineDeps): Promise<WatchdogReport> {
  const now = deps.now();
  const report: WatchdogReport = { redriven: 0, reconciling: 0, lateNotices: 0, followUpsResumed: 0 };
  for (const target of await overdueTargets(deps.db, now - OVERDUE_GRACE_MS, now, SCAN_LIMIT)) {
    if (target.nextAttemptAt !== null && target.nextAttemptAt > now - OVERDUE_GRACE_MS) continue;
    await deps.send(publishMessage(target.workspaceId, target.id, target.revision), 0);
    if (target.state === "committing") report.reconciling += 1;
    else report.redriven += 1;
    if (target.dueAt !== null && target.dueAt < now - LATE_NOTICE_MS && (await hasOpenNotification(deps, target.id)) === false) {
      const name = platformName(target.platform);
      const body = `This post was due ${Math.round((now - target.dueAt) / 60_000)} minutes ago and is not on ${name} yet. ${target.statusDetail ?? "Atelier is still trying."} You can wait, retry or cancel it.`;
      const raised = await raiseNotification(deps.db, { workspaceId: target.workspaceId, kind: "publish_failed", postId: target.postId, targetId: target.id, connectionId: target.connectionId, title: `Late: not on ${name} yet`, body }, now);
      await deps.live(target.workspaceId, { kind: "notification.changed", notificationId: raised.id, resolved: false });
      report.lateNotices += 1;
    }
  }
  for (const target of await stalledFollowUps(deps.db, now - FOLLOW_UP_STALL_MS, SCAN_LIMIT)) {
    await deps.send({ ...publishMessage(target.workspaceId, target.id, target.revision), followUps: true }, 0);
    report.followUpsResumed += 1;
  }
  return report;
}

async function hasOpenNotification(deps: EngineDeps, targetId: string): Promise<boolean> {
  const row = await deps.db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.targetId, targetId), isNull(notifications.resolvedAt))).get();
  return row !== undefined;
}
