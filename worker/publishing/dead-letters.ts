import { and, eq, inArray } from "drizzle-orm";
import { postTargets } from "../db/schema";
import type { EngineDeps } from "./engine";
import { raiseNotification } from "./ledger";
import type { PublishMessage } from "./messages";
import { platformName } from "./platform-names";
import { ACTIVE_STATES } from "./states";

/**
 * A publish message that used up its deliveries (the consumer kept throwing or asking for retries).
 * A target that may have reached the platform (`committing`) becomes `unconfirmed`; any other active
 * one `failed`, keeping the last reason. A stale message (older revision) changes nothing.
 */
export async function giveUpOnTarget(deps: EngineDeps, message: PublishMessage): Promise<void> {
  const now = deps.now();
  const target = await deps.db.select().from(postTargets).where(and(eq(postTargets.id, message.targetId), eq(postTargets.revision, message.revision), inArray(postTargets.state, [...ACTIVE_STATES]))).get();
  if (!target) return;
  const name = platformName(target.platform);
  const uncertain = target.state === "committing";
  const state = uncertain ? "unconfirmed" : "failed";
  const detail = uncertain
    ? `Atelier sent this post to ${name} but never learned whether it went live, and stopped asking. Check ${name}, then tell Atelier whether the post is there.`
    : `Atelier stopped trying after repeated failures.${target.statusDetail ? ` Last answer: ${target.statusDetail}` : ""}`;
  const changed = await deps.db
    .update(postTargets)
    .set({ state, statusDetail: detail, leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(postTargets.id, target.id), eq(postTargets.revision, target.revision), eq(postTargets.state, target.state)))
    .returning({ id: postTargets.id });
  if (changed.length === 0) return;
  const raised = await raiseNotification(deps.db, { workspaceId: target.workspaceId, kind: uncertain ? "unconfirmed" : "publish_failed", postId: target.postId, targetId: target.id, connectionId: target.connectionId, title: uncertain ? `Check ${name}: did this post go live?` : `${name} did not publish this post`, body: detail }, now);
  await deps.live(target.workspaceId, { kind: "target.changed", postId: target.postId, targetId: target.id, state });
  await deps.live(target.workspaceId, { kind: "notification.changed", notificationId: raised.id, resolved: false });
}
