import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { findConnectionById, takeRefreshLease } from "../db/queries/connections";
import { connections } from "../db/schema";
import type { Outcome, PlatformId, TokenSet } from "../platforms/types";
import { readyAdapter } from "./adapter-context";
import { openTokens, sealer, sealTokens } from "./sealing";

/** Long enough for one token call; a crashed refresher's lease simply runs out. */
export const REFRESH_LEASE_MS = 30_000;

export type RefreshDeps = { env: Env; db: Database; now: () => number; appOrigin: string; wait: (ms: number) => Promise<void>; onStatusChange?: (workspaceId: string, connectionId: string, status: "active" | "needs_reconnect") => Promise<void> };

/**
 * Refreshes one connection's tokens. Refreshes of a connection are serialized by a lease in D1: the
 * caller that takes it calls the platform and stores the new pair before anyone uses it; a caller
 * that finds the lease taken waits for that refresh and uses its result. So a rotating refresh token
 * (TikTok, Airtable) is presented exactly once and never locks the account out.
 */
export async function refreshConnection(deps: RefreshDeps, connectionId: string): Promise<Outcome<TokenSet>> {
  const leased = await takeRefreshLease(deps.db, connectionId, deps.now(), REFRESH_LEASE_MS);
  if (!leased) return waitForOtherRefresh(deps, connectionId);
  const release = (fields: Partial<typeof connections.$inferInsert>) => deps.db.update(connections).set({ refreshLeaseUntil: null, ...fields }).where(eq(connections.id, connectionId));

  const ready = readyAdapter(deps.env, leased.platform as PlatformId, deps.appOrigin, deps.now());
  const s = await sealer(deps.env);
  const opened = await openTokens(s, leased);
  if (!ready || !opened) {
    await release({});
    return { ok: false, failure: { kind: "fatal", message: `This ${leased.platform} connection cannot be refreshed here (no credentials or no tokens).` } };
  }
  const result = await ready.adapter.refresh(ready.ctx, opened.tokens);
  const now = deps.now();
  if (result.ok) {
    // Persist the new pair before anyone uses it (a rotated refresh token must not be lost).
    const sealed = await sealTokens(s, leased.workspaceId, leased.id, result.value, opened.grantAccessToken === opened.tokens.accessToken ? null : opened.grantAccessToken);
    await release({ ...sealed, lastRefreshedAt: now, updatedAt: now });
    return result;
  }
  if (result.failure.kind === "reauth") {
    await release({ status: "needs_reconnect", statusReason: result.failure.message, updatedAt: now });
    await deps.onStatusChange?.(leased.workspaceId, leased.id, "needs_reconnect");
  } else {
    await release({});
  }
  return result;
}

async function waitForOtherRefresh(deps: RefreshDeps, connectionId: string): Promise<Outcome<TokenSet>> {
  for (let i = 0; i < 60; i++) {
    const row = await findConnectionById(deps.db, connectionId);
    if (!row) return { ok: false, failure: { kind: "fatal", message: "This connection no longer exists." } };
    if (row.status !== "active") return { ok: false, failure: { kind: "reauth", message: row.statusReason ?? "This connection needs to be reconnected." } };
    if (row.refreshLeaseUntil === null || row.refreshLeaseUntil < deps.now()) {
      const opened = await openTokens(await sealer(deps.env), row);
      return opened ? { ok: true, value: opened.tokens } : { ok: false, failure: { kind: "reauth", message: "This connection has no tokens; reconnect it." } };
    }
    await deps.wait(250);
  }
  return { ok: false, failure: { kind: "retry", message: "Another refresh of this connection is taking too long; try again shortly." } };
}
