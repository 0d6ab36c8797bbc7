import { and, asc, eq } from "drizzle-orm";
import { openTokens, sealer } from "../connections/sealing";
import { refreshConnection } from "../connections/refresh";
import type { Database } from "../db/client";
import type { TargetRow } from "../db/queries/posts";
import { connections, media, postMedia, posts } from "../db/schema";
import { mediaObjectKey } from "../media/keys";
import { signMediaToken } from "../media/signed-url";
import type { ChannelKind, PlatformFailure, PlatformId } from "../platforms/types";
import type { PublishJob, PublishMedia } from "./types";

/** Platforms fetch media within minutes; a day leaves room for retries and slow processing. */
export const MEDIA_URL_TTL_MS = 24 * 60 * 60 * 1000;
/** A token expiring sooner than this is refreshed before the job runs (refreshable platforms only). */
const REFRESH_MARGIN_MS = 5 * 60_000;

export type JobDeps = { env: Env; db: Database; now: () => number; wait: (ms: number) => Promise<void> };
export type JobBuild = { ok: true; job: PublishJob; connectionId: string } | { ok: false; failure: PlatformFailure };

/**
 * The origin platforms fetch signed media URLs from: MEDIA_ORIGIN, else the app's public origin
 * (APP_ORIGIN, which production must set for publishing media: a queue consumer has no request to
 * read its own origin from), else the local default.
 */
export function publicOrigin(env: Env): string {
  const configured = env.MEDIA_ORIGIN || env.APP_ORIGIN;
  return configured ? new URL(configured).origin : "http://127.0.0.1:8787";
}

/**
 * Everything an adapter needs for one target, read fresh from D1 at the moment of use: the text for
 * this channel, the media as signed URLs and ranged R2 readers, and a usable access token (refreshed
 * first when it is about to expire).
 */
export async function buildJob(deps: JobDeps, target: TargetRow, options: { forceRefresh?: boolean } = {}): Promise<JobBuild> {
  const { db, env } = deps;
  const [post, connection, files] = await db.batch([
    db.select().from(posts).where(eq(posts.id, target.postId)),
    db.select().from(connections).where(eq(connections.id, target.connectionId)),
    db.select({ m: media }).from(postMedia).innerJoin(media, eq(media.id, postMedia.mediaId)).where(eq(postMedia.postId, target.postId)).orderBy(asc(postMedia.position)),
  ]);
  const postRow = post[0];
  const channel = connection[0];
  if (!postRow) return { ok: false, failure: { kind: "fatal", message: "This post no longer exists." } };
  if (!channel || channel.status === "disconnected") return { ok: false, failure: { kind: "reauth", message: "This channel was disconnected. Connect it again to publish." } };
  if (channel.status === "needs_reconnect") return { ok: false, failure: { kind: "reauth", message: channel.statusReason ?? "This channel needs to be reconnected before Atelier can publish to it." } };

  const opened = await openTokens(await sealer(env), channel);
  if (!opened) return { ok: false, failure: { kind: "reauth", message: "This channel has no tokens; reconnect it." } };
  let accessToken = opened.tokens.accessToken;
  const expiring = opened.tokens.expiresAt !== null && opened.tokens.expiresAt < deps.now() + REFRESH_MARGIN_MS;
  if ((expiring || options.forceRefresh) && opened.tokens.refreshToken) {
    const refreshed = await refreshConnection({ env, db, now: deps.now, appOrigin: publicOrigin(env), wait: deps.wait }, channel.id);
    if (!refreshed.ok) return { ok: false, failure: refreshed.failure };
    accessToken = refreshed.value.accessToken;
  }

  const secret = env.SESSION_SECRET;
  const origin = publicOrigin(env);
  const expiresAt = deps.now() + MEDIA_URL_TTL_MS;
  const toPublishMedia = async (m: typeof media.$inferSelect): Promise<PublishMedia> => {
    const token = await signMediaToken(secret, { workspaceId: m.workspaceId, mediaId: m.id, expiresAt });
    const key = mediaObjectKey(m.workspaceId, m.id);
    return {
      id: m.id,
      kind: m.kind ?? "image",
      mimeType: m.mimeType ?? "application/octet-stream",
      sizeBytes: m.sizeBytes,
      width: m.width,
      height: m.height,
      durationMs: m.durationMs,
      altText: m.altText,
      url: `${origin}/m/${token}`,
      read: async (offset, length) => {
        const object = await env.MEDIA.get(key, { range: { offset, length } });
        if (!object) throw new Error(`media ${m.id} is missing from storage`);
        return object.body;
      },
    };
  };
  const mediaList: PublishMedia[] = [];
  for (const { m } of files) mediaList.push(await toPublishMedia(m));
  // A custom thumbnail (YouTube's `thumbnailMediaId` option) is a library file outside the post's media.
  const thumbnailId = typeof target.options.thumbnailMediaId === "string" ? target.options.thumbnailMediaId : null;
  const thumbnailRow = thumbnailId ? await db.select().from(media).where(and(eq(media.id, thumbnailId), eq(media.workspaceId, target.workspaceId))).get() : undefined;

  return {
    ok: true,
    connectionId: channel.id,
    job: {
      targetId: target.id,
      workspaceId: target.workspaceId,
      platform: target.platform as PlatformId,
      format: target.format,
      channel: { externalId: channel.externalId, kind: channel.kind as ChannelKind, name: channel.name, metadata: channelMetadata(env, target.platform, channel.metadata) },
      accessToken,
      text: target.textOverride ?? postRow.baseText,
      firstComment: postRow.firstComment,
      options: target.options,
      media: mediaList,
      thumbnail: thumbnailRow ? await toPublishMedia(thumbnailRow) : null,
      checkpoint: target.checkpoint,
      dueAt: target.dueAt ?? postRow.scheduledAt ?? deps.now(),
      commitStartedAt: target.commitStartedAt,
    },
  };
}

/** A channel's stored metadata plus deployment facts its adapter needs (TikTok: may it pull media from our domain?). */
function channelMetadata(env: Env, platform: string, metadata: Record<string, string>): Record<string, string> {
  if (platform === "tiktok" && env.TIKTOK_PULL_FROM_URL === "true") return { ...metadata, pullFromUrl: "true" };
  return metadata;
}
