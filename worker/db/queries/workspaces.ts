import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Role } from "../../contracts/common";
import type { Database } from "../client";
import { memberships, users, workspaces } from "../schema";

export function findMembership(db: Database, workspaceId: string, userId: string) {
  return db
    .select({ workspaceId: memberships.workspaceId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .get();
}

export function findWorkspace(db: Database, workspaceId: string) {
  return db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).get();
}

export function listWorkspacesOf(db: Database, userId: string) {
  return db
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name))
    ;
}

export function listMembers(db: Database, workspaceId: string) {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      avatarKey: users.avatarKey,
      avatarUpdatedAt: users.avatarUpdatedAt,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt))
    ;
}

export async function countOwners(db: Database, workspaceId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")))
    .get();
  return row?.n ?? 0;
}

/**
 * Changes a role only if the workspace would keep at least one owner afterwards. The guard lives in
 * the statement itself, so two owners demoting each other at the same moment cannot both succeed.
 */
export function changeRoleKeepingAnOwner(db: Database, workspaceId: string, userId: string, role: Role) {
  return db
    .update(memberships)
    .set({ role })
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.userId, userId),
        sql`(${role} = 'owner' OR ${memberships.role} <> 'owner' OR (SELECT count(*) FROM memberships m WHERE m.workspace_id = ${workspaceId} AND m.role = 'owner') > 1)`,
      ),
    )
    .returning({ userId: memberships.userId });
}

/** Removes a member unless that would leave the workspace without an owner (same race-free guard). */
export function removeMemberKeepingAnOwner(db: Database, workspaceId: string, userId: string) {
  return db
    .delete(memberships)
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.userId, userId),
        sql`(${memberships.role} <> 'owner' OR (SELECT count(*) FROM memberships m WHERE m.workspace_id = ${workspaceId} AND m.role = 'owner') > 1)`,
      ),
    )
    .returning({ userId: memberships.userId });
}

/** True when the two users share at least one workspace (so one may see the other's avatar). */
export async function shareAWorkspace(db: Database, a: string, b: string): Promise<boolean> {
  const row = await db
    .select({ one: sql<number>`1` })
    .from(memberships)
    .where(and(eq(memberships.userId, a), sql`${memberships.workspaceId} IN (SELECT workspace_id FROM memberships WHERE user_id = ${b})`))
    .limit(1)
    .get();
  return row !== undefined;
}
