import { and, eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { connectionsExpiringBefore } from "../db/queries/connections";
import { connections } from "../db/schema";
import { adapterFor } from "../platforms/registry";
import type { PlatformId } from "../platforms/types";
import { refreshConnection } from "./refresh";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * When a token should be refreshed: once 80 % of its lifetime has passed, and never later than ten
 * minutes before expiry (long-lived tokens such as Threads' 60-day ones are renewed days ahead).
 */
export function refreshDue(row: { tokenExpiresAt: number | null; lastRefreshedAt: number | null; createdAt: number }, now: number): boolean {
  if (row.tokenExpiresAt === null) return false;
  const issued = row.lastRefreshedAt ?? row.createdAt;
  const lifetime = Math.max(0, row.tokenExpiresAt - issued);
  return now >= row.tokenExpiresAt - Math.max(10 * MINUTE, lifetime * 0.2);
}

export type RefreshReport = { refreshed: number; failed: number; needsReconnect: number };

/** Cron: refresh tokens before they expire; expired tokens that cannot be refreshed ask for a reconnect. */
export async function refreshExpiringConnections(env: Env, now: number, notify: (workspaceId: string, connectionId: string, status: "active" | "needs_reconnect") => Promise<void>): Promise<RefreshReport> {
  const db = createDb(env.DB);
  const report: RefreshReport = { refreshed: 0, failed: 0, needsReconnect: 0 };
  const candidates = await connectionsExpiringBefore(db, now + 7 * DAY, 50);
  for (const row of candidates) {
    if (!refreshDue(row, now)) continue;
    const adapter = adapterFor(row.platform as PlatformId);
    if (!adapter?.refreshable) {
      if (row.tokenExpiresAt !== null && row.tokenExpiresAt <= now) {
        const reason = `The ${adapter?.displayName ?? row.platform} authorization expired. Reconnect to keep publishing.`;
        await db.update(connections).set({ status: "needs_reconnect", statusReason: reason, updatedAt: now }).where(and(eq(connections.id, row.id), eq(connections.status, "active")));
        await notify(row.workspaceId, row.id, "needs_reconnect");
        report.needsReconnect += 1;
      }
      continue;
    }
    const result = await refreshConnection({ env, db, now: () => now, appOrigin: env.APP_ORIGIN || "", wait: (ms) => scheduler.wait(ms), onStatusChange: notify }, row.id);
    if (result.ok) report.refreshed += 1;
    else if (result.failure.kind === "reauth") report.needsReconnect += 1;
    else report.failed += 1;
  }
  return report;
}
