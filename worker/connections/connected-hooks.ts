import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { connections } from "../db/schema";
import type { ChannelCandidate, PlatformId } from "../platforms/types";
import { readyAdapter } from "./adapter-context";

/**
 * Platform-side set-up after channels are stored (e.g. subscribing a Facebook Page to the app's
 * webhooks, without which no comment or message ever arrives). A failure does not undo the
 * connection; the channel stays active and says what did not work.
 */
export async function runConnectedHooks(deps: { env: Env; db: Database; now: number; appOrigin: string }, platform: PlatformId, channels: ChannelCandidate[], ids: string[]): Promise<void> {
  const ready = readyAdapter(deps.env, platform, deps.appOrigin, deps.now);
  if (!ready?.adapter.onConnected) return;
  for (const [index, channel] of channels.entries()) {
    const id = ids[index];
    if (!id) continue;
    const result = await ready.adapter.onConnected(ready.ctx, channel);
    const reason = result.ok ? null : `Connected, but ${ready.adapter.displayName} did not finish setting up live comments and messages: ${result.failure.message}`;
    await deps.db.update(connections).set({ statusReason: reason }).where(eq(connections.id, id));
  }
}
