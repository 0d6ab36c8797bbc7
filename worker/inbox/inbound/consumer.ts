import { createDb } from "../../db/client";
import { liveEvent } from "../../publishing/consumer";
import type { QueueHandler } from "../../queues/envelope";
import type { InboxDeps } from "../deps";
import { MetaWebhookMessage } from "../messages";
import { recordInbound } from "../store";
import type { BatchScope } from "../../queues/batch-scope";
import { ChannelDirectory } from "./channels";
import { MetaEntry } from "./meta-entry";
import { normalizeEntry } from "./normalize-entry";

/** The inbound consumer's dependencies in production: real time, the real hub and publish queue. */
export function inboundDeps(env: Env, overrides: Partial<InboxDeps> = {}): InboxDeps {
  return {
    env,
    db: createDb(env.DB),
    now: () => Date.now(),
    live: (workspaceId, ...events) => liveEvent(env, workspaceId, ...events),
    enqueueAction: async (message) => {
      await env.PUBLISH_QUEUE.send(message, { contentType: "json" });
    },
    ...overrides,
  };
}

/** What one entry amounted to, for the log line and the tests. */
export type EntryOutcome = { channels: number; created: number; changed: number; unchanged: number; skipped: string[] };

/**
 * One verified Meta webhook entry: find the channels it is for, normalize it, record every item.
 * Recording is idempotent (platform ids are unique per channel), so a failure part-way is retried whole.
 * `directory` is shared by the entries of one queue batch (one channel lookup for all of them).
 */
export async function consumeMetaEntry(deps: InboxDeps, message: MetaWebhookMessage, directory = new ChannelDirectory(deps.db)): Promise<EntryOutcome | null> {
  const entry = MetaEntry.safeParse(message.entry);
  if (!entry.success) {
    console.warn(JSON.stringify({ msg: "meta webhook entry dropped: invalid", object: message.object, issues: entry.error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`) }));
    return null;
  }
  const channels = await directory.channelsFor(message.object, entry.data.id);
  if (channels.length === 0) {
    directory.noteDropped(message.object, entry.data.id);
    return null;
  }
  const outcome: EntryOutcome = { channels: channels.length, created: 0, changed: 0, unchanged: 0, skipped: [] };
  for (const channel of channels) {
    const { items, skipped } = normalizeEntry(message.object, entry.data, channel, message.receivedAt);
    outcome.skipped.push(...skipped);
    for (const item of items) {
      const recorded = await recordInbound(deps, item);
      if (!recorded) outcome.unchanged += 1;
      else if (recorded.created) outcome.created += 1;
      else outcome.changed += 1;
    }
  }
  if (outcome.skipped.length > 0) console.log(JSON.stringify({ msg: "meta webhook entry: items skipped", object: message.object, entryId: entry.data.id, skipped: outcome.skipped }));
  return outcome;
}

function parsed(message: unknown): MetaWebhookMessage | null {
  const result = MetaWebhookMessage.safeParse(message);
  if (!result.success) console.warn(JSON.stringify({ msg: "inbound message dropped: invalid", issues: result.error.issues.map((i) => i.message) }));
  return result.success ? result.data : null;
}

/** The batch's channel directory; its dropped entries are logged once, when the batch is done. */
function directoryFor(deps: InboxDeps, scope: BatchScope | undefined): ChannelDirectory {
  if (!scope) return new ChannelDirectory(deps.db);
  return scope.share("inbound.channels", () => {
    const directory = new ChannelDirectory(deps.db);
    scope.onFinish(() => directory.logDropped());
    return directory;
  });
}

/** `meta.webhook` on the inbound queue. A thrown error (D1 unavailable …) retries the entry with backoff. */
export function metaWebhookHandler(overrides: Partial<InboxDeps> = {}): QueueHandler {
  return async (message, _attempts, env, _ctx, scope) => {
    const body = parsed(message);
    if (!body) return "ack";
    const deps = inboundDeps(env, overrides);
    const directory = directoryFor(deps, scope);
    await consumeMetaEntry(deps, body, directory);
    if (!scope) directory.logDropped();
    return "ack";
  };
}

/**
 * `meta.webhook` on the inbound dead-letter queue: an entry failed every delivery. Nothing can be done
 * for it anymore (Meta keeps no history to fetch), so it is logged with enough to investigate and acked.
 */
export function metaWebhookDeadLetterHandler(): QueueHandler {
  return async (message) => {
    const body = parsed(message);
    const entryId = body && typeof body.entry === "object" && body.entry !== null && "id" in body.entry ? String((body.entry as { id: unknown }).id) : null;
    console.error(JSON.stringify({ msg: "meta webhook entry gave up after every retry", object: body?.object ?? null, entryId, receivedAt: body?.receivedAt ?? null }));
    return "ack";
  };
}
