import { credentialsFor } from "../platforms/credentials";
import { PlatformHttp } from "../platforms/http";
import { adapterFor } from "../platforms/registry";
import type { AdapterContext, ConnectionAdapter, PlatformId } from "../platforms/types";

export type ReadyAdapter = { adapter: ConnectionAdapter; ctx: AdapterContext };

/**
 * The adapter for a platform with everything it may use, or null when the platform has no adapter or
 * no credentials configured. `SANDBOX_ORIGIN` (local only) points every platform call at the sandbox.
 */
export function readyAdapter(env: Env, platform: PlatformId, appOrigin: string, now: number): ReadyAdapter | null {
  const adapter = adapterFor(platform);
  if (!adapter) return null;
  const credentials = credentialsFor(env, adapter.credentialsKey);
  if (!credentials) return null;
  const http = new PlatformHttp((request) => fetch(request), env.SANDBOX_ORIGIN || null);
  return { adapter, ctx: { http, credentials, redirectUri: `${appOrigin}/oauth/${platform}/callback`, now } };
}
