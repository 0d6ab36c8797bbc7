import type { Context } from "hono";
import type { TargetRow } from "../db/queries/posts";
import type { AppEnv } from "../http/app-env";
import { ProblemError } from "../http/problems";
import { engineDeps } from "../publishing/consumer";
import { buildJob, publicOrigin } from "../publishing/job";
import type { PublishJob } from "../publishing/types";
import { platformName } from "../publishing/platform-names";
import { credentialsFor } from "../platforms/credentials";
import { PlatformHttp } from "../platforms/http";
import { adapterFor } from "../platforms/registry";
import type { AdapterContext, PlatformId } from "../platforms/types";

/**
 * An adapter context and a fresh access token for acting on a published target from a request (edit,
 * read back), built the way the publishing engine builds them (the token refreshed when near expiry).
 * A channel that cannot be used (disconnected, needs reconnecting) is a 502 with the reason.
 */
export async function targetPlatformCall(c: Context<AppEnv>, target: TargetRow, wording: { purpose?: string; unchanged?: string } = {}): Promise<{ ctx: AdapterContext; accessToken: string; job: PublishJob }> {
  const platform = target.platform as PlatformId;
  const adapter = adapterFor(platform);
  const credentials = adapter && credentialsFor(c.env, adapter.credentialsKey);
  if (!credentials) throw new ProblemError("platform-refused", `${platformName(platform)} is not configured in this Atelier, so it cannot be reached.`);
  const built = await buildJob(engineDeps(c.env, { db: c.var.db, now: c.var.clock }), target);
  if (!built.ok) throw new ProblemError("platform-refused", `${platformName(platform)} could not be reached${wording.purpose ? ` ${wording.purpose}` : ""}: ${built.failure.message}${wording.unchanged ? ` ${wording.unchanged}` : ""}`);
  const ctx: AdapterContext = { http: new PlatformHttp((r) => fetch(r), c.env.SANDBOX_ORIGIN || null), credentials, redirectUri: `${publicOrigin(c.env)}/oauth/${platform}/callback`, now: c.var.clock() };
  return { ctx, accessToken: built.job.accessToken, job: built.job };
}
