import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { connections } from "../../db/schema";
import type { InboundChannel } from "./types";

/** Which connected platform a webhook object speaks for. */
const PLATFORM_BY_OBJECT: Record<string, InboundChannel["platform"]> = { page: "facebook", instagram: "instagram" };

/**
 * The active channels an entry is for: every workspace that connected this Page or Instagram account
 * (the same Page may be connected in several workspaces, each gets its own copy). Disconnected or
 * broken connections receive nothing.
 */
export async function channelsForEntry(db: Database, object: string, entryId: string): Promise<InboundChannel[]> {
  const platform = PLATFORM_BY_OBJECT[object];
  if (!platform) return [];
  const rows = await db
    .select({ connectionId: connections.id, workspaceId: connections.workspaceId, externalId: connections.externalId })
    .from(connections)
    .where(and(eq(connections.platform, platform), eq(connections.externalId, entryId), eq(connections.status, "active")));
  return rows.map((row) => ({ ...row, platform }));
}
