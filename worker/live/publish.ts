import type { Context } from "hono";
import type { LiveEvent } from "../contracts/live";
import type { AppEnv } from "../http/app-env";

export function workspaceHub(env: Env, workspaceId: string) {
  return env.WORKSPACE.get(env.WORKSPACE.idFromName(workspaceId));
}

/**
 * Tells everyone connected to the workspace that something changed. The change is already committed
 * in D1; a hub failure is logged and does not fail the request (clients also refetch on reconnect).
 */
export async function publishLive(c: Context<AppEnv>, workspaceId: string, event: LiveEvent): Promise<void> {
  try {
    const result = await workspaceHub(c.env, workspaceId).publish(event);
    if (!result.ok) console.warn(JSON.stringify({ msg: "live publish refused", requestId: c.var.requestId, workspaceId, problem: result.problem }));
  } catch (error) {
    console.error(JSON.stringify({ msg: "live publish failed", requestId: c.var.requestId, workspaceId, error: String(error) }));
  }
}
