import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { LiveEvent } from "../../worker/contracts/live";
import { metaWebhookHandler } from "../../worker/inbox/inbound/consumer";
import type { MetaWebhookMessage } from "../../worker/inbox/messages";
import { consumeBatch } from "../../worker/queues/consumer";
import { connectPlatform } from "../helpers/connect";
import { ownerWithWorkspace } from "../posts/fixtures";

export const NOW = Date.UTC(2026, 0, 2, 0, 0, 10);

/** A workspace whose owner connected exactly the given sandbox assets of `platform`. */
export async function workspaceWith(platform: "facebook" | "instagram", assets: string[]) {
  const w = await ownerWithWorkspace();
  const { connectionIds } = await connectPlatform(w.client, w.owner, w.workspace.id, platform, { assets });
  const connectionId = connectionIds[0];
  if (!connectionId) throw new Error(`no ${platform} channel for ${assets.join(",")}`);
  return { ...w, workspaceId: w.workspace.id, connectionId };
}

export type CapturedEvent = { workspaceId: string; event: LiveEvent };

/** Runs the inbound consumer on built batches (one batch per call), capturing live events. */
export function inboundRunner() {
  const events: CapturedEvent[] = [];
  const handlers = new Map([["meta.webhook", metaWebhookHandler({ now: () => NOW, live: async (workspaceId, ...sent) => void events.push(...sent.map((event) => ({ workspaceId, event }))) })]]);
  let counter = 0;
  /** Consumes queue message bodies as the edge produced them. */
  async function runMessages(bodies: unknown[]) {
    const batch = createMessageBatch("inbound", bodies.map((body) => ({ id: `m${++counter}`, timestamp: new Date(NOW), attempts: 1, body })));
    const ctx = createExecutionContext();
    await consumeBatch("inbound", batch, handlers, env, ctx);
    return getQueueResult(batch, ctx);
  }
  function run(object: string, ...entries: unknown[]) {
    return runMessages(entries.map((entry): MetaWebhookMessage => ({ v: 1, kind: "meta.webhook", object, entry, receivedAt: NOW })));
  }
  return { run, runMessages, events, eventsFor: (workspaceId: string) => events.filter((e) => e.workspaceId === workspaceId).map((e) => e.event) };
}

export type MessageRow = { id: string; conversation_id: string; external_id: string; parent_external_id: string | null; direction: string; state: string; author_id: string | null; author_name: string | null; text: string; attachments: string; hidden: number; platform_at: number; edited_at: number | null; removed_at: number | null };
export type ConversationRow = { id: string; kind: string; external_id: string; title: string; post_target_id: string | null; participant_id: string | null; permalink: string | null; status: string; preview: string; last_message_at: number; last_inbound_at: number | null; platform: string };

export async function messagesOf(workspaceId: string): Promise<MessageRow[]> {
  return (await env.DB.prepare("SELECT * FROM messages WHERE workspace_id = ? ORDER BY platform_at, created_at").bind(workspaceId).all<MessageRow>()).results;
}

export async function conversationsOf(workspaceId: string): Promise<ConversationRow[]> {
  return (await env.DB.prepare("SELECT * FROM conversations WHERE workspace_id = ? ORDER BY created_at").bind(workspaceId).all<ConversationRow>()).results;
}

/** A post Atelier published on the channel, stored under `remoteId` (the publishing engine's row, written with SQL). */
export async function publishedTarget(workspaceId: string, connectionId: string, platform: string, remoteId: string, text: string): Promise<string> {
  const postId = crypto.randomUUID();
  const targetId = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare("INSERT INTO posts (id, workspace_id, status, base_text, timezone, revision, created_at, updated_at) VALUES (?, ?, 'scheduled', ?, 'Europe/Paris', 1, ?, ?)").bind(postId, workspaceId, text, NOW, NOW),
    env.DB.prepare("INSERT INTO post_targets (id, post_id, workspace_id, connection_id, platform, format, options, state, revision, checkpoint, remote_id, published_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'post', '{}', 'published', 1, '{}', ?, ?, ?, ?)").bind(
      targetId,
      postId,
      workspaceId,
      connectionId,
      platform,
      remoteId,
      NOW,
      NOW,
      NOW,
    ),
  ]);
  return targetId;
}
