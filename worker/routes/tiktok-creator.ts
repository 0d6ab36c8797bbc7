import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Id } from "../contracts/common";
import { TiktokCreatorInfo } from "../contracts/tiktok";
import { openTokens, sealer } from "../connections/sealing";
import { refreshConnection } from "../connections/refresh";
import { findConnection } from "../db/queries/connections";
import { TIKTOK_PRIVACY_LEVELS } from "../domain/capabilities/tiktok";
import type { AppEnv } from "../http/app-env";
import { jsonContent, problems } from "../http/openapi";
import { conflict, notFound, ProblemError } from "../http/problems";
import { newRouter } from "../http/router";
import { credentialsFor } from "../platforms/credentials";
import { PlatformHttp } from "../platforms/http";
import { tiktokAdapter } from "../platforms/tiktok";
import { MISSING_SCOPE_CODES, queryCreatorInfo, type CreatorInfo } from "../platforms/tiktok-api";
import { cannotPostReason } from "../platforms/tiktok-creator-check";
import type { AdapterContext, PlatformFailure } from "../platforms/types";
import { publicOrigin } from "../publishing/job";

/** `GET /{id}/connections/{connectionId}/tiktok/creator-info` (contract: worker/contracts/tiktok.ts). */
const Params = z.object({ id: Id, connectionId: Id });
/** A token expiring sooner than this is refreshed first (as the publishing engine does). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** The capability's limit, shown when TikTok did not say (the creator cannot post, or Direct Post is not granted). */
const DEFAULT_MAX_DURATION_SEC = 600;

const creatorInfo = createRoute({
  method: "get", path: "/{id}/connections/{connectionId}/tiktok/creator-info", tags: ["connections"], summary: "What TikTok lets this creator post right now: privacy levels, interaction switches, longest video",
  request: { params: Params },
  responses: { 200: jsonContent(TiktokCreatorInfo, "The creator's current posting options."), 401: problems[401], 404: problems[404], 409: problems[409], 502: problems[502] },
});

type Connection = NonNullable<Awaited<ReturnType<typeof findConnection>>>;

const reconnect = (connection: Connection, failure: PlatformFailure) => conflict(`${failure.message} Reconnect the TikTok account “${connection.name}” on the Accounts page.`);

/** A usable access token, refreshed through the same serialized path the engine uses. */
async function accessToken(c: Context<AppEnv>, connection: Connection, force: boolean): Promise<string> {
  const opened = await openTokens(await sealer(c.env), connection);
  if (!opened) throw reconnect(connection, { kind: "reauth", message: "This TikTok connection has no tokens." });
  const expiring = opened.tokens.expiresAt !== null && opened.tokens.expiresAt < c.var.clock() + REFRESH_MARGIN_MS;
  if (!(expiring || force) || !opened.tokens.refreshToken) return opened.tokens.accessToken;
  const refreshed = await refreshConnection({ env: c.env, db: c.var.db, now: c.var.clock, appOrigin: publicOrigin(c.env), wait: (ms) => scheduler.wait(ms) }, connection.id);
  if (refreshed.ok) return refreshed.value.accessToken;
  if (refreshed.failure.kind === "reauth" || refreshed.failure.kind === "refresh") throw reconnect(connection, refreshed.failure);
  throw new ProblemError("platform-refused", `TikTok could not be reached: ${refreshed.failure.message}`);
}

const knownLevels = (levels: string[]) => TIKTOK_PRIVACY_LEVELS.filter((l) => levels.includes(l));

function fromCreator(creator: CreatorInfo, connection: Connection): TiktokCreatorInfo {
  return {
    nickname: creator.creator_nickname || connection.name,
    username: creator.creator_username || connection.handle || "",
    avatarUrl: creator.creator_avatar_url ?? connection.avatarUrl ?? null,
    privacyLevelOptions: knownLevels(creator.privacy_level_options),
    commentDisabled: creator.comment_disabled,
    duetDisabled: creator.duet_disabled,
    stitchDisabled: creator.stitch_disabled,
    maxVideoPostDurationSec: creator.max_video_post_duration_sec,
    canPost: true,
    cannotPostReason: null,
    directPostAvailable: connection.scopes.includes("video.publish"),
  };
}

/** When TikTok gave no creator details (it refused), what the connection itself knows. */
function fromConnection(connection: Connection, patch: Partial<TiktokCreatorInfo>): TiktokCreatorInfo {
  return {
    nickname: connection.name,
    username: connection.handle ?? "",
    avatarUrl: connection.avatarUrl ?? null,
    privacyLevelOptions: [],
    commentDisabled: false,
    duetDisabled: false,
    stitchDisabled: false,
    maxVideoPostDurationSec: DEFAULT_MAX_DURATION_SEC,
    canPost: true,
    cannotPostReason: null,
    directPostAvailable: connection.scopes.includes("video.publish"),
    ...patch,
  };
}

export const tiktokCreatorRoutes = newRouter().openapi(creatorInfo, async (c) => {
  const { id, connectionId } = c.req.valid("param");
  const connection = await findConnection(c.var.db, id, connectionId);
  if (!connection || connection.platform !== "tiktok" || connection.status === "disconnected") throw notFound("This TikTok account");
  if (connection.status === "needs_reconnect") throw conflict(`${connection.statusReason ?? "This TikTok account needs to be reconnected."} Reconnect it on the Accounts page.`);
  const credentials = credentialsFor(c.env, tiktokAdapter.credentialsKey);
  if (!credentials) throw new ProblemError("platform-refused", "TikTok is not configured in this Atelier, so it cannot be reached.");
  const ctx: AdapterContext = { http: new PlatformHttp((r) => fetch(r), c.env.SANDBOX_ORIGIN || null), credentials, redirectUri: `${publicOrigin(c.env)}/oauth/tiktok/callback`, now: c.var.clock() };

  let answer = await queryCreatorInfo(ctx, await accessToken(c, connection, false));
  // An access token TikTok no longer accepts: one refresh, then ask again (as the engine does).
  if (!answer.ok && answer.failure.kind === "refresh") answer = await queryCreatorInfo(ctx, await accessToken(c, connection, true));
  if (answer.ok) return c.json(fromCreator(answer.value, connection), 200);

  const failure = answer.failure;
  if (MISSING_SCOPE_CODES.has(failure.platformCode ?? "")) return c.json(fromConnection(connection, { directPostAvailable: false }), 200);
  const reason = cannotPostReason(failure);
  if (reason) return c.json(fromConnection(connection, { canPost: false, cannotPostReason: reason }), 200);
  if (failure.kind === "reauth" || failure.kind === "refresh") throw reconnect(connection, failure);
  throw new ProblemError("platform-refused", `TikTok did not answer with the creator's posting options: ${failure.message}`);
});
