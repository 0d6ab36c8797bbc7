import { createDb } from "./db/client";
import { purgeOldAudit } from "./db/queries/audit";
import { purgeOldInvites } from "./db/queries/invites";
import { purgeOldRateLimits } from "./db/queries/rate-limits";
import { purgeDeadSessions } from "./db/queries/sessions";

export type RetentionReport = { sessions: number; rateLimits: number; auditEntries: number; invites: number };

/** Every minute: retention purges (privacy promises: audit ≤ 90 days; dead sessions and counters removed). */
export async function runRetention(env: Env, now: number): Promise<RetentionReport> {
  const db = createDb(env.DB);
  const [sessions, rateLimits, audit, invites] = await db.batch([purgeDeadSessions(db, now), purgeOldRateLimits(db, now), purgeOldAudit(db, now), purgeOldInvites(db, now)]);
  return { sessions: sessions.meta.changes, rateLimits: rateLimits.meta.changes, auditEntries: audit.meta.changes, invites: invites.meta.changes };
}
