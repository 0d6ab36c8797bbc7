import { lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { rateLimits } from "../schema";

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one hit against `key` in a fixed window and says whether it is within `limit`.
 * One upsert statement, so concurrent hits from many isolates are counted exactly.
 */
export async function hitRateLimit(db: Database, key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult> {
  const windowStart = now - (now % windowMs);
  const row = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} = ${windowStart} THEN ${rateLimits.count} + 1 ELSE 1 END`,
        windowStart: sql`${windowStart}`,
      },
    })
    .returning({ count: rateLimits.count })
    .get();
  if ((row?.count ?? 1) <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}

export function purgeOldRateLimits(db: Database, now: number) {
  return db.delete(rateLimits).where(lt(rateLimits.windowStart, now - 60 * 60 * 1000));
}
