import type { LiveEvent } from "../contracts/live";
import { createDb } from "../db/client";
import { workspaceHub } from "../live/publish";
import type { QueueHandler } from "../queues/envelope";
import { newId } from "../security/ids";
import { runTarget, type EngineDeps } from "./engine";
import { giveUpOnTarget } from "./dead-letters";
import { PublishMessage } from "./messages";

/** Pushes a live event; the ledger is already written, so a hub failure is only logged. */
export async function liveEvent(env: Env, workspaceId: string, ...events: LiveEvent[]): Promise<void> {
  const [only] = events;
  if (!only) return;
  try {
    const hub = workspaceHub(env, workspaceId);
    // Events that belong together travel in one call and reach sockets as one frame.
    const result = events.length === 1 ? await hub.publish(only) : await hub.publishAll(events);
    if (!result.ok) console.warn(JSON.stringify({ msg: "live publish refused", workspaceId, problem: result.problem }));
  } catch (error) {
    console.error(JSON.stringify({ msg: "live publish failed", workspaceId, error: String(error) }));
  }
}

/** The engine's dependencies in production: real time, real waiting, the real queue and hub. */
export function engineDeps(env: Env, overrides: Partial<EngineDeps> = {}): EngineDeps {
  return {
    env,
    db: createDb(env.DB),
    now: () => Date.now(),
    wait: (ms) => scheduler.wait(ms),
    owner: newId(),
    send: async (message, delaySeconds) => {
      await env.PUBLISH_QUEUE.send(message, { contentType: "json", delaySeconds: Math.max(0, Math.min(43_200, Math.round(delaySeconds))) });
    },
    live: (workspaceId, event) => liveEvent(env, workspaceId, event),
    ...overrides,
  };
}

function parsed(message: unknown): PublishMessage | null {
  const result = PublishMessage.safeParse(message);
  if (!result.success) console.warn(JSON.stringify({ msg: "publish message dropped: invalid", issues: result.error.issues.map((i) => i.message) }));
  return result.success ? result.data : null;
}

/** `publish.target` on the publish queue: one step of the target's state machine. */
export function publishHandler(overrides: Partial<EngineDeps> = {}): QueueHandler {
  return async (message, attempts, env, ctx) => {
    const body = parsed(message);
    if (!body) return "ack";
    const detach = ctx ? (work: () => Promise<void>) => ctx.waitUntil(work()) : undefined;
    return runTarget(engineDeps(env, { ...(detach ? { detach } : {}), ...overrides, owner: overrides.owner ?? newId() }), body, attempts);
  };
}

/** `publish.target` on the dead-letter queue: the message ran out of deliveries; tell the person. */
export function deadLetterHandler(overrides: Partial<EngineDeps> = {}): QueueHandler {
  return async (message, _attempts, env) => {
    const body = parsed(message);
    if (!body) return "ack";
    await giveUpOnTarget(engineDeps(env, overrides), body);
    return "ack";
  };
}
