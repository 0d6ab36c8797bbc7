import type { Context } from "hono";
import { eq } from "drizzle-orm";
import type { TargetRow } from "../db/queries/posts";
import { postTargets } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { ProblemError } from "../http/problems";
import { workspaceHub } from "../live/publish";
import { recordAttempt } from "../publishing/ledger";
import { platformName } from "../publishing/platform-names";
import { publisherFor } from "../publishing/registry";
import { targetPlatformCall } from "./target-platform-call";
import { credentialsFor } from "../platforms/credentials";
import { adapterFor } from "../platforms/registry";
import type { PlatformId } from "../platforms/types";

/**
 * Removes a post's published channels from the platforms whose API allows it (Instagram's does not:
 * those stay live and the UI says so). All-or-nothing from the person's view: the first platform that
 * refuses stops the delete with its reason, and the post stays in Atelier, so it can be tried again
 * (channels already removed are marked and skipped next time).
 */
export async function deleteOnPlatforms(c: Context<AppEnv>, targets: TargetRow[]): Promise<string[]> {
  const removed: string[] = [];
  for (const target of targets.filter((t) => t.state === "published" && t.remoteId && t.remoteDeletedAt === null)) {
    const platform = target.platform as PlatformId;
    const publisher = publisherFor(platform);
    const adapter = adapterFor(platform);
    const credentials = adapter && credentialsFor(c.env, adapter.credentialsKey);
    if (!publisher?.deleteRemote || !credentials) continue;
    const { ctx, job } = await targetPlatformCall(c, target, { purpose: "to delete the post", unchanged: "Nothing was deleted." });
    const startedAt = c.var.clock();
    const result = await publisher.deleteRemote(ctx, { remoteId: target.remoteId as string, accessToken: job.accessToken, channel: job.channel, format: target.format, checkpoint: target.checkpoint });
    await recordAttempt(c.var.db, target, result.ok ? { step: "delete", startedAt, endedAt: c.var.clock(), outcome: "ok" } : { step: "delete", startedAt, endedAt: c.var.clock(), outcome: "rejected", httpStatus: result.failure.status ?? null, platformCode: result.failure.platformCode ?? null, message: result.failure.message });
    if (!result.ok) throw new ProblemError("platform-refused", `${platformName(platform)} did not delete the post: ${result.failure.message} Nothing was deleted in Atelier; try again.`);
    await c.var.db.update(postTargets).set({ remoteDeletedAt: c.var.clock(), updatedAt: c.var.clock() }).where(eq(postTargets.id, target.id));
    removed.push(target.id);
  }
  return removed;
}

/**
 * A post deleted before some channels went live: what their `prepare` left on the platform (a private
 * YouTube upload) is removed too. Best effort: the post is deleted either way; a failure is logged,
 * and what stays is private, never public.
 */
export async function discardPreparedOnPlatforms(c: Context<AppEnv>, targets: TargetRow[]): Promise<void> {
  for (const target of targets.filter((t) => t.state !== "published" && t.state !== "committing" && t.state !== "unconfirmed" && Object.keys(t.checkpoint).length > 0)) {
    const publisher = publisherFor(target.platform as PlatformId);
    if (!publisher?.discardPrepared) continue;
    try {
      const { ctx, job } = await targetPlatformCall(c, target);
      const result = await publisher.discardPrepared(ctx, { accessToken: job.accessToken, channel: job.channel, format: target.format, checkpoint: target.checkpoint });
      if (!result.ok) console.warn(JSON.stringify({ msg: "prepared upload not removed", targetId: target.id, platform: target.platform, reason: result.failure.message }));
    } catch (error) {
      console.warn(JSON.stringify({ msg: "prepared upload not removed", targetId: target.id, platform: target.platform, error: String(error) }));
    }
  }
}

/** Deleted targets leave the workspace's schedule (their messages would be ignored anyway: the rows are gone). */
export async function syncScheduleRemoved(env: Env, workspaceId: string, targetIds: string[]): Promise<void> {
  if (targetIds.length === 0) return;
  try {
    await workspaceHub(env, workspaceId).unscheduleTargets(targetIds);
  } catch (error) {
    console.error(JSON.stringify({ msg: "unschedule failed", workspaceId, error: String(error) }));
  }
}
