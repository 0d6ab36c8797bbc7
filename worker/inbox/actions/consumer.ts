import type { InboxActionMessage as ActionMessage } from "../deps";
import { InboxActionMessage } from "../messages";
import { createDb } from "../../db/client";
import { liveEvent } from "../../publishing/consumer";
import type { QueueHandler } from "../../queues/envelope";
import { newId } from "../../security/ids";
import type { ActionRunDeps } from "./context";
import { giveUpOnAction, runAction } from "./run";

/** The action runner's dependencies in production: real time, the real queue and hub. */
export function actionDeps(env: Env, overrides: Partial<ActionRunDeps> = {}): ActionRunDeps {
  return {
    env,
    db: createDb(env.DB),
    now: () => Date.now(),
    live: (workspaceId, ...events) => liveEvent(env, workspaceId, ...events),
    enqueueAction: async (message) => {
      await env.PUBLISH_QUEUE.send(message, { contentType: "json" });
    },
    owner: newId(),
    ...overrides,
  };
}

function parsed(message: unknown): ActionMessage | null {
  const result = InboxActionMessage.safeParse(message);
  if (!result.success) console.warn(JSON.stringify({ msg: "inbox action message dropped: invalid", issues: result.error.issues.map((i) => i.message) }));
  return result.success ? result.data : null;
}

/** `inbox.action` on the publish queue: carry out one reply, like, hide, delete or message. */
export function inboxActionHandler(overrides: Partial<ActionRunDeps> = {}): QueueHandler {
  return async (message, attempts, env) => {
    const body = parsed(message);
    if (!body) return "ack";
    return runAction(actionDeps(env, { ...overrides, owner: overrides.owner ?? newId() }), body.actionId, attempts);
  };
}

/** `inbox.action` on the dead-letter queue: the action ran out of deliveries; it fails with the reason. */
export function inboxActionDeadLetterHandler(overrides: Partial<ActionRunDeps> = {}): QueueHandler {
  return async (message, _attempts, env) => {
    const body = parsed(message);
    if (body) await giveUpOnAction(actionDeps(env, { ...overrides, owner: overrides.owner ?? newId() }), body.actionId);
    return "ack";
  };
}
