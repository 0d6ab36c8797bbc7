import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { findChannels } from "../db/queries/connections";
import { connections } from "../db/schema";
import type { ChannelCandidate, Grant, PlatformId } from "../platforms/types";
import { newId } from "../security/ids";
import type { Sealer } from "../security/token-seal";
import { sealTokens } from "./sealing";

export type StoreRequest = {
  workspaceId: string;
  userId: string;
  platform: PlatformId;
  grantFamily: string;
  grant: Grant;
  channels: ChannelCandidate[];
  now: number;
};

/**
 * Saves channels as connections: a channel already connected in the workspace is updated (new tokens,
 * name, avatar, status back to active) rather than duplicated. Tokens are sealed with the row's id in
 * their additional data, so the id is settled before sealing.
 */
export async function storeChannels(db: Database, sealer: Sealer, request: StoreRequest): Promise<string[]> {
  const { workspaceId, platform, grant, now } = request;
  const existing = await findChannels(db, workspaceId, platform, request.channels.map((c) => c.externalId));
  const idOf = new Map(existing.map((row) => [row.externalId, row.id]));
  const statements = [];
  const ids: string[] = [];
  for (const channel of request.channels) {
    const id = idOf.get(channel.externalId) ?? newId();
    ids.push(id);
    const sealed = await sealTokens(sealer, workspaceId, id, channel.tokens, grant.tokens.accessToken);
    const values = {
      name: channel.name,
      handle: channel.handle,
      avatarUrl: channel.avatarUrl,
      kind: channel.kind,
      status: "active" as const,
      statusReason: null,
      ...sealed,
      scopes: grant.grantedScopes,
      metadata: channel.metadata,
      grantFamily: request.grantFamily,
      grantAccountId: grant.account.id,
      connectedBy: request.userId,
      updatedAt: now,
      lastRefreshedAt: now,
      refreshLeaseUntil: null,
      disconnectedAt: null,
    };
    statements.push(
      db
        .insert(connections)
        .values({ id, workspaceId, platform, externalId: channel.externalId, createdAt: now, ...values })
        // Only the row this id was sealed for is updated; a concurrent first connect keeps its own tokens.
        .onConflictDoUpdate({ target: [connections.workspaceId, connections.platform, connections.externalId], set: values, setWhere: sql`${connections.id} = ${id}` }),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return ids;
}
