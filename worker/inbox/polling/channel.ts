import { eq } from "drizzle-orm";
import { refreshConnection } from "../../connections/refresh";
import { openTokens, sealer } from "../../connections/sealing";
import { connections } from "../../db/schema";
import { credentialsFor } from "../../platforms/credentials";
import { PlatformHttp } from "../../platforms/http";
import { adapterFor } from "../../platforms/registry";
import type { AdapterContext, PlatformFailure, PlatformId } from "../../platforms/types";
import { publicOrigin } from "../../publishing/job";
import type { PollDeps } from "./poller";

/** A token this close to expiry is renewed first (YouTube's last an hour). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Who the poller reads comments as, and how our own comments are recognised. */
export type PollChannel = {
  connectionId: string;
  platform: "linkedin" | "youtube";
  /** LinkedIn: the author URN (member or organization); YouTube: the channel id. */
  selfId: string;
  name: string;
  accessToken: string;
  ctx: AdapterContext;
};

/**
 * The channel with a usable token, read fresh. A channel that needs reconnecting or whose refresh
 * fails is skipped: the poller marks nothing (the connection side owns that state).
 */
export async function openPollChannel(deps: PollDeps, connectionId: string): Promise<{ ok: true; channel: PollChannel } | { ok: false; failure: PlatformFailure }> {
  const row = await deps.db.select().from(connections).where(eq(connections.id, connectionId)).get();
  if (!row || row.status !== "active") return { ok: false, failure: { kind: "reauth", message: row?.statusReason ?? "This channel is not connected." } };
  if (row.platform !== "linkedin" && row.platform !== "youtube") return { ok: false, failure: { kind: "fatal", message: `Comments on ${row.platform} are not polled.` } };
  const adapter = adapterFor(row.platform as PlatformId);
  const credentials = adapter ? credentialsFor(deps.env, adapter.credentialsKey) : null;
  if (!credentials) return { ok: false, failure: { kind: "fatal", message: `${row.platform} app credentials are not configured.` } };
  const opened = await openTokens(await sealer(deps.env), row);
  if (!opened) return { ok: false, failure: { kind: "reauth", message: "This channel has no tokens; reconnect it." } };
  let accessToken = opened.tokens.accessToken;
  if (opened.tokens.refreshToken && opened.tokens.expiresAt !== null && opened.tokens.expiresAt < deps.now() + REFRESH_MARGIN_MS) {
    const refreshed = await refreshConnection({ env: deps.env, db: deps.db, now: deps.now, appOrigin: publicOrigin(deps.env), wait: deps.wait }, row.id);
    if (!refreshed.ok) return { ok: false, failure: refreshed.failure };
    accessToken = refreshed.value.accessToken;
  }
  const selfId = row.platform === "linkedin" ? (row.metadata.authorUrn ?? (row.kind === "linkedin_organization" ? `urn:li:organization:${row.externalId}` : `urn:li:person:${row.externalId}`)) : row.externalId;
  const http = new PlatformHttp((request) => fetch(request), deps.env.SANDBOX_ORIGIN || null, deps.platformTimeoutMs);
  const ctx: AdapterContext = { http, credentials, redirectUri: `${publicOrigin(deps.env)}/oauth/${row.platform}/callback`, now: deps.now() };
  return { ok: true, channel: { connectionId: row.id, platform: row.platform, selfId, name: row.name, accessToken, ctx } };
}
