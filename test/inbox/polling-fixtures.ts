import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { LiveEvent } from "../../worker/contracts/live";
import { createDb } from "../../worker/db/client";
import { mediaObjectKey } from "../../worker/media/keys";
import type { PollDeps } from "../../worker/inbox/polling/poller";
import { SANDBOX } from "../helpers/connect";
import { ledger, messageFor, publishingWorkspace, schedulePost, syncSandboxClock } from "../publishing/harness";
import { mp4 } from "../publishing/adapter-fixtures";
import { seedMedia } from "../posts/fixtures";

let counter = 0;

/** A workspace with a LinkedIn text post and a public YouTube video, both published through the engine. */
export async function publishedPair() {
  const w = await publishingWorkspace(["linkedin", "youtube"]);
  const label = `#${Date.now()}-${++counter}`;
  const bytes = mp4(300 * 1024);
  const mediaId = await seedMedia(w.workspace.id, { kind: "video", mimeType: "video/mp4", sizeBytes: bytes.byteLength, width: 1920, height: 1080, durationMs: 20_000 });
  await env.MEDIA.put(mediaObjectKey(w.workspace.id, mediaId), bytes);
  const linkedin = await schedulePost(w.client, w.owner.cookie, w.workspace.id, { text: `Fresh bread today ${label}`, dueAt: w.clock.now + 60_000, targets: [{ connectionId: w.channels.linkedin!, format: "text" }] });
  const youtube = await schedulePost(w.client, w.owner.cookie, w.workspace.id, {
    text: `How we bake ${label}`,
    dueAt: w.clock.now + 60_000,
    mediaIds: [mediaId],
    targets: [{ connectionId: w.channels.youtube!, format: "video", options: { title: `Dawn bake ${label}`, tags: [], categoryId: "22", privacyStatus: "public", madeForKids: false } }],
  });
  const targets = { linkedin: linkedin.targets[0]!.id, youtube: youtube.targets[0]!.id };
  for (const id of Object.values(targets)) {
    await w.harness.settle(await messageFor(id, w.workspace.id));
    expect((await ledger(id)).state).toBe("published");
  }
  const postUrn = (await ledger(targets.linkedin)).remote_id!;
  const videoId = (await ledger(targets.youtube)).remote_id!;
  const meta = await env.DB.prepare("SELECT metadata FROM connections WHERE id = ?").bind(w.channels.linkedin).first<{ metadata: string }>();
  const authorUrn = (JSON.parse(meta?.metadata ?? "{}") as { authorUrn?: string }).authorUrn ?? "";
  return { ...w, targets, postUrn, videoId, authorUrn, channelId: w.externalIds.youtube! };
}

export type Pair = Awaited<ReturnType<typeof publishedPair>>;

/** The poller at the pair's injected clock, live events captured; a budget large enough for every post in this test file. */
export function pollDeps(w: Pair, events: LiveEvent[] = []): PollDeps {
  return {
    env,
    db: createDb(env.DB),
    now: w.clock.read,
    live: async (_workspaceId, ...sent) => void events.push(...sent),
    enqueueAction: async () => undefined,
    wait: async (ms) => w.clock.advance(ms),
    budget: { youtubeCallsPerRun: 100, linkedinCallsPerRun: 100, pagesPerPost: 3 },
  };
}

/** Moves the injected clock and the sandbox's together (comments are stamped with sandbox time). */
export async function advance(w: Pair, ms: number): Promise<void> {
  w.clock.advance(ms);
  await syncSandboxClock(w.clock.now);
}

async function control(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${SANDBOX}/_sandbox/events/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return (JSON.parse(text) as { comment: Record<string, unknown> }).comment;
}

export async function linkedinComment(body: { postUrn: string; text: string; actorUrn?: string; firstName?: string; lastName?: string; parentCommentId?: string }) {
  return control("linkedin-comment", body) as Promise<{ id: string; commentUrn: string }>;
}

export async function youtubeComment(body: { videoId: string; text: string; authorName?: string; authorChannelId?: string; parentId?: string }) {
  return control("youtube-comment", body) as Promise<{ id: string }>;
}

export type MessageRow = { external_id: string; parent_external_id: string | null; direction: string; author_name: string | null; text: string; platform_at: number };

/** The comment thread of a post (by its remote id) with its messages, oldest first. */
export async function threadOf(connectionId: string, postId: string) {
  const conversation = await env.DB.prepare("SELECT id, platform, kind, post_target_id, title, permalink FROM conversations WHERE connection_id = ? AND kind = 'comments' AND external_id = ?")
    .bind(connectionId, postId)
    .first<{ id: string; platform: string; kind: string; post_target_id: string | null; title: string; permalink: string | null }>();
  if (!conversation) return null;
  const { results } = await env.DB.prepare("SELECT external_id, parent_external_id, direction, author_name, text, platform_at FROM messages WHERE conversation_id = ? ORDER BY platform_at, text").bind(conversation.id).all<MessageRow>();
  return { ...conversation, messages: results };
}

export async function commentCursor(targetId: string): Promise<{ lastPolledAt: number | null; lastSeenAt: number | null; sweep?: { page: string; newestSeenAt: number | null } | null } | undefined> {
  return (JSON.parse((await ledger(targetId)).checkpoint) as { comments?: { lastPolledAt: number | null; lastSeenAt: number | null; sweep?: { page: string; newestSeenAt: number | null } | null } }).comments;
}
