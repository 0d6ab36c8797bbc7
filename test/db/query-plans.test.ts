import { env } from "cloudflare:workers";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { auditLog, invites, memberships, sessions, users } from "../../worker/db/schema";
import { listMembers, listWorkspacesOf } from "../../worker/db/queries/workspaces";
import { findInviteByTokenHash, listPendingInvites } from "../../worker/db/queries/invites";
import { listWorkspaceAudit } from "../../worker/db/queries/audit";

const db = createDb(env.DB);

/** The plan's detail lines; a bare `SCAN <table>` means a full table scan. */
async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return result.results.map((r) => r.detail);
}

function expectNoFullScan(lines: string[], tables: string[]): void {
  for (const table of tables) {
    const scans = lines.filter((l) => new RegExp(`^SCAN ${table}(?! USING)`).test(l));
    expect(scans, `full scan of ${table} in:\n${lines.join("\n")}`).toEqual([]);
  }
}

describe("hot queries use indexes", () => {
  it("session lookup on every request is a primary-key search joined to users by key", async () => {
    const lines = await plan(
      db.select().from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(and(eq(sessions.id, "s"), eq(sessions.userId, "u"), isNull(sessions.revokedAt), gt(sessions.expiresAt, 0))),
    );
    expectNoFullScan(lines, ["sessions", "users"]);
  });

  it("login by email uses the unique email index", async () => {
    const lines = await plan(db.select().from(users).where(eq(users.email, "a@example.com")));
    expect(lines.join("\n")).toMatch(/users_email_unique/);
  });

  it("membership check and member lists are index searches", async () => {
    expectNoFullScan(await plan(db.select().from(memberships).where(and(eq(memberships.workspaceId, "w"), eq(memberships.userId, "u")))), ["memberships"]);
    expect((await plan(db.select().from(memberships).where(eq(memberships.userId, "u")))).join("\n")).toMatch(/memberships_user_idx|PRIMARY KEY|sqlite_autoindex/);
    // The query builders the routes use, as they are.
    expectNoFullScan(await plan(listMembers(db, "w")), ["memberships"]);
    expectNoFullScan(await plan(listWorkspacesOf(db, "u")), ["memberships", "workspaces"]);
  });

  it("invite lookups by token hash and pending lists by workspace use their indexes", async () => {
    expect((await plan(db.select().from(invites).where(eq(invites.tokenHash, "h")))).join("\n")).toMatch(/invites_token_hash_unique/);
    expect(await findInviteByTokenHash(db, "no-such-hash")).toBeUndefined();
    expect((await plan(listPendingInvites(db, "w", 0))).join("\n")).toMatch(/invites_workspace_idx/);
  });

  it("the audit page is read from the (workspace, time, id) index without sorting", async () => {
    const lines = await plan(db.select().from(auditLog).where(eq(auditLog.workspaceId, "w")).orderBy(desc(auditLog.createdAt), desc(auditLog.id)).limit(51));
    expect(lines.join("\n")).toMatch(/audit_workspace_time_idx/);
    expect(lines.join("\n")).not.toMatch(/TEMP B-TREE/);
    // listWorkspaceAudit awaits its query; check it returns a bounded page on an empty log.
    expect(await listWorkspaceAudit(db, "none", 10, null)).toEqual({ rows: [], hasMore: false });
  });

  it("the invite acceptance check reads one invite by primary key", async () => {
    expectNoFullScan(await plan(db.select().from(invites).where(eq(invites.id, "i"))), ["invites"]);
  });
});
