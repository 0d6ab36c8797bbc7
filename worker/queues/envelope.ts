import { z } from "zod";
import type { BatchScope } from "./batch-scope";

/**
 * Every queue message is a small envelope naming what to do and the ids it concerns; bodies live in
 * D1/R2. `kind` selects a handler; later issues register kinds (publish steps, inbox actions, events).
 * `workspaceId` is absent only where the sender cannot know it yet (a webhook entry, mapped to its
 * workspace by the consumer).
 */
export const QueueEnvelope = z.object({ v: z.literal(1), kind: z.string().min(1), workspaceId: z.string().min(1).optional() }).loose();
export type QueueEnvelope = z.infer<typeof QueueEnvelope>;

export type Disposition = "ack" | { retryAfterSeconds: number };
/**
 * `ctx` is the invocation's context and `scope` what the batch's messages share (both absent when
 * tests call a handler directly).
 */
export type QueueHandler = (message: QueueEnvelope, attempts: number, env: Env, ctx?: ExecutionContext, scope?: BatchScope) => Promise<Disposition>;
