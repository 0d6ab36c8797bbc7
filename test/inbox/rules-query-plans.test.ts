import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/** The rules' hot queries (same shape as worker/inbox/rules/*.ts) are index searches, never full scans. */
async function plan(sql: string, ...binds: unknown[]): Promise<string> {
  const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...binds).all<{ detail: string }>();
  return result.results.map((r) => r.detail).join("\n");
}

describe("rule queries use indexes", () => {
  it.each([
    ["enabled rules of a workspace, in order", "SELECT * FROM inbox_rules WHERE workspace_id = ? AND enabled = 1 ORDER BY priority, created_at", /inbox_rules_workspace_idx/],
    ["per-author cooldown", "SELECT rule_id, max(at) FROM inbox_rule_hits WHERE rule_id IN (?, ?) AND author_id = ? AND outcome = 'acted' AND message_id != ? GROUP BY rule_id", /inbox_rule_hits_author_idx/],
    ["the at-most-once claim", "SELECT id FROM inbox_rule_hits WHERE rule_id = ? AND message_id = ?", /inbox_rule_hits_once/],
    ["hit counts for the list", "SELECT rule_id, count(*), max(at) FROM inbox_rule_hits WHERE rule_id IN (?, ?) AND workspace_id = ? GROUP BY rule_id", /inbox_rule_hits_rule_idx|inbox_rule_hits_author_idx/],
    ["the hit log", "SELECT * FROM inbox_rule_hits h JOIN messages m ON m.id = h.message_id WHERE h.rule_id = ? AND h.workspace_id = ? ORDER BY h.at DESC, h.id DESC LIMIT 50", /inbox_rule_hits_rule_idx/],
    ["the dry run's latest inbound messages", "SELECT * FROM messages WHERE workspace_id = ? AND direction = 'in' AND rule_id IS NULL ORDER BY created_at DESC, id DESC LIMIT 500", /messages_workspace_idx/],
  ])("%s", async (_label, sql, index) => {
    const lines = await plan(sql, ...Array.from({ length: (sql.match(/\?/g) ?? []).length }, (_, i) => `v${i}`));
    expect(lines).toMatch(index);
    expect(lines).not.toMatch(/^SCAN (inbox_rules|inbox_rule_hits|messages)(?! USING)/m);
  });
});
