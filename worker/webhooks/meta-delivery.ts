import { z } from "zod";
import type { MetaWebhookMessage } from "../inbox/messages";

/**
 * The outer shape of a verified Meta delivery. Entries stay opaque here: the inbound consumer parses
 * each with the schema of its object and field, so the edge never spends time on them.
 */
export const MetaDelivery = z.looseObject({ object: z.string().min(1).max(64), entry: z.array(z.unknown()) });
export type MetaDelivery = z.infer<typeof MetaDelivery>;

/** Queues cap a sendBatch at 100 messages and 256 KB; chunks stay under both (with room for framing). */
const MAX_MESSAGES_PER_BATCH = 100;
const MAX_BYTES_PER_BATCH = 240_000;
/** One queue message may carry at most 128 KB. */
const MAX_BYTES_PER_MESSAGE = 120_000;

export type DeliverySplit = { batches: MessageSendRequest<MetaWebhookMessage>[][]; oversized: number };

/**
 * One `meta.webhook` message per entry (a delivery batches up to 1,000), grouped into sendBatch calls.
 * An entry too large for a queue message cannot be carried at all; it is counted and logged by the caller.
 */
export function splitDelivery(delivery: MetaDelivery, receivedAt: number): DeliverySplit {
  const batches: MessageSendRequest<MetaWebhookMessage>[][] = [];
  let current: MessageSendRequest<MetaWebhookMessage>[] = [];
  let currentBytes = 0;
  let oversized = 0;
  for (const entry of delivery.entry) {
    const body: MetaWebhookMessage = { v: 1, kind: "meta.webhook", object: delivery.object, entry, receivedAt };
    const bytes = JSON.stringify(body).length;
    if (bytes > MAX_BYTES_PER_MESSAGE) {
      oversized += 1;
      continue;
    }
    if (current.length === MAX_MESSAGES_PER_BATCH || currentBytes + bytes > MAX_BYTES_PER_BATCH) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push({ body, contentType: "json" });
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}
