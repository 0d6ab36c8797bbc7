import { refreshExpiringConnections, type RefreshReport } from "./connections/proactive-refresh";
import { createDb } from "./db/client";
import { purgeOldAudit } from "./db/queries/audit";
import { purgeDisconnected, purgeExpiredOAuth } from "./db/queries/connections";
import { purgeOldInvites } from "./db/queries/invites";
import { purgeOldRateLimits } from "./db/queries/rate-limits";
import { purgeDeadSessions } from "./db/queries/sessions";
import { actionDeps } from "./inbox/actions/consumer";
import { redriveStrandedActions } from "./inbox/actions/watchdog";
import { pollComments, pollingDeps } from "./inbox/polling/poller";
import { workspaceHub } from "./live/publish";
import { engineDeps } from "./publishing/consumer";
import { runWatchdog, type WatchdogReport } from "./publishing/watchdog";

export type RetentionReport = { sessions: number; rateLimits: number; auditEntries: number; invites: number; disconnectedConnections: number; oauthStates: number };

/**
 * Retention purges (privacy promises): audit entries after 90 days, disconnected channels' remaining
 * data after 30 days, dead sessions, stale rate-limit counters, used or expired OAuth states.
 */
export async function runRetention(env: Env, now: number): Promise<RetentionReport> {
  const db = createDb(env.DB);
  const [states, pending] = purgeExpiredOAuth(db, now);
  const [sessions, rateLimits, audit, invites, disconnected, oauthStates] = await db.batch([
    purgeDeadSessions(db, now),
    purgeOldRateLimits(db, now),
    purgeOldAudit(db, now),
    purgeOldInvites(db, now),
    purgeDisconnected(db, now),
    states,
    pending,
  ]);
  return {
    sessions: sessions.meta.changes,
    rateLimits: rateLimits.meta.changes,
    auditEntries: audit.meta.changes,
    invites: invites.meta.changes,
    disconnectedConnections: disconnected.meta.changes,
    oauthStates: oauthStates.meta.changes,
  };
}

/**
 * Every minute: the publishing watchdog first (it is about on-time posts), stranded inbox actions,
 * token refresh ahead of expiry, retention, then comment polling.
 */
export async function runCron(env: Env, now: number): Promise<{ watchdog: WatchdogReport; inboxActionsRedriven: number; retention: RetentionReport; refresh: RefreshReport }> {
  const watchdog = await runWatchdog(engineDeps(env, { now: () => now }));
  const inboxActionsRedriven = await redriveStrandedActions(actionDeps(env, { now: () => now }));
  const notify = async (workspaceId: string, connectionId: string, status: "active" | "needs_reconnect") => {
    await workspaceHub(env, workspaceId).publish({ kind: "connection.changed", connectionId, status });
  };
  const refresh = await refreshExpiringConnections(env, now, notify);
  const retention = await runRetention(env, now);
  await pollComments(pollingDeps(env, now));
  return { watchdog, inboxActionsRedriven, retention, refresh };
}
