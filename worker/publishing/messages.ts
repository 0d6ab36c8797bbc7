import { z } from "zod";

/**
 * Publish queue messages. Every message names a target and the revision it was sent for: the
 * consumer ignores one whose revision is no longer the target's (rescheduled, cancelled, retried).
 */
export const PublishMessage = z.object({
  v: z.literal(1),
  kind: z.literal("publish.target"),
  workspaceId: z.string().min(1),
  targetId: z.string().min(1),
  revision: z.number().int().min(1),
  /**
   * Which try this is, when the engine itself re-sent the message after a failure (a detached commit
   * cannot ask the queue for a retry); the queue's own delivery count covers the rest.
   */
  attempt: z.number().int().min(1).optional(),
  /** The target is live; finish its follow-ups (the rest of a thread) that a crash interrupted. */
  followUps: z.literal(true).optional(),
});
export type PublishMessage = z.infer<typeof PublishMessage>;

export function publishMessage(workspaceId: string, targetId: string, revision: number): PublishMessage {
  return { v: 1, kind: "publish.target", workspaceId, targetId, revision };
}
