import { refreshExpiringConnections, type RefreshReport } from "./connections/proactive-refresh";
import { createDb } from "./db/client";
import { purgeOldAudit } from "./db/queries/audit";
import { purgeDisconnected, purgeExpiredOAuth } from "./db/queries/connections";
import { purgeOldInvites } from "./db/queries/invites";
import { purgeOldRateLimits } from "./db/queries/rate-limits";
import { purgeDeadSessions } from "./db/queries/sessions";
import { actionDeps } from "./inbox/actions/consumer";
import { redriveStrandedActions } from "./inbox/actions/watchdog";
import { pollComments, pollingDeps, type PollReport } from "./inbox/polling/poller";
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
 * What one run did, logged as one `cron done` line by the scheduled entry point. A part that threw is
 * null and named in `failed`: one failing part (D1 busy, a platform down) never stops the others.
 */
export type CronReport = {
  watchdog: WatchdogReport | null;
  inboxActionsRedriven: number | null;
  refresh: RefreshReport | null;
  retention: RetentionReport | null;
  commentPolling: PollReport | null;
  failed: string[];
};

async function runPart<T>(name: string, failed: string[], run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    failed.push(name);
    console.error(JSON.stringify({ msg: "cron part failed; the next run tries again", part: name, error: error instanceof Error ? error.message : String(error) }));
    return null;
  }
}

/**
 * Every minute: the publishing watchdog first (it is about on-time posts), stranded inbox actions,
 * token refresh ahead of expiry, retention, then comment polling.
 */
export async function runCron(env: Env, now: number): Promise<CronReport> {
  const failed: string[] = [];
  const notify = async (workspaceId: string, connectionId: string, status: "active" | "needs_reconnect") => {
    await workspaceHub(env, workspaceId).publish({ kind: "connection.changed", connectionId, status });
  };
  const watchdog = await runPart("watchdog", failed, () => runWatchdog(engineDeps(env, { now: () => now })));
  const inboxActionsRedriven = await runPart("inboxActions", failed, () => redriveStrandedActions(actionDeps(env, { now: () => now })));
  const refresh = await runPart("refresh", failed, () => refreshExpiringConnections(env, now, notify));
  const retention = await runPart("retention", failed, () => runRetention(env, now));
  const commentPolling = await runPart("commentPolling", failed, () => pollComments(pollingDeps(env, now)));
  return { watchdog, inboxActionsRedriven, refresh, retention, commentPolling, failed };
}
