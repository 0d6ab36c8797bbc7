import { and, asc, eq, inArray, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { connections, oauthStates, pendingGrants, users } from "../schema";

/** Disconnected channels keep their non-token data this long, then the cron deletes them (privacy promise). */
export const DISCONNECTED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export function listConnections(db: Database, workspaceId: string) {
  return db
    .select({ connection: connections, connector: { id: users.id, name: users.name, avatarKey: users.avatarKey, avatarUpdatedAt: users.avatarUpdatedAt } })
    .from(connections)
    .leftJoin(users, eq(users.id, connections.connectedBy))
    .where(eq(connections.workspaceId, workspaceId))
    .orderBy(asc(connections.platform), asc(connections.name));
}

export function findConnection(db: Database, workspaceId: string, connectionId: string) {
  return db.select().from(connections).where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, connectionId))).get();
}

export function findConnectionById(db: Database, connectionId: string) {
  return db.select().from(connections).where(eq(connections.id, connectionId)).get();
}

export function findChannels(db: Database, workspaceId: string, platform: string, externalIds: string[]) {
  return db.select().from(connections).where(and(eq(connections.workspaceId, workspaceId), eq(connections.platform, platform), inArray(connections.externalId, externalIds)));
}

/** Other live channels (in any workspace) that rely on the same platform grant. */
export async function othersShareGrant(db: Database, connectionId: string, grantFamily: string, grantAccountId: string): Promise<boolean> {
  const row = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.grantFamily, grantFamily), eq(connections.grantAccountId, grantAccountId), ne(connections.id, connectionId), ne(connections.status, "disconnected")))
    .limit(1)
    .get();
  return row !== undefined;
}

/** Takes the refresh lease if nobody holds it; the returned row is the one to refresh. */
export function takeRefreshLease(db: Database, connectionId: string, now: number, leaseMs: number) {
  return db
    .update(connections)
    .set({ refreshLeaseUntil: now + leaseMs })
    .where(and(eq(connections.id, connectionId), eq(connections.status, "active"), or(sql`${connections.refreshLeaseUntil} IS NULL`, lt(connections.refreshLeaseUntil, now))))
    .returning()
    .get();
}

/** Candidates for the cron's proactive refresh: active and expiring within a week. */
export function connectionsExpiringBefore(db: Database, before: number, limit: number) {
  return db
    .select()
    .from(connections)
    .where(and(eq(connections.status, "active"), isNotNull(connections.tokenExpiresAt), lt(connections.tokenExpiresAt, before)))
    .orderBy(asc(connections.tokenExpiresAt))
    .limit(limit);
}

export function purgeDisconnected(db: Database, now: number) {
  return db.delete(connections).where(and(eq(connections.status, "disconnected"), lt(connections.disconnectedAt, now - DISCONNECTED_RETENTION_MS)));
}

export function purgeExpiredOAuth(db: Database, now: number) {
  return [db.delete(oauthStates).where(lt(oauthStates.expiresAt, now - 24 * 60 * 60 * 1000)), db.delete(pendingGrants).where(lt(pendingGrants.expiresAt, now))] as const;
}
