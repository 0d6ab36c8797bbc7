import { retryDelaySeconds } from "../domain/backoff";
import { deadLetterHandler, publishHandler } from "../publishing/consumer";
import { inboxActionDeadLetterHandler, inboxActionHandler } from "../inbox/actions/consumer";
import { metaWebhookDeadLetterHandler, metaWebhookHandler } from "../inbox/inbound/consumer";
import { BatchScope } from "./batch-scope";
import { QueueEnvelope, type QueueHandler } from "./envelope";

/**
 * Runs the messages of a batch concurrently through the handler registered for each kind (a publish
 * step may hold its message until the due second, which must not delay the others), acking or
 * retrying each message on its own so one failure never redelivers the whole batch. A message that cannot be parsed,
 * or whose kind has no handler, is logged and acked: retrying cannot make it valid.
 */
export async function consumeBatch(queue: string, batch: MessageBatch<unknown>, handlers: ReadonlyMap<string, QueueHandler>, env: Env, ctx?: ExecutionContext): Promise<void> {
  const scope = new BatchScope();
  try {
    await Promise.all(batch.messages.map((message) => consumeOne(queue, message, handlers, env, ctx, scope)));
  } finally {
    scope.finish();
  }
}

async function consumeOne(queue: string, message: Message<unknown>, handlers: ReadonlyMap<string, QueueHandler>, env: Env, ctx: ExecutionContext | undefined, scope: BatchScope): Promise<void> {
  const parsed = QueueEnvelope.safeParse(message.body);
  if (!parsed.success) {
    console.warn(JSON.stringify({ msg: "queue message dropped: invalid envelope", queue, id: message.id, issues: parsed.error.issues.map((i) => i.message) }));
    message.ack();
    return;
  }
  const handler = handlers.get(parsed.data.kind);
  if (!handler) {
    console.warn(JSON.stringify({ msg: "queue message dropped: no handler for kind", queue, id: message.id, kind: parsed.data.kind }));
    message.ack();
    return;
  }
  try {
    const disposition = await handler(parsed.data, message.attempts, env, ctx, scope);
    if (disposition === "ack") message.ack();
    else message.retry({ delaySeconds: disposition.retryAfterSeconds });
  } catch (error) {
    console.error(JSON.stringify({ msg: "queue handler threw; will retry", queue, id: message.id, kind: parsed.data.kind, attempts: message.attempts, error: String(error) }));
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

/** Handlers by queue (the inbox issue registers the inbound ones). */
export const QUEUE_HANDLERS: Record<string, ReadonlyMap<string, QueueHandler>> = {
  publish: new Map([["publish.target", publishHandler()], ["inbox.action", inboxActionHandler()]]),
  "publish-dlq": new Map([["publish.target", deadLetterHandler()], ["inbox.action", inboxActionDeadLetterHandler()]]),
  inbound: new Map([["meta.webhook", metaWebhookHandler()]]),
  "inbound-dlq": new Map([["meta.webhook", metaWebhookDeadLetterHandler()]]),
};
