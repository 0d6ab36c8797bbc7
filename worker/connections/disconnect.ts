import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { othersShareGrant } from "../db/queries/connections";
import { connections } from "../db/schema";
import type { PlatformId } from "../platforms/types";
import { readyAdapter } from "./adapter-context";
import { openTokens, sealer } from "./sealing";

export type DisconnectReport = { revokedAtPlatform: boolean; platformMessage: string | null };

/**
 * Disconnects a channel: platform-side clean-up (e.g. unsubscribing a Page from webhooks), revocation
 * of the grant when no other channel still uses it, then the tokens are deleted at once and the row is
 * marked disconnected (its remaining data is purged by the cron after 30 days). A platform that cannot
 * be reached does not keep the tokens alive: they are removed anyway, and the report says so.
 */
export async function disconnectConnection(deps: { env: Env; db: Database; now: number; appOrigin: string }, row: typeof connections.$inferSelect): Promise<DisconnectReport> {
  const report: DisconnectReport = { revokedAtPlatform: false, platformMessage: null };
  const ready = readyAdapter(deps.env, row.platform as PlatformId, deps.appOrigin, deps.now);
  const opened = row.accessTokenSealed ? await openTokens(await sealer(deps.env), row) : null;
  if (ready && opened) {
    if (ready.adapter.onDisconnected) {
      const hook = await ready.adapter.onDisconnected(ready.ctx, { externalId: row.externalId, tokens: opened.tokens, metadata: row.metadata });
      if (!hook.ok) report.platformMessage = hook.failure.message;
    }
    if (!(await othersShareGrant(deps.db, row.id, row.grantFamily, row.grantAccountId))) {
      const revoked = await ready.adapter.revoke(ready.ctx, { ...opened.tokens, accessToken: opened.grantAccessToken });
      report.revokedAtPlatform = revoked.ok;
      if (!revoked.ok) report.platformMessage = revoked.failure.message;
    }
  }
  await deps.db
    .update(connections)
    .set({ status: "disconnected", statusReason: null, accessTokenSealed: null, refreshTokenSealed: null, grantTokenSealed: null, refreshLeaseUntil: null, disconnectedAt: deps.now, updatedAt: deps.now })
    .where(eq(connections.id, row.id));
  return report;
}
