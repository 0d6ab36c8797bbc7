import { z } from "zod";

/**
 * Queue messages of the inbox. `meta.webhook` (INBOUND_QUEUE): one verified webhook entry as Meta sent
 * it (the edge splits a delivery of up to 1,000 entries into one message per entry; the entry is
 * parsed with zod by the consumer, never trusted before). `inbox.action` (PUBLISH_QUEUE): carry out one
 * outbound action; the row says what.
 */
export const MetaWebhookMessage = z.object({
  v: z.literal(1),
  kind: z.literal("meta.webhook"),
  /** `page` (Facebook feed + Messenger) or `instagram` (comments + DMs). */
  object: z.string().min(1),
  entry: z.unknown(),
  /** When the edge accepted it (epoch ms). */
  receivedAt: z.number().int(),
});
export type MetaWebhookMessage = z.infer<typeof MetaWebhookMessage>;

export const InboxActionMessage = z.object({ v: z.literal(1), kind: z.literal("inbox.action"), workspaceId: z.string().min(1), actionId: z.string().min(1) });
