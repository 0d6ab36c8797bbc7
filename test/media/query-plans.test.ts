import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { mediaPageQuery, mediaUsage } from "../../worker/db/queries/media";

const db = createDb(env.DB);

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return result.results.map((r) => r.detail).join("\n");
}

describe("media queries use indexes", () => {
  it("a library page (with and without filters) reads the workspace's index, never the whole table", async () => {
    for (const filter of [{}, { kind: "video" as const }, { q: "beach", tag: "summer" }]) {
      const lines = await plan(mediaPageQuery(db, "w", { ...filter, before: { at: 1, id: "x" }, limit: 40 }));
      expect(lines).toMatch(/SEARCH media USING INDEX media_workspace_(time|kind)_idx/);
      expect(lines).not.toMatch(/^SCAN media(?! USING)/m);
    }
  });

  it("the posts using a file are found through post_media_media_idx and the posts primary key", async () => {
    const lines = await plan(mediaUsage(db, "w", "m"));
    expect(lines).toMatch(/post_media_media_idx/);
    expect(lines).not.toMatch(/^SCAN (posts|post_media)(?! USING)/m);
  });
});
