import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { findConnection } from "../db/queries/connections";
import { oauthStates, pendingGrants } from "../db/schema";
import { newPkce } from "../platforms/oauth";
import type { Grant, PlatformId } from "../platforms/types";
import { sha256Base64Url } from "../security/encoding";
import { newId, newToken } from "../security/ids";
import { readyAdapter } from "./adapter-context";
import { missingScopesMessage } from "./scopes";
import { sealContext, sealer } from "./sealing";
import { storeChannels } from "./store-channels";
import { runConnectedHooks } from "./connected-hooks";

export const STATE_TTL_MS = 10 * 60 * 1000;
export const PENDING_TTL_MS = 10 * 60 * 1000;

export type FlowEnv = { env: Env; db: Database; now: number; appOrigin: string };

export type StartResult = { ok: true; url: string } | { ok: false; reason: "unavailable" | "not_found"; message: string };

/** Begins a connect (or reconnect): a single-use state bound to this session, and PKCE where supported. */
export async function startAuthorize(flow: FlowEnv, request: { workspaceId: string; userId: string; sessionId: string; platform: PlatformId; reconnectConnectionId: string | null }): Promise<StartResult> {
  const ready = readyAdapter(flow.env, request.platform, flow.appOrigin, flow.now);
  if (!ready) return { ok: false, reason: "unavailable", message: `Connecting ${request.platform} is not available: this Atelier has no app credentials for it.` };
  const state = newToken();
  const stateHash = await sha256Base64Url(state);
  const pkce = ready.adapter.pkce ? await newPkce() : null;
  const s = await sealer(flow.env);
  await flow.db.insert(oauthStates).values({
    stateHash,
    workspaceId: request.workspaceId,
    userId: request.userId,
    sessionId: request.sessionId,
    platform: request.platform,
    codeVerifierSealed: pkce ? await s.seal(pkce.verifier, sealContext.verifier(stateHash)) : null,
    reconnectConnectionId: request.reconnectConnectionId,
    createdAt: flow.now,
    expiresAt: flow.now + STATE_TTL_MS,
  });
  return { ok: true, url: ready.adapter.authorizeUrl(ready.ctx, { state, codeChallenge: pkce?.challenge ?? null }) };
}

export type CallbackParams = { code?: string | undefined; state?: string | undefined; error?: string | undefined; errorDescription?: string | undefined };

export type CallbackResult =
  | { kind: "connected"; workspaceId: string; connectionIds: string[]; reconnected: boolean }
  | { kind: "select"; workspaceId: string; pendingId: string }
  | { kind: "error"; workspaceId: string | null; reason: string; message: string };

/**
 * The platform sent the browser back. Everything is checked before any token is requested: the state
 * exists, belongs to this browser's session, is fresh and unused (consumed atomically here).
 */
