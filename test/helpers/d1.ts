import { env } from "cloudflare:workers";

/** Every table the API writes to; snapshots cover all of them so an unexpected write anywhere shows up. */
export const TABLES = ["users", "sessions", "workspaces", "memberships", "invites", "audit_log", "rate_limits"] as const;
export type Table = (typeof TABLES)[number];

export async function countRows(table: Table, where = "1 = 1", ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function rowsOf<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  const { results } = await env.DB.prepare(sql)
    .bind(...params)
    .all<T>();
  return results;
}

export async function firstRow<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | null> {
  return env.DB.prepare(sql)
    .bind(...params)
    .first<T>();
}

/** Row counts of every table: compare two snapshots to prove a refused request wrote nothing. */
export async function tableCounts(): Promise<Record<Table, number>> {
  const entries = await Promise.all(TABLES.map(async (t) => [t, await countRows(t)] as const));
  return Object.fromEntries(entries) as Record<Table, number>;
}