export async function completeCallback(flow: FlowEnv, platform: PlatformId, params: CallbackParams, session: { sessionId: string; userId: string } | null): Promise<CallbackResult> {
  const fail = (workspaceId: string | null, reason: string, message: string): CallbackResult => ({ kind: "error", workspaceId, reason, message });
  if (!params.state) return fail(null, "state_invalid", "The platform sent you back without the sign-in check Atelier needs. Start the connection again.");
  const stateHash = await sha256Base64Url(params.state);
  const row = await flow.db.select().from(oauthStates).where(eq(oauthStates.stateHash, stateHash)).get();
  if (!row || row.platform !== platform) return fail(null, "state_invalid", "This sign-in link is not one Atelier started. Start the connection again from the Accounts page.");
  const ws = row.workspaceId;
  if (!session || session.sessionId !== row.sessionId || session.userId !== row.userId) {
    return fail(ws, "session_mismatch", "This connection was started in another browser session. Start it again from this window.");
  }
  if (row.usedAt !== null) return fail(ws, "state_used", "This sign-in link was already used. Start the connection again if you need to.");
  if (row.expiresAt <= flow.now) return fail(ws, "state_expired", "The connection took longer than 10 minutes and expired. Start it again.");
  const consumed = await flow.db.update(oauthStates).set({ usedAt: flow.now }).where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.usedAt))).returning({ stateHash: oauthStates.stateHash });
  if (consumed.length === 0) return fail(ws, "state_used", "This sign-in link was already used. Start the connection again if you need to.");

  const ready = readyAdapter(flow.env, platform, flow.appOrigin, flow.now);
  if (!ready) return fail(ws, "unavailable", `Connecting ${platform} is not available: this Atelier has no app credentials for it.`);
  const name = ready.adapter.displayName;
  if (params.error) {
    const denied = params.error === "access_denied" || params.error === "user_denied" || params.error === "user_cancelled_authorize";
    return denied
      ? fail(ws, "denied", `You declined the ${name} permission request, so nothing was connected.`)
      : fail(ws, "platform_error", `${name} did not complete the sign-in: ${params.errorDescription ?? params.error}.`);
  }
  if (!params.code) return fail(ws, "platform_error", `${name} sent you back without an authorization code. Try again.`);

  const s = await sealer(flow.env);
  const codeVerifier = row.codeVerifierSealed ? await s.open(row.codeVerifierSealed, sealContext.verifier(stateHash)) : null;
  const exchanged = await ready.adapter.exchangeCode(ready.ctx, { code: params.code, codeVerifier });
  if (!exchanged.ok) return fail(ws, "platform_error", exchanged.failure.message);
  const grant = exchanged.value;

  const missing = ready.adapter.scopes.filter((s) => s.required && !grant.grantedScopes.includes(s.scope));
  if (missing.length > 0) return fail(ws, "missing_scopes", missingScopesMessage(name, missing));

  const store = { workspaceId: ws, userId: row.userId, platform, grantFamily: ready.adapter.credentialsKey, grant, now: flow.now };
  if (row.reconnectConnectionId) {
    const target = await findConnection(flow.db, ws, row.reconnectConnectionId);
    const channel = target ? grant.channels.find((c) => c.externalId === target.externalId) : undefined;
    if (!target || !channel) return fail(ws, "no_channels", `The ${name} account you signed in with does not include ${target?.name ?? "this channel"}. Sign in with the account that manages it.`);
    const ids = await storeChannels(flow.db, s, { ...store, channels: [channel] });
    await runConnectedHooks(flow, platform, [channel], ids);
    return { kind: "connected", workspaceId: ws, connectionIds: ids, reconnected: true };
  }
  if (grant.channels.length === 0) return fail(ws, "no_channels", `Your ${name} account gave access to no ${name} accounts Atelier can publish to.`);
  if (grant.channels.length === 1) {
    const ids = await storeChannels(flow.db, s, { ...store, channels: grant.channels });
    await runConnectedHooks(flow, platform, grant.channels, ids);
    return { kind: "connected", workspaceId: ws, connectionIds: ids, reconnected: false };
  }
  const pendingId = newId();
  await flow.db.insert(pendingGrants).values({
    id: pendingId,
    workspaceId: ws,
    userId: row.userId,
    platform,
    payloadSealed: await s.seal(JSON.stringify(grant), sealContext.pending(ws, pendingId)),
    createdAt: flow.now,
    expiresAt: flow.now + PENDING_TTL_MS,
  });
  return { kind: "select", workspaceId: ws, pendingId };
}

/** Opens a pending grant for its owner, or null when it is unknown, someone else's or expired. */
export async function openPendingGrant(flow: FlowEnv, workspaceId: string, userId: string, pendingId: string): Promise<{ platform: PlatformId; grant: Grant; expiresAt: number } | null> {
  const row = await flow.db.select().from(pendingGrants).where(and(eq(pendingGrants.id, pendingId), eq(pendingGrants.workspaceId, workspaceId))).get();
  if (!row || row.userId !== userId || row.expiresAt <= flow.now) return null;
  const s = await sealer(flow.env);
  const grant = JSON.parse(await s.open(row.payloadSealed, sealContext.pending(workspaceId, pendingId))) as Grant;
  return { platform: row.platform as PlatformId, grant, expiresAt: row.expiresAt };
}

/** Adds the chosen channels of a pending grant, once: the pending row is deleted in the same step. */
export async function selectFromPendingGrant(flow: FlowEnv, workspaceId: string, userId: string, pendingId: string, externalIds: string[]): Promise<{ ok: true; connectionIds: string[] } | { ok: false; reason: "not_found" | "unknown_channel"; message: string }> {
  const pending = await openPendingGrant(flow, workspaceId, userId, pendingId);
  if (!pending) return { ok: false, reason: "not_found", message: "This choice has expired or was already made. Connect the account again." };
  const chosen = pending.grant.channels.filter((c) => externalIds.includes(c.externalId));
  if (chosen.length !== new Set(externalIds).size) return { ok: false, reason: "unknown_channel", message: "Some of the chosen accounts are not part of this sign-in." };
  const ready = readyAdapter(flow.env, pending.platform, flow.appOrigin, flow.now);
  const grantFamily = ready?.adapter.credentialsKey ?? pending.platform;
  const deleted = await flow.db.delete(pendingGrants).where(eq(pendingGrants.id, pendingId)).returning({ id: pendingGrants.id });
  if (deleted.length === 0) return { ok: false, reason: "not_found", message: "This choice was already made." };
  const ids = await storeChannels(flow.db, await sealer(flow.env), { workspaceId, userId, platform: pending.platform, grantFamily, grant: pending.grant, channels: chosen, now: flow.now });
  await runConnectedHooks(flow, pending.platform, chosen, ids);
  return { ok: true, connectionIds: ids };
}
